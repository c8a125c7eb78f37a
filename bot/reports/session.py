"""Report sessions and the delete queue: in memory only, never written to disk.

A restart loses a draft, never a person: nothing here survives the process, by design.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.reports import crypto

log = logging.getLogger(__name__)
IDLE_SESSION_SECONDS = 3600


@dataclass
class Draft:
    """Answers while the person fills in the report. Files are sealed as soon as they arrive."""

    key: bytes = field(default_factory=crypto.new_key)
    answers: dict[str, object] = field(default_factory=dict)
    text: str = ""
    sealed_files: list[bytes] = field(default_factory=list)
    file_sizes: list[int] = field(default_factory=list)


@dataclass
class Session:
    """One person's report or check session. `mode`: report | typeback | check | checked."""

    mode: str
    step: str = ""
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
    """Sessions by chat id. The chat id is needed to talk; it is never stored anywhere else."""

    def __init__(self) -> None:
        self._by_chat: dict[int, Session] = {}

    def get(self, chat_id: int) -> Session | None:
        return self._by_chat.get(chat_id)

    def start(self, chat_id: int, mode: str) -> Session:
        session = Session(mode=mode)
        self._by_chat[chat_id] = session
        return session

    def end(self, chat_id: int) -> Session | None:
        return self._by_chat.pop(chat_id, None)

    def idle(self, seconds: float = IDLE_SESSION_SECONDS) -> list[int]:
        now = time.monotonic()
        return [chat for chat, s in self._by_chat.items() if now - s.touched > seconds]


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


async def delete_now(bot: Bot, chat_id: int, message_ids: list[int]) -> None:
    for start in range(0, len(message_ids), 100):
        with contextlib.suppress(TelegramAPIError):
            await bot.delete_messages(chat_id, message_ids[start : start + 100])
