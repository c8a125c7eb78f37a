"""Outer middlewares: track in-flight updates, load the user's record, set the user's locale."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.enums import ChatType
from aiogram.types import Chat, TelegramObject, Update, User
from aiogram.utils.i18n import I18nMiddleware

from bot.clock import Clock
from bot.db.users import UserRepo
from bot.i18n import resolve_locale

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class ActivityCounter:
    """Counts pieces of work under way, so shutdown (and tests) can wait for them to finish."""

    def __init__(self) -> None:
        self.count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def begin(self) -> None:
        self.count += 1
        self._idle.clear()

    def end(self) -> None:
        self.count = max(0, self.count - 1)
        if self.count == 0:
            self._idle.set()

    async def drain(self, seconds: float) -> bool:
        """Wait until nothing is under way; False if `seconds` passed first."""
        try:
            await asyncio.wait_for(self._idle.wait(), seconds)
        except TimeoutError:
            return False
        return True


class InFlightTracker(ActivityCounter, BaseMiddleware):
    """Counts updates being handled so shutdown can wait for them to finish."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        self.begin()
        try:
            return await handler(event, data)
        finally:
            self.end()


class UserMiddleware(BaseMiddleware):
    """Private chats only: load (or create) the user's record as `user_record`.

    `users` and `clock` (the Coalition's local time) come from the constructor or, when not
    given there, from the dispatcher's data under those names."""

    def __init__(self, users: UserRepo | None = None, clock: Clock | None = None) -> None:
        self.users = users
        self.clock = clock

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        users: UserRepo = self.users or data["users"]
        record = None
        if user is not None and not user.is_bot and (chat is None or chat.type == ChatType.PRIVATE):
            update: Update = event  # type: ignore[assignment]
            # A block notice is not a visit; an inline query (typed in another chat, maybe by
            # someone who never opened the bot) reads the stored language and writes nothing.
            if update.my_chat_member is None and update.inline_query is None:
                clock: Clock = self.clock or data["clock"]
                record = await users.get_or_create(user.id, clock().date())
            else:
                record = await users.get(user.id)
        data["user_record"] = record
        return await handler(event, data)


class LocaleMiddleware(I18nMiddleware):
    """Stored choice → Telegram language_code → DEFAULT_LOCALE; exposes it as `locale`."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        record = data.get("user_record")
        user: User | None = data.get("event_from_user")
        locale = resolve_locale(
            record.locale if record else None,
            user.language_code if user else None,
            self.i18n.default_locale,
        )
        data["locale"] = locale
        return locale
