"""Bot API client session middlewares: keep aiogram's response models alive; retry calls that
failed on Telegram's side.

aiogram validates every answer with `Response[method.__returning__]`, a pydantic generic model.
Pydantic keeps such models in a weak-value cache, so once nothing else holds them the garbage
collector drops them and the next call rebuilds the model (~5-10 ms of CPU each time). Under
load that rebuild dominated the bot's CPU time. Holding one strong reference per method type
keeps the cache warm for the life of the process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import Response
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramConflictError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import GetUpdates, GetWebhookInfo, TelegramMethod
from aiogram.methods.base import TelegramType

log = logging.getLogger(__name__)
_RESPONSE_MODELS: dict[type, Any] = {}

CALLER_PACES: ContextVar[bool] = ContextVar("caller_paces", default=False)
"""Set in a task that paces and retries its own calls (the delivery engine): its calls pass
through untouched, so a 429 reaches it and pauses all its senders."""

MAX_FLOOD_WAIT = 10  # seconds a person's answer may wait out a flood limit before giving up


class KeepResponseModels(BaseRequestMiddleware):
    """Pins `Response[...]` of every method the bot calls (a few dozen small classes at most)."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        kind = type(method)
        if kind not in _RESPONSE_MODELS:
            _RESPONSE_MODELS[kind] = Response[method.__returning__]  # type: ignore[name-defined]
        return await make_request(bot, method)


class RetryTransientErrors(BaseRequestMiddleware):
    """Repeat a call that failed on Telegram's side (5xx, an HTML error page from its proxy,
    a timeout, a reset connection) for a few seconds (0.5 + 1 + 2 s between 4 attempts), and
    wait out a short flood limit (429 with retry_after up to MAX_FLOOD_WAIT seconds).

    Without this a single 502 from Telegram loses the answer to a person asking for help.
    getUpdates is left alone: the polling loop has its own back-off. Callers that pace
    themselves (CALLER_PACES, the delivery engine) get every error as it is.
    A call that timed out may in rare cases have reached Telegram, so the person may see a
    message twice: better than not at all.
    """

    def __init__(self, attempts: int = 4, first_delay: float = 0.5) -> None:
        self.attempts = attempts
        self.first_delay = first_delay

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if isinstance(method, GetUpdates) or CALLER_PACES.get():
            return await make_request(bot, method)
        delay = self.first_delay
        for _attempt in range(self.attempts - 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if exc.retry_after > MAX_FLOOD_WAIT:
                    raise
                log.warning(
                    "%s hit a flood limit; waiting %s s", type(method).__name__, exc.retry_after
                )
                await asyncio.sleep(exc.retry_after)
                continue
            except (TelegramServerError, TelegramNetworkError, ClientDecodeError) as exc:
                log.warning("%s failed (%s); retrying", type(method).__name__, type(exc).__name__)
            await asyncio.sleep(delay)
            delay *= 2
        return await make_request(bot, method)


class NoteContact(BaseRequestMiddleware):
    """Tells the heartbeat (bot/heartbeat.py) that Telegram answered a getUpdates."""

    def __init__(self, contact: Callable[[], None]) -> None:
        self.contact = contact

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        response = await make_request(bot, method)
        if isinstance(method, GetUpdates | GetWebhookInfo):
            self.contact()
        return response


class PollWatch(BaseRequestMiddleware):
    """Tells a newcomer from the established process when two poll with one token.

    Telegram answers Conflict to the *older* of two long polls, so both processes see Conflicts.
    A process is established once a getUpdates returns `settle_seconds` after its first one
    without any Conflict in between; a Conflict before that means another process was there
    first, and `on_conflict` stops this one. An established process keeps running (the
    newcomer stops itself) and only logs. Scheduled posts wait for `established`.
    """

    def __init__(self, settle_seconds: float, on_conflict: Callable[[], None]) -> None:
        self.settle_seconds = settle_seconds
        self.on_conflict = on_conflict
        self.established = asyncio.Event()
        self._first: float | None = None

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if not isinstance(method, GetUpdates):
            return await make_request(bot, method)
        loop = asyncio.get_running_loop()
        if self._first is None:
            self._first = loop.time()
        try:
            response = await make_request(bot, method)
        except TelegramConflictError:
            if self.established.is_set():
                log.warning("another process polls with this token; it should stop by itself")
            else:
                self.on_conflict()
            raise
        if not self.established.is_set() and loop.time() - self._first >= self.settle_seconds:
            self.established.set()
        return response
