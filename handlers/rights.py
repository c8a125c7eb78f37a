"""Know your rights: wires the FAQ screens and the free-text search (logic in bot/rights)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, StateFilter
from aiogram.types import Message
from aiogram.utils.i18n import lazy_gettext as __

from bot.db.users import UserRecord
from bot.rights.content import SCREEN_ANSWER, SCREEN_MENU, SCREEN_TOPIC
from bot.rights.normalize import letter_count
from bot.rights.screens import answer_screen, menu_screen, reply_to_text, topic_screen
from bot.rights.service import load_faq_service
from bot.screens import ScreenRegistry, screen_command
from bot.services import Services

MIN_LETTERS = 2  # "?" or "1" is not a question: the fallback shows the menu instead


def is_question(message: Message) -> bool:
    text = message.text or ""
    return not text.startswith("/") and letter_count(text) >= MIN_LETTERS


async def on_question(
    message: Message, services: Services, user_record: UserRecord, locale: str
) -> None:
    await reply_to_text(message, services, user_record, locale)


async def load_faq_on_startup(services: Services) -> None:
    """Build the index once, before the first update; broken content stops the start-up."""
    if services.faq is None:
        services.faq = load_faq_service()


def setup(screens: ScreenRegistry) -> Router:
    router = Router(name="rights")
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    screens.register(SCREEN_MENU, menu_screen, menu_label=__("📚 Know your rights"), menu_order=10)
    screens.register(SCREEN_TOPIC, topic_screen)
    screens.register(SCREEN_ANSWER, answer_screen)
    screens.add_command("rights", __("Know your rights: questions and answers"), order=10)
    router.startup.register(load_faq_on_startup)
    router.message.register(screen_command(SCREEN_MENU), Command("rights"))
    # Free text nobody else claimed (no conversation in progress) is a question for the guide.
    router.message.register(on_question, F.text, StateFilter(None), is_question)
    return router
