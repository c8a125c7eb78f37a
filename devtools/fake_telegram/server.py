"""FakeTelegram: an in-process HTTP fake of the Telegram Bot API for tests and the terminal demo.

The real aiogram ``Bot`` talks to it over HTTP on 127.0.0.1. It validates methods against the
Bot API spec, enforces Telegram's limits with Telegram's error texts, simulates users, chats,
files and callback buttons, and lets tests inspect what a person would see.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import itertools
import json
import logging
import math
import random
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from aiohttp import web

from bot.telegram_html import utf16_len
from devtools.fake_telegram.models import (
    BotEvent,
    ChatState,
    ChatView,
    Injection,
    ShownMessage,
    Stats,
    StoredFile,
)
from devtools.fake_telegram.rules import (
    CALLBACK_ANSWER_LIMIT,
    ApiError,
    RateLimiter,
    RateLimits,
    bad,
    check_commands,
    check_reply_markup,
    render_text,
)
from devtools.fake_telegram.spec import ApiSpec, load_spec

log = logging.getLogger(__name__)

TOKEN_RE = re.compile(r"\d+:[\w-]+")
DOWNLOAD_LIMIT = 20 * 1024 * 1024
UPLOAD_LIMIT = 50 * 1024 * 1024
DELETE_AGE = 48 * 3600
QUERY_AGE = 15 * 60
DEFAULT_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
MEDIA_KINDS = ("photo", "document", "voice", "audio", "video", "animation", "video_note")
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND_IN_TEXT = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,})?")
NOT_FOUND_CHAT = "chat not found"
BAD_QUERY = "query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


class _UpdateQueue:
    """Pending updates of one bot token, with long-poll wake-ups."""

    def __init__(self) -> None:
        self.updates: list[dict] = []
        self.next_id = 1
        self.delivered_max = 0
        self.allowed: frozenset[str] = DEFAULT_UPDATES
        self.poll_gen = 0
        self.event = asyncio.Event()
        self.pushed_at: dict[int, float] = {}  # update_id → time.perf_counter() when queued

    def notify(self) -> None:
        old, self.event = self.event, asyncio.Event()
        old.set()

    def push(self, update: dict) -> int:
        update_id = update.setdefault("update_id", self.next_id)
        self.next_id = max(self.next_id, update_id) + 1
        self.updates.append(update)
        self.pushed_at[update_id] = time.perf_counter()
        self.notify()
        return update_id

    def confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            self.updates = self.updates[offset:]
        else:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]

    def available(self, limit: int) -> list[dict]:
        # Updates of types the bot did not ask for are dropped, as Telegram does.
        self.updates = [u for u in self.updates if _update_type(u) in self.allowed]
        return self.updates[:limit]

    @property
    def undelivered(self) -> int:
        return sum(1 for u in self.updates if u["update_id"] > self.delivered_max)


def _update_type(update: dict) -> str:
    return next((k for k in update if k != "update_id"), "")


class FakeTelegram:
    """An HTTP fake of the Telegram Bot API. See devtools/fake_telegram/README.md."""

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
        self._queues: dict[str, _UpdateQueue] = {}
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
        self._fault_probability = 1.0
        self._fault_methods: set[str] | None = None
        self._rng = random.Random(seed)
        self._listeners: list[Callable[[BotEvent], Any]] = []
        self._tasks: set[asyncio.Task] = set()
        self._chat_events: dict[int, list[ShownMessage]] = {}
        self._cursors: dict[int, int] = {}
        self._clock_offset = 0.0
        self._ids = itertools.count(1)
        self._in_flight = 0
        self._last_activity = time.monotonic()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> FakeTelegram:
        """Bind 127.0.0.1 on a free port and start serving."""
        app = web.Application(client_max_size=UPLOAD_LIMIT + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Stop serving; pending long polls and hanging requests return at once."""
        self._closing.set()
        for q in self._queues.values():
            q.notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        for task in list(self._tasks):
            task.cancel()

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """Pass this to ``TelegramAPIServer.from_base``."""
        if self.port is None:
            raise RuntimeError("FakeTelegram is not started")
        return f"http://127.0.0.1:{self.port}"

    # ------------------------------------------------------------------ clock

    def now(self) -> float:
        """The fake clock: real time plus whatever ``advance`` added."""
        return time.time() + self._clock_offset

    def advance(self, seconds: float) -> None:
        """Move the fake clock forward (48 h delete rule, 15 min callback rule, flood limits)."""
        self._clock_offset += seconds

    # ------------------------------------------------------------------ faults

    def inject(
        self,
        method: str | None = None,
        status: int = 500,
        count: int = 1,
        retry_after: int | None = None,
        description: str | None = None,
    ) -> None:
        """Answer the next ``count`` calls of ``method`` (None: any method but getUpdates)
        with an error ``status``; 429 carries ``retry_after`` (default 1)."""
        if status == 429 and retry_after is None:
            retry_after = 1
        self._injections.append(Injection(method, status, count, retry_after, description))

    def set_faults(
        self,
        mode: str | None = None,
        probability: float = 1.0,
        methods: Iterable[str] | None = None,
    ) -> None:
        """mode: None | "error500" | "error502" | "hang" | "reset"; applies to every method
        except getUpdates unless ``methods`` names them."""
        if mode not in (None, "error500", "error502", "hang", "reset"):
            raise ValueError(f"unknown fault mode {mode!r}")
        self._fault_mode = mode
        self._fault_probability = probability
        self._fault_methods = set(methods) if methods else None

    def _matches(self, wanted: str | None, method: str, allowed: set[str] | None = None) -> bool:
        if allowed is not None:
            return method in allowed
        if wanted is None:
            return method != "getUpdates"
        return wanted.lower() == method.lower()

    # ------------------------------------------------------------------ simulated world

    def add_channel(
        self,
        chat_id: int,
        *,
        username: str | None = None,
        title: str | None = None,
        admins: Iterable[int] = (),
    ) -> ChatView:
        return self._add_chat(chat_id, "channel", username, title, admins)

    def add_group(
        self,
        chat_id: int,
        *,
        username: str | None = None,
        title: str | None = None,
        supergroup: bool = True,
        admins: Iterable[int] = (),
    ) -> ChatView:
        kind = "supergroup" if supergroup else "group"
        return self._add_chat(chat_id, kind, username, title, admins)

    def _add_chat(self, chat_id, kind, username, title, admins) -> ChatView:
        chat = ChatState(chat_id, kind, title=title, username=(username or "").lstrip("@") or None)
        chat.admins = set(admins)
        self._chats[chat_id] = chat
        if chat.username:
            self._usernames[chat.username.lower()] = chat_id
        return ChatView(chat)

    def block_user(self, user_id: int) -> None:
        """The user blocks the bot: sends fail with 403 and a my_chat_member update is queued."""
        self._blocked.add(user_id)
        self._member_update(user_id, "member", "kicked")

    def unblock_user(self, user_id: int) -> None:
        self._blocked.discard(user_id)
        self._member_update(user_id, "kicked", "member")

    def _member_update(self, user_id: int, old: str, new: str) -> None:
        chat = self._private(user_id)
        bot = self._bot_user(self.token)
        new_member: dict[str, Any] = {"status": new, "user": bot}
        if new == "kicked":
            new_member["until_date"] = 0
        self.send_update(
            {
                "my_chat_member": {
                    "chat": chat.as_chat(),
                    "from": self._user(user_id),
                    "date": int(self.now()),
                    "old_chat_member": {"status": old, "user": bot}
                    | ({"until_date": 0} if old == "kicked" else {}),
                    "new_chat_member": new_member,
                }
            }
        )

    def send_update(self, update: dict, *, token: str | None = None) -> int:
        """Queue any raw update (update_id is assigned when missing); returns its id."""
        return self._queue(token or self.token).push(update)

    async def send_text(
        self,
        user_id: int,
        text: str,
        *,
        language_code: str | None = "en",
        chat_id: int | None = None,
        first_name: str = "Test",
        username: str | None = None,
        reply_to: int | None = None,
    ) -> dict:
        """A person sends a text message (commands get bot_command entities)."""
        self._user(user_id, first_name=first_name, language_code=language_code, username=username)
        chat = self._chat_for_user(user_id, chat_id)
        entities = [
            {"type": "bot_command", "offset": utf16_len(text[: m.start()]), "length": m_len}
            for m in _COMMAND_IN_TEXT.finditer(text)
            if (m_len := utf16_len(m.group(0)))
        ]
        extra: dict[str, Any] = {}
        if reply_to is not None and reply_to in chat.messages:
            extra["reply_to_message"] = chat.messages[reply_to].raw
        shown = self._store(chat, None, user_id, text=text, entities=entities, extra=extra)
        return self._user_update(chat, shown)

    async def send_content(
        self,
        user_id: int,
        content: dict[str, Any],
        *,
        chat_id: int | None = None,
        language_code: str | None = "en",
        first_name: str = "Test",
    ) -> dict:
        """A person sends any message content given as Bot API fields (sticker, location,
        contact, poll, dice, venue, ...); the message is stored in the chat like Telegram does."""
        self._user(user_id, first_name=first_name, language_code=language_code)
        chat = self._chat_for_user(user_id, chat_id)
        shown = self._store(chat, None, user_id, extra=dict(content))
        return self._user_update(chat, shown)

    async def edit_user_message(
        self, user_id: int, message_id: int, text: str, *, chat_id: int | None = None
    ) -> dict:
        """A person edits a message of theirs still in the chat (the text, or a caption):
        the chat shows the new text and the bot gets an ``edited_message`` update."""
        chat = self._chat_for_user(user_id, chat_id)
        shown = chat.messages.get(message_id)
        if shown is None or shown.from_bot:
            raise KeyError(f"no message {message_id} of this person in chat {chat.id}")
        key = "caption" if shown.media else "text"
        shown.raw.pop(f"{key}_entities" if shown.media else "entities", None)
        shown.text = text
        shown.entities = []
        shown.raw[key] = text
        shown.edit_date = int(self.now())
        shown.raw["edit_date"] = shown.edit_date
        self._cursors[chat.id] = len(self._chat_events.get(chat.id, []))
        self.send_update({"edited_message": dict(shown.raw)})
        return shown.raw

    def pushed_at(self, update_id: int, *, token: str | None = None) -> float | None:
        """time.perf_counter() when the update was queued (for latency measurements)."""
        return self._queue(token or self.token).pushed_at.get(update_id)

    async def send_photo(
        self, user_id: int, data: bytes, caption: str | None = None, *, chat_id=None, **kw
    ) -> dict:
        return await self._send_user_media(user_id, "photo", data, caption, chat_id, **kw)

    async def send_document(
        self,
        user_id: int,
        data: bytes,
        file_name: str = "file.bin",
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
        *,
        chat_id=None,
        **kw,
    ) -> dict:
        return await self._send_user_media(
            user_id,
            "document",
            data,
            caption,
            chat_id,
            file_name=file_name,
            mime_type=mime_type,
            **kw,
        )

    async def send_voice(self, user_id: int, data: bytes, *, duration: int = 3, chat_id=None, **kw):
        return await self._send_user_media(
            user_id, "voice", data, None, chat_id, mime_type="audio/ogg", duration=duration, **kw
        )

    async def send_video(
        self,
        user_id: int,
        data: bytes,
        caption: str | None = None,
        *,
        duration=5,
        chat_id=None,
        **kw,
    ) -> dict:
        return await self._send_user_media(
            user_id, "video", data, caption, chat_id, mime_type="video/mp4", duration=duration, **kw
        )

    async def send_audio(self, user_id: int, data: bytes, *, duration: int = 5, chat_id=None, **kw):
        return await self._send_user_media(
            user_id, "audio", data, None, chat_id, mime_type="audio/mpeg", duration=duration, **kw
        )

    async def _send_user_media(
        self,
        user_id: int,
        kind: str,
        data: bytes,
        caption: str | None,
        chat_id: int | None,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        duration: int | None = None,
        file_size: int | None = None,
        language_code: str | None = "en",
        first_name: str = "Test",
    ) -> dict:
        self._user(user_id, first_name=first_name, language_code=language_code)
        chat = self._chat_for_user(user_id, chat_id)
        stored = self._register_file(kind, data, file_name, mime_type, file_size)
        media = self._media_object(kind, stored, duration)
        shown = self._store(chat, None, user_id, text=caption, media=(kind, media))
        return self._user_update(chat, shown)

    async def press(
        self,
        user_id: int,
        message_id: int,
        callback_data: str,
        *,
        chat_id: int | None = None,
        force: bool = False,
    ) -> str:
        """A person taps an inline button of a bot message; returns the callback query id."""
        user = self._user(user_id)
        chat = self._chat_for_user(user_id, chat_id)
        msg = chat.messages.get(message_id)
        if not force:
            if msg is None or not msg.from_bot:
                raise LookupError(f"no bot message {message_id} in chat {chat.id}")
            if not any(b.get("callback_data") == callback_data for b in msg.buttons):
                raise LookupError(
                    f"message {message_id} has no button with callback_data {callback_data!r}"
                )
        query_id = str(next(self._ids) * 1000003 + secrets.randbelow(1000))
        query: dict[str, Any] = {
            "id": query_id,
            "from": user,
            "chat_instance": str(abs(chat.id) * 7 + 1),
            "data": callback_data,
        }
        if msg is not None:
            query["message"] = msg.raw
        else:
            query["message"] = {"message_id": message_id, "date": 0, "chat": chat.as_chat()}
        self._queries[query_id] = {"date": self.now(), "answered": False}
        self._cursors[chat.id] = len(self._chat_events.get(chat.id, []))
        self.send_update({"callback_query": query})
        return query_id

    # ------------------------------------------------------------------ inspection

    def chat(self, chat_id: int) -> ChatView:
        state = self._chats.get(chat_id)
        if state is None:
            if chat_id > 0:
                state = self._private(chat_id)
            else:
                raise KeyError(f"unknown chat {chat_id}")
        return ChatView(state)

    def bot_messages(self, chat_id: int) -> list[ShownMessage]:
        return self.chat(chat_id).bot_messages

    def file_bytes(self, file_id: str) -> bytes:
        return self._files[file_id].data

    def commands(self, scope: dict | None = None, language_code: str = "") -> list[dict]:
        return list(self._commands.get(self._commands_key(self.token, scope, language_code), []))

    def on_event(self, callback: Callable[[BotEvent], Any]) -> None:
        """Call ``callback(event)`` (sync or async) for every send/edit/delete/answer/action."""
        self._listeners.append(callback)

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:  # noqa: ASYNC109
        """Poll ``predicate`` until it returns something truthy; TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"condition not met within {timeout} s")
            await asyncio.sleep(0.005)

    async def wait_idle(self, quiet: float = 0.2, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until every queued update was fetched and no request came for ``quiet`` s."""
        deadline = time.monotonic() + timeout
        while True:
            busy = self._in_flight or any(q.undelivered for q in self._queues.values())
            if not busy and time.monotonic() - self._last_activity >= quiet:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"fake Telegram not idle within {timeout} s")
            await asyncio.sleep(min(0.01, quiet / 4))

    async def next_bot_message(self, chat_id: int, timeout: float = 5.0) -> ShownMessage:  # noqa: ASYNC109
        """The next message the bot sent or edited in the chat, in order. A user action in
        the chat (send_text, press, ...) skips what came before it."""
        events = self._chat_events.setdefault(chat_id, [])
        await self.wait_for(lambda: len(events) > self._cursors.get(chat_id, 0), timeout)
        index = self._cursors.get(chat_id, 0)
        self._cursors[chat_id] = index + 1
        return events[index]

    # ------------------------------------------------------------------ internals: world

    def _queue(self, token: str) -> _UpdateQueue:
        q = self._queues.get(token)
        if q is None:
            q = self._queues[token] = _UpdateQueue()
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

    def _user_update(self, chat: ChatState, shown: ShownMessage) -> dict:
        self._cursors[chat.id] = len(self._chat_events.get(chat.id, []))
        kind = "channel_post" if chat.type == "channel" else "message"
        self.send_update({kind: shown.raw})
        return shown.raw

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

    def _check_blocked(self, chat: ChatState) -> None:
        if chat.type == "private" and chat.id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")

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

    # ------------------------------------------------------------------ internals: events

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

    # ------------------------------------------------------------------ HTTP

    async def _read_params(self, request: web.Request) -> tuple[dict, dict]:
        params: dict[str, Any] = dict(request.query)
        files: dict[str, tuple[bytes, str | None, str | None]] = {}
        ctype = request.content_type
        if request.method == "POST" and request.can_read_body:
            if ctype == "application/json":
                body = await request.json()
                if isinstance(body, dict):
                    params.update(body)
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                post = await request.post()
                for key, value in post.items():
                    if isinstance(value, web.FileField):
                        files[key] = (value.file.read(), value.filename, value.content_type)
                    else:
                        params[key] = value
        return params, files

    def _error(self, status: int, description: str, retry_after: int | None = None):
        self.stats.errors += 1
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        if status == 429:
            self.stats.rate_limited += 1
        return web.json_response(body, status=status)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        method = request.match_info["method"]
        polling = method.lower() == "getupdates"
        if not polling:
            self._in_flight += 1
        self._last_activity = time.monotonic()
        try:
            return await self._handle_inner(request, token, method)
        finally:
            if not polling:
                self._in_flight -= 1
            self._last_activity = time.monotonic()

    async def _handle_inner(self, request: web.Request, token: str, method: str):
        self.stats.requests += 1
        if not TOKEN_RE.fullmatch(token) or (
            self.valid_tokens is not None and token not in self.valid_tokens
        ):
            return self._error(401, "Unauthorized")
        name = self.spec.method_name(method)
        if name is None:
            return self._error(404, "Not Found")
        try:
            raw, files = await self._read_params(request)
        except (ValueError, json.JSONDecodeError):
            return self._error(400, "Bad Request: can't parse JSON object")
        params = self.spec.coerce(name, raw)
        self.calls.append((name, params))
        log.debug("fake telegram call %s", name)

        fault = await self._apply_faults(request, name, params)
        if fault is not None:
            return fault
        try:
            missing = self.spec.missing_required(name, params)
            if missing is not None:
                if missing in ("text",):
                    raise bad("message text is empty")
                raise bad(f"{missing} is empty")
            handler = getattr(self, f"_m_{name}", None)
            if handler is not None:
                result = await handler(params, files, token)
            elif name in _SEND_KINDS:
                result = await self._send_media(name, params, files, token)
            else:
                result = self._generic(name)
        except ApiError as e:
            return self._error(e.status, e.description, e.retry_after)
        return web.json_response({"ok": True, "result": result})

    async def _apply_faults(self, request, name, params) -> web.StreamResponse | None:
        for inj in self._injections:
            if inj.count > 0 and self._matches(inj.method, name):
                inj.count -= 1
                self.stats.injected += 1
                if inj.status == 429:
                    chat_key = params.get("chat_id", "*")
                    with contextlib.suppress(ApiError):
                        chat_key = self._resolve_chat(chat_key).id if chat_key != "*" else "*"
                    self._limiter(request.match_info["token"]).note_retry(
                        chat_key, self.now(), inj.retry_after or 1
                    )
                    desc = inj.description or f"Too Many Requests: retry after {inj.retry_after}"
                    return self._error(429, desc, inj.retry_after)
                desc = inj.description or _STATUS_TEXT.get(inj.status, "Internal Server Error")
                return self._error(inj.status, desc)
        mode = self._fault_mode
        if mode is None or not self._matches(None, name, self._fault_methods):
            return None
        if self._rng.random() >= self._fault_probability:
            return None
        self.stats.injected += 1
        if mode == "error500":
            return self._error(500, "Internal Server Error")
        if mode == "error502":
            self.stats.errors += 1
            return web.Response(
                status=502,
                text="<html><head><title>502 Bad Gateway</title></head><body>"
                "<center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>"
                "</body></html>",
                content_type="text/html",
            )
        if mode == "hang":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), self.hang_seconds)
            return self._error(500, "Internal Server Error")
        # reset: drop the connection without an answer
        if request.transport is not None:
            request.transport.abort()
        raise ConnectionResetError("fake telegram reset the connection")

    async def _download(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        path = request.match_info["path"]
        self._last_activity = time.monotonic()
        if not TOKEN_RE.fullmatch(token):
            return self._error(401, "Unauthorized")
        for f in self._files.values():
            if f.file_path == path and f.file_size <= DOWNLOAD_LIMIT:
                return web.Response(body=f.data, content_type="application/octet-stream")
        return self._error(404, "Not Found")

    def _generic(self, name: str) -> Any:
        returns = self.spec.returns(name)
        if not returns or returns[0] in ("Boolean", "True"):
            return True
        return self.spec.minimal(returns[0])

    # ------------------------------------------------------------------ methods: bot & updates

    async def _m_getMe(self, p, files, token):
        return self._bot_user(token) | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_logOut(self, p, files, token):
        return True

    _m_close = _m_logOut

    async def _m_getUpdates(self, p, files, token):
        if self._webhooks.get(token, {}).get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        q = self._queue(token)
        q.poll_gen += 1
        gen = q.poll_gen
        q.notify()  # an older long poll is terminated with 409
        limit = p.get("limit") or 100
        if not isinstance(limit, int) or not 1 <= limit <= 100:
            limit = 100
        timeout = p.get("timeout") or 0
        timeout = max(0.0, min(float(timeout), 50.0)) if isinstance(timeout, int | float) else 0
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            q.allowed = frozenset(allowed) if allowed else DEFAULT_UPDATES
        offset = p.get("offset")
        q.confirm(offset if isinstance(offset, int) else None)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = q.event
            if q.poll_gen != gen:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )
            updates = q.available(limit)
            remaining = deadline - loop.time()
            if updates or remaining <= 0 or self._closing.is_set():
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)
        if updates:
            q.delivered_max = max(q.delivered_max, updates[-1]["update_id"])
            self._last_activity = time.monotonic()
        return updates

    async def _m_setWebhook(self, p, files, token):
        url = str(p.get("url", ""))
        if url and not url.startswith("https://"):
            raise bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise bad("secret token contains unallowed characters")
        self._webhooks[token] = {"url": url, "secret_token": secret}
        if p.get("drop_pending_updates"):
            self._queue(token).updates.clear()
        self._queue(token).notify()
        return True

    async def _m_deleteWebhook(self, p, files, token):
        self._webhooks.pop(token, None)
        if p.get("drop_pending_updates"):
            self._queue(token).updates.clear()
        return True

    async def _m_getWebhookInfo(self, p, files, token):
        return {
            "url": self._webhooks.get(token, {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue(token).updates),
        }

    # ------------------------------------------------------------------ methods: bot settings

    def _commands_key(self, token: str, scope: Any, language_code: Any) -> tuple[str, str, str]:
        scope = scope if isinstance(scope, dict) and scope else {"type": "default"}
        return token, json.dumps(scope, sort_keys=True), str(language_code or "")

    async def _m_setMyCommands(self, p, files, token):
        commands = check_commands(p.get("commands"), p.get("language_code"))
        key = self._commands_key(token, p.get("scope"), p.get("language_code"))
        self._commands[key] = commands
        return True

    async def _m_getMyCommands(self, p, files, token):
        key = self._commands_key(token, p.get("scope"), p.get("language_code"))
        return self._commands.get(key, [])

    async def _m_deleteMyCommands(self, p, files, token):
        key = self._commands_key(token, p.get("scope"), p.get("language_code"))
        self._commands.pop(key, None)
        return True

    def _set_bot_text(self, token, p, field: str, limit: int) -> bool:
        value = str(p.get(field) or "")
        if len(value) > limit:
            raise bad(f"{field} is too long")
        self._bot_texts[(token, field, str(p.get("language_code") or ""))] = value
        return True

    def _get_bot_text(self, token, p, field: str) -> dict:
        lang = str(p.get("language_code") or "")
        value = self._bot_texts.get((token, field, lang))
        if value is None:
            value = self._bot_texts.get(
                (token, field, ""), self.bot_first_name if field == "name" else ""
            )
        return {field: value}

    async def _m_setMyDescription(self, p, files, token):
        return self._set_bot_text(token, p, "description", 512)

    async def _m_getMyDescription(self, p, files, token):
        return self._get_bot_text(token, p, "description")

    async def _m_setMyShortDescription(self, p, files, token):
        return self._set_bot_text(token, p, "short_description", 120)

    async def _m_getMyShortDescription(self, p, files, token):
        return self._get_bot_text(token, p, "short_description")

    async def _m_setMyName(self, p, files, token):
        return self._set_bot_text(token, p, "name", 64)

    async def _m_getMyName(self, p, files, token):
        return self._get_bot_text(token, p, "name")

    async def _m_setChatMenuButton(self, p, files, token):
        button = p.get("menu_button") or {"type": "default"}
        if "chat_id" in p:
            self._resolve_chat(p["chat_id"]).menu_button = button
        else:
            self._default_menu_button = button
        return True

    async def _m_getChatMenuButton(self, p, files, token):
        if "chat_id" in p:
            return self._resolve_chat(p["chat_id"]).menu_button or self._default_menu_button
        return self._default_menu_button

    # ------------------------------------------------------------------ methods: chats

    async def _m_getChat(self, p, files, token):
        chat = self._resolve_chat(p["chat_id"])
        info = self.spec.minimal("ChatFullInfo") | chat.as_chat()
        info["max_reaction_count"] = 11
        return info

    def _member(self, chat: ChatState, user_id: int, token: str) -> dict:
        bot = self._bot_user(token)
        user = bot if user_id == bot["id"] else self._user(user_id)
        if chat.type == "private":
            if user_id == bot["id"] and chat.id in self._blocked:
                return {"status": "kicked", "user": user, "until_date": 0}
            return {"status": "member", "user": user}
        if user_id in chat.admins or user_id == bot["id"]:
            member = self.spec.minimal("ChatMemberAdministrator")
            for key, value in member.items():
                if value is True:
                    member[key] = True
            return member | {
                "status": "administrator",
                "user": user,
                "can_be_edited": False,
                "is_anonymous": False,
            }
        return {"status": "member", "user": user}

    async def _m_getChatMember(self, p, files, token):
        chat = self._resolve_chat(p["chat_id"])
        return self._member(chat, int(p["user_id"]), token)

    async def _m_getChatAdministrators(self, p, files, token):
        chat = self._resolve_chat(p["chat_id"])
        if chat.type == "private":
            return []
        ids = [*sorted(chat.admins), int(token.split(":", 1)[0])]
        return [self._member(chat, i, token) for i in dict.fromkeys(ids)]

    # ------------------------------------------------------------------ methods: sending

    def _chat_for_send(self, p: dict) -> ChatState:
        chat = self._resolve_chat(p.get("chat_id"))
        self._check_blocked(chat)
        return chat

    def _flood(self, token: str, chat: ChatState, count: int = 1) -> None:
        limiter = self._limiter(token)
        now = self.now()
        pending = limiter.pending_retry(chat.id, now)
        if pending > 0:
            self.stats.sent_during_retry_after += 1
            wait = max(1, math.ceil(pending))
            raise ApiError(429, f"Too Many Requests: retry after {wait}", wait)
        wait = limiter.check(chat.id, chat.type == "private", count, now)
        if wait is not None:
            raise ApiError(429, f"Too Many Requests: retry after {wait}", wait)

    def _reply_extra(self, chat: ChatState, p: dict) -> dict:
        reply = p.get("reply_parameters")
        if isinstance(reply, dict) and reply.get("message_id"):
            target = chat.messages.get(reply["message_id"])
            if target is None:
                if not reply.get("allow_sending_without_reply"):
                    raise bad("message to be replied not found")
                return {}
            return {"reply_to_message": target.raw}
        return {}

    def _sent(self, method: str, chat: ChatState, shown: ShownMessage, p: dict) -> dict:
        self._emit(BotEvent("send", method, chat.id, shown, p))
        return shown.raw

    async def _m_sendMessage(self, p, files, token):
        chat = self._chat_for_send(p)
        text = p.get("text")
        plain, entities = render_text(text, p.get("parse_mode"), p.get("entities"))
        rows = check_reply_markup(p.get("reply_markup"))
        extra = self._reply_extra(chat, p)
        self._flood(token, chat)
        shown = self._store(
            chat,
            token,
            text=plain,
            entities=entities,
            html=str(text),
            rows=rows,
            protect=bool(p.get("protect_content")),
            extra=extra,
        )
        return self._sent("sendMessage", chat, shown, p)

    def _input_file(self, value: Any, files: dict, kind: str, field: str) -> StoredFile:
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value[len("attach://") :])
        else:
            upload = files.get(field) if not isinstance(value, str) or not value else None
            if upload is None and isinstance(value, str) and value in self._files:
                return self._files[value]
            if (
                upload is None
                and isinstance(value, str)
                and value.startswith(("http://", "https://"))
            ):
                return self._register_file(kind, b"", value.rsplit("/", 1)[-1] or None)
        if upload is None:
            raise bad("wrong file identifier/HTTP URL specified")
        data, filename, content_type = upload
        if len(data) > UPLOAD_LIMIT:
            raise ApiError(413, "Request Entity Too Large")
        if kind == "photo" and len(data) > 10 * 1024 * 1024:
            raise bad("PHOTO_INVALID_DIMENSIONS")
        if not data:
            raise bad("file must be non-empty")
        return self._register_file(kind, data, filename, content_type)

    async def _send_media(self, name: str, p: dict, files: dict, token: str):
        kind = _SEND_KINDS[name]
        chat = self._chat_for_send(p)
        caption = p.get("caption")
        plain, entities = render_text(
            caption, p.get("parse_mode"), p.get("caption_entities"), caption=True
        )
        rows = check_reply_markup(p.get("reply_markup"))
        extra = self._reply_extra(chat, p)
        stored = self._input_file(p.get(kind), files, kind, kind)
        self._flood(token, chat)
        shown = self._store(
            chat,
            token,
            text=plain or None,
            entities=entities,
            html=None if caption is None else str(caption),
            media=(kind, self._media_object(kind, stored, p.get("duration"))),
            rows=rows,
            protect=bool(p.get("protect_content")),
            extra=extra,
        )
        return self._sent(name, chat, shown, p)

    async def _m_sendMediaGroup(self, p, files, token):
        chat = self._chat_for_send(p)
        media = p.get("media")
        if not isinstance(media, list) or len(media) < 2:
            raise bad("MEDIA_EMPTY: a media group must have 2-10 items")
        if len(media) > 10:
            raise bad("too much messages to send as an album")
        prepared = []
        for item in media:
            kind = item.get("type")
            if kind not in ("photo", "video", "document", "audio"):
                raise bad("unsupported media type in the album")
            plain, entities = render_text(
                item.get("caption"),
                item.get("parse_mode"),
                item.get("caption_entities"),
                caption=True,
            )
            stored = self._input_file(item.get("media"), files, kind, "media")
            prepared.append((kind, stored, plain, entities, item.get("caption")))
        self._flood(token, chat, len(prepared))
        group_id = str(10**15 + next(self._ids))
        result = []
        for kind, stored, plain, entities, caption in prepared:
            shown = self._store(
                chat,
                token,
                text=plain or None,
                entities=entities,
                html=caption,
                media=(kind, self._media_object(kind, stored)),
                protect=bool(p.get("protect_content")),
                extra={"media_group_id": group_id},
            )
            result.append(self._sent("sendMediaGroup", chat, shown, p))
        return result

    async def _m_sendChatAction(self, p, files, token):
        chat = self._chat_for_send(p)
        if p.get("action") not in CHAT_ACTIONS:
            raise bad("wrong parameter action in request")
        self._emit(BotEvent("action", "sendChatAction", chat.id, None, p))
        return True

    def _source(self, p: dict, message_id: Any, what: str) -> ShownMessage:
        source_chat = self._resolve_chat(p.get("from_chat_id"))
        msg = source_chat.messages.get(message_id) if isinstance(message_id, int) else None
        if msg is None:
            raise bad(f"message to {what} not found")
        if msg.protect_content:
            raise bad(f"message can't be {'forwarded' if what == 'forward' else 'copied'}")
        return msg

    def _copy_one(self, chat, token, src: ShownMessage, p: dict, method: str) -> ShownMessage:
        text, entities, html = src.text, src.entities, src.html
        if src.media and "caption" in p:
            text, entities = render_text(
                p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
            )
            html = p.get("caption")
        media = (src.media, src.raw[src.media]) if src.media else None
        rows = check_reply_markup(p.get("reply_markup"))
        shown = self._store(
            chat,
            token,
            text=text or None,
            entities=entities,
            html=html,
            media=media,
            rows=rows,
            protect=bool(p.get("protect_content")),
        )
        self._emit(BotEvent("send", method, chat.id, shown, p))
        return shown

    async def _m_copyMessage(self, p, files, token):
        chat = self._chat_for_send(p)
        src = self._source(p, p.get("message_id"), "copy")
        self._flood(token, chat)
        return {"message_id": self._copy_one(chat, token, src, p, "copyMessage").message_id}

    async def _m_copyMessages(self, p, files, token):
        chat = self._chat_for_send(p)
        ids = p.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad("message_ids must contain 1-100 identifiers")
        sources = [self._source(p, i, "copy") for i in sorted(ids)]
        self._flood(token, chat, len(sources))
        plain = {k: v for k, v in p.items() if k != "reply_markup"}
        return [
            {"message_id": self._copy_one(chat, token, s, plain, "copyMessages").message_id}
            for s in sources
        ]

    async def _m_forwardMessage(self, p, files, token):
        chat = self._chat_for_send(p)
        src = self._source(p, p.get("message_id"), "forward")
        self._flood(token, chat)
        origin: dict[str, Any] = {"type": "user", "date": src.date}
        sender = src.raw.get("from")
        if sender:
            origin["sender_user"] = sender
        else:
            origin = {"type": "chat", "date": src.date, "sender_chat": src.raw["chat"]}
        media = (src.media, src.raw[src.media]) if src.media else None
        shown = self._store(
            chat,
            token,
            text=src.text,
            entities=src.entities,
            html=src.html,
            media=media,
            protect=bool(p.get("protect_content")),
            extra={"forward_origin": origin},
        )
        return self._sent("forwardMessage", chat, shown, p)

    # ------------------------------------------------------------------ methods: edit/delete

    def _editable(self, p: dict) -> tuple[ChatState, ShownMessage] | None:
        if p.get("inline_message_id"):
            return None
        if "chat_id" not in p or "message_id" not in p:
            raise bad("message identifier is not specified")
        chat = self._resolve_chat(p["chat_id"])
        self._check_blocked(chat)
        msg = chat.messages.get(p["message_id"])
        if msg is None:
            raise bad("message to edit not found")
        if not msg.from_bot:
            raise bad("message can't be edited")
        return chat, msg

    def _apply_edit(self, method, chat, old: ShownMessage, p: dict, **changes) -> dict:
        raw = dict(old.raw)
        text = changes.get("text", old.text)
        entities = changes.get("entities", old.entities)
        rows = changes.get("reply_markup", old.reply_markup)
        key, ekey = ("caption", "caption_entities") if old.media else ("text", "entities")
        raw.pop(key, None)
        raw.pop(ekey, None)
        raw.pop("reply_markup", None)
        if text:
            raw[key] = text
        if entities:
            raw[ekey] = entities
        if rows:
            raw["reply_markup"] = {"inline_keyboard": rows}
        raw["edit_date"] = int(self.now())
        new = replace(
            old,
            text=text,
            entities=entities,
            reply_markup=rows,
            html=changes.get("html", old.html),
            edit_date=raw["edit_date"],
            raw=raw,
        )
        chat.messages[old.message_id] = new
        self._emit(BotEvent("edit", method, chat.id, new, p))
        return raw

    async def _m_editMessageText(self, p, files, token):
        target = self._editable(p)
        plain, entities = render_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
        rows = check_reply_markup(p.get("reply_markup"))
        if target is None:
            return True
        chat, msg = target
        if msg.media:
            raise bad("there is no text in the message to edit")
        if plain == msg.text and entities == msg.entities and rows == msg.reply_markup:
            raise bad(NOT_MODIFIED)
        return self._apply_edit(
            "editMessageText",
            chat,
            msg,
            p,
            text=plain,
            entities=entities,
            reply_markup=rows,
            html=str(p.get("text")),
        )

    async def _m_editMessageCaption(self, p, files, token):
        target = self._editable(p)
        plain, entities = render_text(
            p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
        )
        rows = check_reply_markup(p.get("reply_markup"))
        if target is None:
            return True
        chat, msg = target
        if not msg.media:
            raise bad("there is no caption in the message to edit")
        if (plain or None) == msg.text and entities == msg.entities and rows == msg.reply_markup:
            raise bad(NOT_MODIFIED)
        return self._apply_edit(
            "editMessageCaption",
            chat,
            msg,
            p,
            text=plain or None,
            entities=entities,
            reply_markup=rows,
            html=p.get("caption"),
        )

    async def _m_editMessageReplyMarkup(self, p, files, token):
        target = self._editable(p)
        rows = check_reply_markup(p.get("reply_markup"))
        if target is None:
            return True
        chat, msg = target
        if rows == msg.reply_markup:
            raise bad(NOT_MODIFIED)
        return self._apply_edit("editMessageReplyMarkup", chat, msg, p, reply_markup=rows)

    def _delete(self, chat: ChatState, message_id: Any) -> None:
        msg = chat.messages.get(message_id) if isinstance(message_id, int) else None
        if msg is None:
            raise bad("message to delete not found")
        if self.now() - msg.date > DELETE_AGE:
            raise bad("message can't be deleted")
        if chat.type == "channel" and not msg.from_bot:
            raise bad("message can't be deleted")
        del chat.messages[message_id]
        chat.deleted.append(message_id)

    async def _m_deleteMessage(self, p, files, token):
        chat = self._resolve_chat(p["chat_id"])
        self._delete(chat, p["message_id"])
        self._emit(BotEvent("delete", "deleteMessage", chat.id, None, p))
        return True

    async def _m_deleteMessages(self, p, files, token):
        chat = self._resolve_chat(p["chat_id"])
        ids = p.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad("message_ids must contain 1-100 identifiers")
        for mid in ids:
            with contextlib.suppress(ApiError):  # missing ones are skipped, like Telegram
                self._delete(chat, mid)
        self._emit(BotEvent("delete", "deleteMessages", chat.id, None, p))
        return True

    async def _m_answerCallbackQuery(self, p, files, token):
        query_id = str(p["callback_query_id"])
        query = self._queries.get(query_id)
        if query is None or query["answered"] or self.now() - query["date"] > QUERY_AGE:
            raise bad(BAD_QUERY)
        if len(str(p.get("text") or "")) > CALLBACK_ANSWER_LIMIT:
            raise bad("MESSAGE_TOO_LONG")
        query["answered"] = True
        self.callback_answers[query_id] = p
        self._emit(BotEvent("answer", "answerCallbackQuery", None, None, p))
        return True

    # ------------------------------------------------------------------ methods: files

    async def _m_getFile(self, p, files, token):
        stored = self._files.get(str(p["file_id"]))
        if stored is None:
            raise bad("wrong file_id or the file is temporarily unavailable")
        if stored.file_size > DOWNLOAD_LIMIT:
            raise bad("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }


_SEND_KINDS = {
    "sendPhoto": "photo",
    "sendDocument": "document",
    "sendVoice": "voice",
    "sendAudio": "audio",
    "sendVideo": "video",
    "sendAnimation": "animation",
    "sendVideoNote": "video_note",
}
_STATUS_TEXT = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}
