"""Report sessions and the delete queue: in memory only, never written to disk.

A restart loses a draft, never a person: nothing here survives the process, by design.
Whatever way a session ends (send, Exit, a new session, a timeout, shutdown), the bot's messages
of it go to the delete queue; what the person sends is deleted by the handlers as soon as read.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.reports import crypto

log = logging.getLogger(__name__)
IDLE_SESSION_SECONDS = 3600  # a report being written may take a while
IDLE_SHORT_SECONDS = 600  # the explanation screen, "Check my report"
IDLE_BY_MODE = {"report": IDLE_SESSION_SECONDS}


@dataclass
class Draft:
    """Answers while the person fills in the report. Files are sealed as soon as they arrive."""

    key: bytes = field(default_factory=crypto.new_key)
    answers: dict[str, object] = field(default_factory=dict)
    text: str = ""
    sealed_files: list[bytes] = field(default_factory=list)
    file_sizes: list[int] = field(default_factory=list)
    # The description as the person sent it, by message id, so an edit can replace its part.
    parts: dict[int, str] = field(default_factory=dict)

    def set_part(self, message_id: int, text: str) -> None:
        self.parts[message_id] = text
        self.text = "\n\n".join(self.parts.values()).strip()


@dataclass
class Session:
    """One person's report or check session.

    `mode`: intro (the explanation screen) | report | typeback (the receipt is shown) | check |
    checked. The step within a mode is the chat's FSM state (handlers/reports/states.py).
    """

    mode: str
    draft: Draft | None = None
    message_ids: list[int] = field(default_factory=list)
    prompt_id: int | None = None
    receipt: str | None = None
    receipt_message_id: int | None = None
    report_id: bytes | None = None
    reporter_private: bytes | None = None
    touched: float = field(default_factory=time.monotonic)

    def track(self, *message_ids: int | None) -> None:
        for message_id in message_ids:
            if message_id is not None and message_id not in self.message_ids:
                self.message_ids.append(message_id)
        self.touched = time.monotonic()


class Sessions:
    """Sessions by chat id. The chat id is needed to talk; it is never stored anywhere else.

    With a delete queue, a session that is replaced or finished leaves its messages to it.
    """

    def __init__(self, deletes: DeleteQueue | None = None) -> None:
        self._by_chat: dict[int, Session] = {}
        self.deletes = deletes
        # Told the chat id whenever a session ends or is replaced, on every path (the handlers
        # forget the chat's step with it, so no state outlives its session).
        self.on_end: Callable[[int], None] | None = None

    def get(self, chat_id: int) -> Session | None:
        return self._by_chat.get(chat_id)

    def start(self, chat_id: int, mode: str, carry: tuple[int, ...] = ()) -> Session:
        """A new session; the one it replaces is wiped. `carry`: messages the new one takes
        over (the explanation screen that becomes the first question)."""
        old = self._by_chat.pop(chat_id, None)
        session = Session(mode=mode)
        session.track(*carry)
        if old is not None:
            self._ended(chat_id)
            self._wipe(chat_id, [m for m in old.message_ids if m not in carry])
        self._by_chat[chat_id] = session
        return session

    def end(self, chat_id: int) -> Session | None:
        """Forget the session; the caller deletes its messages."""
        session = self._by_chat.pop(chat_id, None)
        if session is not None:
            self._ended(chat_id)
        return session

    def finish(self, chat_id: int, delay: float | None = None) -> Session | None:
        """End the session and leave its messages to the delete queue (after its delay)."""
        session = self._by_chat.pop(chat_id, None)
        if session is not None:
            self._ended(chat_id)
            self._wipe(chat_id, session.message_ids, delay)
        return session

    def _ended(self, chat_id: int) -> None:
        if self.on_end is not None:
            self.on_end(chat_id)

    def _wipe(self, chat_id: int, message_ids: list[int], delay: float | None = None) -> None:
        if self.deletes is not None:
            self.deletes.schedule(chat_id, message_ids, delay)

    def chats(self) -> list[int]:
        return list(self._by_chat)

    def idle(self, seconds: float | None = None) -> list[int]:
        """Sessions nobody touched for their mode's idle time (or `seconds`)."""
        now = time.monotonic()
        return [
            chat
            for chat, s in self._by_chat.items()
            if now - s.touched > (seconds or IDLE_BY_MODE.get(s.mode, IDLE_SHORT_SECONDS))
        ]


@dataclass
class _Pending:
    due: float
    chat_id: int
    message_ids: list[int]


class DeleteQueue:
    """Messages to delete later (the phone forgets). A plain list in memory; `flush` deletes."""

    def __init__(self, delay_seconds: float = 180.0) -> None:
        self.delay_seconds = delay_seconds
        self._pending: list[_Pending] = []
        self._lock = asyncio.Lock()

    def schedule(self, chat_id: int, message_ids: list[int], delay: float | None = None) -> None:
        if message_ids:
            due = time.monotonic() + (self.delay_seconds if delay is None else delay)
            self._pending.append(_Pending(due, chat_id, list(message_ids)))

    def __len__(self) -> int:
        return len(self._pending)

    async def flush(self, bot: Bot, *, everything: bool = False) -> int:
        """Delete what is due (or everything, at shutdown); returns how many messages."""
        async with self._lock:
            now = time.monotonic()
            due = [p for p in self._pending if everything or p.due <= now]
            self._pending = [p for p in self._pending if not (everything or p.due <= now)]
        deleted = 0
        for item in due:
            for start in range(0, len(item.message_ids), 100):
                chunk = item.message_ids[start : start + 100]
                with contextlib.suppress(TelegramAPIError):
                    await bot.delete_messages(item.chat_id, chunk)
                    deleted += len(chunk)
        return deleted


async def wipe_everything(sessions: Sessions, deletes: DeleteQueue, bot: Bot) -> int:
    """At shutdown: end every session and delete everything queued now, while the bot can."""
    for chat_id in sessions.chats():
        sessions.finish(chat_id, delay=0)
    return await deletes.flush(bot, everything=True)
