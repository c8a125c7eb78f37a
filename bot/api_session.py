"""Bot API client session tweaks: keep aiogram's per-method response models alive.

aiogram validates every answer with `Response[method.__returning__]`, a pydantic generic model.
Pydantic keeps such models in a weak-value cache, so once nothing else holds them the garbage
collector drops them and the next call rebuilds the model (~5-10 ms of CPU each time). Under
load that rebuild dominated the bot's CPU time. Holding one strong reference per method type
keeps the cache warm for the life of the process.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.base import Response
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType

_RESPONSE_MODELS: dict[type, Any] = {}


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
