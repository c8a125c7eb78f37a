"""/start, with or without a deep-link payload (`t.me/<bot>?start=faq_<id>` opens that answer)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import Message
from aiogram.utils.i18n import lazy_gettext as __

from bot.db.users import UserRecord
from bot.screens import HOME, ScreenRegistry, open_screen, show
from handlers.start.language import LANGUAGE_SCREEN, language_picker

MAX_COMMAND_PAYLOAD = 64  # Telegram's own limit for a deep link's payload


async def cmd_start(
    message: Message,
    command: CommandObject,
    screens: ScreenRegistry,
    user_record: UserRecord,
    locale: str,
) -> None:
    payload = (command.args or "").strip()[:MAX_COMMAND_PAYLOAD]
    if user_record.locale is None:  # first visit: the language first, then where the link leads
        await show(message, language_picker(payload), LANGUAGE_SCREEN)
        return
    await open_screen(message, screens, user_record, locale, payload or HOME)


def setup(screens: ScreenRegistry) -> Router:
    router = Router(name="start.deep_links")
    screens.add_command("start", __("Main menu"), order=0)
    router.message.register(cmd_start, CommandStart())
    return router
