"""A bot people can trust: "Is this the real bot?", /privacy, /settings, "I am being detained",
and (only with INLINE_MODE=true) the inline answers of the guide in any chat."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType

from bot.config import ChannelTarget
from bot.links import DeepLinks
from bot.pages import Pages
from bot.screens import ScreenRegistry
from handlers.trust import detained, inline, preferences, privacy, verify


def setup(
    screens: ScreenRegistry,
    pages: Pages,
    links: DeepLinks,
    *,
    channels: list[ChannelTarget],
    retention_days: int,
    inline_mode: bool,
) -> Router:
    router = Router(name="trust")
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    router.include_routers(
        verify.setup(screens, pages, links, channels),
        privacy.setup(screens, pages, links, retention_days),
        preferences.setup(screens),
        detained.setup(screens, pages, links),
    )
    if inline_mode:  # off: no handler, so `inline_query` is not among the allowed updates
        router.include_router(inline.setup())
    return router
