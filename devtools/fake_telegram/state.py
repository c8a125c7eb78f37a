"""The simulated world of FakeTelegram: users, chats, messages, files, update queues, the clock.

`WorldState` holds every piece of state; the other parts of the fake (people, methods, limits,
faults, routing) are mixins over it, put together in `server.FakeTelegram`.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import logging
import random
import secrets
import time
from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import web

from devtools.fake_telegram.models import (
    BotEvent,
    ChatState,
    Injection,
    ShownMessage,
    Stats,
    StoredFile,
)
from devtools.fake_telegram.rules import RateLimiter, RateLimits, bad
from devtools.fake_telegram.spec import ApiSpec, load_spec
from devtools.fake_telegram.updates import UpdateQueue

log = logging.getLogger(__name__)

NOT_FOUND_CHAT = "chat not found"


class WorldState:
    """Users, chats, messages, files and update queues of the fake, and its clock."""

    def __init__(
        self,
        token: str = "123456:TEST-token",
        *,
        bot_username: str = "notorture_test_bot",
        bot_first_name: str = "NoTorture Test Bot",
        rate_limits: RateLimits | None = None,
        valid_tokens: Iterable[str] | None = None,
        spec_path: str | None = None,
        hang_seconds: float = 120.0,
        seed: int = 0,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.rate_limits = rate_limits or RateLimits()
        self.valid_tokens: set[str] | None = set(valid_tokens) if valid_tokens else None
        self.hang_seconds = hang_seconds
        self.spec: ApiSpec = load_spec(spec_path)
        self.stats = Stats()
        self.calls: list[tuple[str, dict]] = []
        self.callback_answers: dict[str, dict] = {}
        self.events: list[BotEvent] = []
        self._limiters: dict[str, RateLimiter] = {}
        self._queues: dict[str, UpdateQueue] = {}
        self._chats: dict[int, ChatState] = {}
        self._usernames: dict[str, int] = {}
        self._users: dict[int, dict] = {}
        self._blocked: set[int] = set()
        self._files: dict[str, StoredFile] = {}
        self._queries: dict[str, dict] = {}
        self._commands: dict[tuple[str, str, str], list[dict]] = {}
        self._bot_texts: dict[tuple[str, str, str], str] = {}
        self._default_menu_button: dict = {"type": "default"}
        self._webhooks: dict[str, dict] = {}
        self._injections: list[Injection] = []
        self._fault_mode: str | None = None
        self._latency = (0.0, 0.0)  # seconds before a call is handled: base, + up to jitter
        self._stalled_until = 0.0  # time.monotonic() until which no call is handled
        self._fault_probability = 1.0
        self._fault_methods: set[str] | None = None
        self._rng = random.Random(seed)
        self._listeners: list[Callable[[BotEvent], Any]] = []
        self._call_listeners: list[Callable[[str, dict], Any]] = []  # every call, as received
        self._tasks: set[asyncio.Task] = set()
        self._chat_events: dict[int, list[ShownMessage]] = {}
        self._cursors: dict[int, int] = {}
        self._clock_offset = 0.0
        # The wall clock read once, then advanced by the monotonic clock: the flood windows
        # and message ages move on even when the wall clock stands still or jumps (a libfaketime
        # date check freezes it).
        self._epoch = time.time() - time.monotonic()
        self._ids = itertools.count(1)
        self._in_flight = 0
        self._last_activity = time.monotonic()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    # ------------------------------------------------------------------ clock

    def now(self) -> float:
        """The fake clock: real time plus whatever ``advance`` added."""
        return self._epoch + time.monotonic() + self._clock_offset

    def advance(self, seconds: float) -> None:
        """Move the fake clock forward (48 h delete rule, 15 min callback rule, flood limits)."""
        self._clock_offset += seconds

    # ------------------------------------------------------------------ world

    def _queue(self, token: str) -> UpdateQueue:
        q = self._queues.get(token)
        if q is None:
            q = self._queues[token] = UpdateQueue()
        return q

    def _limiter(self, token: str) -> RateLimiter:
        lim = self._limiters.get(token)
        if lim is None:
            lim = self._limiters[token] = RateLimiter(self.rate_limits)
        return lim

    def _user(self, user_id: int, *, first_name=None, language_code=None, username=None) -> dict:
        user = self._users.get(user_id)
        if user is None:
            user = self._users[user_id] = {"id": user_id, "is_bot": False, "first_name": "Test"}
        if first_name:
            user["first_name"] = first_name
        if language_code:
            user["language_code"] = language_code
        if username:
            user["username"] = username
        return user

    def _bot_user(self, token: str) -> dict:
        bot_id = int(token.split(":", 1)[0])
        return {
            "id": bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _private(self, user_id: int) -> ChatState:
        chat = self._chats.get(user_id)
        if chat is None:
            user = self._user(user_id)
            chat = self._chats[user_id] = ChatState(
                user_id, "private", first_name=user.get("first_name")
            )
        return chat

    def _chat_for_user(self, user_id: int, chat_id: int | None) -> ChatState:
        if chat_id is None or chat_id == user_id:
            chat = self._private(user_id)
            chat.first_name = self._users[user_id].get("first_name")
            return chat
        if chat_id not in self._chats:
            raise KeyError(f"unknown chat {chat_id}: add_group/add_channel first")
        return self._chats[chat_id]

    def _resolve_chat(self, value: Any) -> ChatState:
        if isinstance(value, str):
            if value.startswith("@"):
                chat_id = self._usernames.get(value[1:].lower())
                if chat_id is None:
                    raise bad(NOT_FOUND_CHAT)
                return self._chats[chat_id]
            try:
                value = int(value)
            except ValueError:
                raise bad(NOT_FOUND_CHAT) from None
        if not isinstance(value, int):
            raise bad(NOT_FOUND_CHAT)
        chat = self._chats.get(value)
        if chat is None:
            if value > 0:
                return self._private(value)
            raise bad(NOT_FOUND_CHAT)
        return chat

    def _commands_key(self, token: str, scope: Any, language_code: Any) -> tuple[str, str, str]:
        scope = scope if isinstance(scope, dict) and scope else {"type": "default"}
        return token, json.dumps(scope, sort_keys=True), str(language_code or "")

    def _store(
        self,
        chat: ChatState,
        token: str | None,
        user_id: int | None = None,
        *,
        text: str | None = None,
        entities: list[dict] | None = None,
        html: str | None = None,
        media: tuple[str, Any] | None = None,
        rows: list[list[dict]] | None = None,
        protect: bool = False,
        extra: dict | None = None,
    ) -> ShownMessage:
        mid = chat.next_message_id
        chat.next_message_id += 1
        date = int(self.now())
        raw: dict[str, Any] = {"message_id": mid, "date": date, "chat": chat.as_chat()}
        if token is not None:
            if chat.type == "channel":
                raw["sender_chat"] = chat.as_chat()
            else:
                raw["from"] = self._bot_user(token)
        elif user_id is not None and chat.type != "channel":
            raw["from"] = self._users[user_id]
        if media is not None:
            raw[media[0]] = media[1]
            if text:
                raw["caption"] = text
                if entities:
                    raw["caption_entities"] = entities
        elif text is not None:
            raw["text"] = text
            if entities:
                raw["entities"] = entities
        if rows:
            raw["reply_markup"] = {"inline_keyboard": rows}
        if protect:
            raw["has_protected_content"] = True
        if extra:
            raw.update(extra)
        shown = ShownMessage(
            message_id=mid,
            from_bot=token is not None,
            text=text,
            html=html,
            reply_markup=rows or [],
            media=media[0] if media else None,
            protect_content=protect,
            date=date,
            entities=entities or [],
            raw=raw,
        )
        chat.messages[mid] = shown
        return shown

    def _register_file(
        self,
        kind: str,
        data: bytes,
        file_name: str | None = None,
        mime_type: str | None = None,
        file_size: int | None = None,
    ) -> StoredFile:
        n = next(self._ids)
        unique = f"AQAD{n:06d}{secrets.token_hex(3)}"
        file_id = f"{kind.upper()[:3]}-{n}-{secrets.token_urlsafe(12)}"
        ext = {"photo": "jpg", "voice": "oga", "video": "mp4", "audio": "mp3"}.get(kind, "bin")
        if file_name and "." in file_name:
            ext = file_name.rsplit(".", 1)[1]
        folder = {"photo": "photos", "voice": "voice", "video": "videos"}.get(kind, "documents")
        stored = StoredFile(
            file_id=file_id,
            file_unique_id=unique,
            data=data,
            file_path=f"{folder}/file_{n}.{ext}",
            file_size=len(data) if file_size is None else file_size,
            mime_type=mime_type,
            file_name=file_name,
        )
        self._files[file_id] = stored
        return stored

    def _media_object(self, kind: str, f: StoredFile, duration: int | None = None) -> Any:
        base: dict[str, Any] = {
            "file_id": f.file_id,
            "file_unique_id": f.file_unique_id,
            "file_size": f.file_size,
        }
        if kind == "photo":
            return [base | {"width": 1280, "height": 960}]
        if kind in ("document", "audio", "voice", "video", "animation") and f.mime_type:
            base["mime_type"] = f.mime_type
        if kind in ("document", "audio", "video", "animation") and f.file_name:
            base["file_name"] = f.file_name
        if kind in ("voice", "audio", "video", "animation", "video_note"):
            base["duration"] = duration or 1
        if kind in ("video", "animation"):
            base |= {"width": 640, "height": 360}
        if kind == "video_note":
            base["length"] = 240
        return base

    # ------------------------------------------------------------------ events

    def _emit(self, event: BotEvent) -> None:
        self.events.append(event)
        if event.kind in ("send", "edit") and event.chat_id is not None and event.message:
            self._chat_events.setdefault(event.chat_id, []).append(event.message)
        for callback in self._listeners:
            try:
                result = callback(event)
            except Exception:
                log.exception("fake telegram event listener failed")
                continue
            if inspect.isawaitable(result):
                task = asyncio.ensure_future(result)
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
