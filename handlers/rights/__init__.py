"""Know your rights: the FAQ screens and the free-text search (the guide's logic is in bot/rights)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType

from bot.links import DeepLinks
from bot.rights.service import FaqService
from bot.screens import ScreenRegistry
from handlers.rights import menu, search


def setup(screens: ScreenRegistry, faq: FaqService, links: DeepLinks) -> Router:
    router = Router(name="rights")
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    router.include_routers(menu.setup(screens, faq.faq, links), search.setup())
    return router
