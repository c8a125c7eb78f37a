"""What people do in the fake (write, send files, tap buttons, block the bot) and what tests see."""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from collections.abc import Callable, Iterable
from typing import Any

from bot.telegram_html import utf16_len
from devtools.fake_telegram.models import BotEvent, ChatState, ChatView, ShownMessage
from devtools.fake_telegram.state import WorldState

_COMMAND_IN_TEXT = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,})?")


class People(WorldState):
    """The simulated side of the chat: chats and people acting in them, and inspection."""

    # ------------------------------------------------------------------ chats

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

    # ------------------------------------------------------------------ people

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

    def on_call(self, callback: Callable[[str, dict], Any]) -> None:
        """Call `callback(method, params)` for every Bot API call the fake receives (benchmarks
        record what a bot sends for each step)."""
        self._call_listeners.append(callback)

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

    def _user_update(self, chat: ChatState, shown: ShownMessage) -> dict:
        self._cursors[chat.id] = len(self._chat_events.get(chat.id, []))
        kind = "channel_post" if chat.type == "channel" else "message"
        self.send_update({kind: shown.raw})
        return shown.raw
