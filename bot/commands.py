"""Telegram's command menu and bot descriptions, per language, set at start-up."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram.utils.i18n import lazy_gettext as __

from bot import LOCALES
from bot.i18n import Translator
from bot.screens import ScreenRegistry

log = logging.getLogger(__name__)

DESCRIPTION = __(
    "The bot of the Civil Society Coalition against Torture and Impunity in Tajikistan: "
    "know your rights, get help from lawyers, report torture anonymously, follow daily posts.\n\n"
    "Hotlines, 24 hours: 98 708 76 76 (Dushanbe), 98 787 33 33 (Sughd), 98 787 66 66 (Khatlon)."
)
SHORT_DESCRIPTION = __(
    "Coalition against Torture, Tajikistan: your rights, help, anonymous reports."
)


def commands_for(screens: ScreenRegistry, i18n: Translator, locale: str) -> list[BotCommand]:
    with i18n.use_locale(locale):
        return [
            BotCommand(command=c.name, description=str(c.description)) for c in screens.commands()
        ]


async def set_bot_profile(
    bot: Bot, screens: ScreenRegistry, i18n: Translator, default_locale: str
) -> None:
    """Commands and descriptions in every language; the default ones in DEFAULT_LOCALE."""
    try:
        for locale in (*LOCALES, None):
            shown = locale or default_locale
            await bot.set_my_commands(
                commands_for(screens, i18n, shown),
                scope=BotCommandScopeDefault(),
                language_code=locale,
            )
            with i18n.use_locale(shown):
                await bot.set_my_description(str(DESCRIPTION), language_code=locale)
                await bot.set_my_short_description(str(SHORT_DESCRIPTION), language_code=locale)
    except TelegramAPIError as exc:
        log.warning("could not set the bot's commands or description: %s", exc.__class__.__name__)


async def set_chat_commands(
    bot: Bot, screens: ScreenRegistry, i18n: Translator, chat_id: int, locale: str
) -> None:
    """A chat-scoped command menu in the user's chosen language (needed for Tajik)."""
    try:
        if locale == "tg":
            commands = commands_for(screens, i18n, locale)
            await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id=chat_id))
        else:
            await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=chat_id))
    except TelegramAPIError as exc:
        log.info("chat commands not set: %s", exc.__class__.__name__)
