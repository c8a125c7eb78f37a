"""Plain data the fake keeps: chats, the messages people see, files, events and counters."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class ShownMessage:
    """One visible message in a chat, as a person would see it (edits applied)."""

    message_id: int
    from_bot: bool
    text: str | None  # text, or caption of a media message (after entity parsing)
    html: str | None  # the raw text/caption the bot sent (with its parse_mode), None for users
    reply_markup: list[list[dict]] = field(default_factory=list)
    media: str | None = None  # "photo", "document", "voice", ... or None for text
    protect_content: bool = False
    date: int = 0
    edit_date: int | None = None
    entities: list[dict] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)  # the Message object as Telegram sends it

    @property
    def caption(self) -> str | None:
        return self.text if self.media else None

    @property
    def buttons(self) -> list[dict]:
        """All inline buttons, row after row."""
        return [button for row in self.reply_markup for button in row]

    def button(self, text_part: str) -> dict:
        """The first inline button whose text contains ``text_part``."""
        for b in self.buttons:
            if text_part in b.get("text", ""):
                return b
        raise LookupError(f"no button containing {text_part!r}")


@dataclass(slots=True)
class ChatState:
    id: int
    type: str  # private | group | supergroup | channel
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    language_code: str | None = None
    next_message_id: int = 1
    messages: dict[int, ShownMessage] = field(default_factory=dict)
    deleted: list[int] = field(default_factory=list)
    admins: set[int] = field(default_factory=set)
    menu_button: dict | None = None

    def as_chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.type == "private":
            chat["first_name"] = self.first_name or "Test"
        else:
            chat["title"] = self.title or f"Chat {self.id}"
        if self.username:
            chat["username"] = self.username
        return chat


class ChatView:
    """What a test inspects: ``fake.chat(chat_id).messages`` and ``.deleted_ids``."""

    def __init__(self, state: ChatState) -> None:
        self._state = state

    @property
    def id(self) -> int:
        return self._state.id

    @property
    def type(self) -> str:
        return self._state.type

    @property
    def messages(self) -> list[ShownMessage]:
        return [self._state.messages[k] for k in sorted(self._state.messages)]

    @property
    def bot_messages(self) -> list[ShownMessage]:
        return [m for m in self.messages if m.from_bot]

    @property
    def deleted_ids(self) -> list[int]:
        return list(self._state.deleted)

    @property
    def menu_button(self) -> dict | None:
        return self._state.menu_button

    def __repr__(self) -> str:
        return f"<ChatView {self.id} {self.type} messages={len(self._state.messages)}>"


@dataclass(slots=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    file_size: int
    mime_type: str | None = None
    file_name: str | None = None


@dataclass(slots=True)
class BotEvent:
    """Something the bot did: kind is send, edit, delete, answer or action."""

    kind: str
    method: str
    chat_id: int | None
    message: ShownMessage | None = None
    params: dict[str, Any] = field(default_factory=dict)
    # time.perf_counter() when the fake received the call: latency benchmarks compare it with
    # the moment the update was queued (FakeTelegram.pushed_at).
    at: float = field(default_factory=time.perf_counter)


@dataclass(slots=True)
class Stats:
    requests: int = 0
    rate_limited: int = 0  # 429 answers sent
    sent_during_retry_after: int = 0  # sends that ignored a pending retry_after
    errors: int = 0  # all non-2xx answers
    injected: int = 0  # faults injected


@dataclass(slots=True)
class Injection:
    method: str | None
    status: int
    count: int
    retry_after: int | None = None
    description: str | None = None
