"""The way in: /start with deep links, the language picker, the main menu and screen navigation."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType

from bot.screens import ScreenRegistry
from handlers.start import deep_links, language, menu


def setup(screens: ScreenRegistry) -> Router:
    router = Router(name="start")
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    router.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    router.include_routers(deep_links.setup(screens), menu.setup(screens), language.setup(screens))
    return router
