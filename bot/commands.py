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
# What the "✅ Is this the real bot?" screen says, in the profile too (handlers/trust/verify.py).
DESCRIPTION_VERIFY = __(
    "The real bot is @{username}. It never asks for your phone number, login codes, passport "
    "photos or money: /verify"
)
SHORT_VERIFY = __("Real bot: @{username}")
NAME = __("Coalition against Torture · Tajikistan")
DESCRIPTION_LIMIT, SHORT_LIMIT, NAME_LIMIT = 512, 120, 64


def joined(base: str, extra: str, limit: int) -> str:
    """`base` and `extra` on one profile field, or `base` alone when both do not fit."""
    both = f"{base}\n\n{extra}" if limit == DESCRIPTION_LIMIT else f"{base} {extra}"
    return both if len(both) <= limit else base


def commands_for(screens: ScreenRegistry, i18n: Translator, locale: str) -> list[BotCommand]:
    """The command menu in `locale`, built once per language (a Tajik reader's every language
    pick sets it for their chat). The BotCommand objects are shared: nothing changes them."""
    menu = screens.command_menus.get(locale)
    if menu is None:
        with i18n.use_locale(locale):
            menu = tuple(
                BotCommand(command=c.name, description=str(c.description))
                for c in screens.commands()
            )
        screens.command_menus[locale] = menu
    return list(menu)


async def set_bot_profile(
    bot: Bot, screens: ScreenRegistry, i18n: Translator, default_locale: str, username: str
) -> None:
    """Commands, name and descriptions in every language; the default ones in DEFAULT_LOCALE.
    The descriptions name the exact @username, as the "Is this the real bot?" screen does."""
    try:
        for locale in (*LOCALES, None):
            shown = locale or default_locale
            await bot.set_my_commands(
                commands_for(screens, i18n, shown),
                scope=BotCommandScopeDefault(),
                language_code=locale,
            )
            with i18n.use_locale(shown):
                description = joined(
                    str(DESCRIPTION),
                    str(DESCRIPTION_VERIFY).format(username=username),
                    DESCRIPTION_LIMIT,
                )
                short = joined(
                    str(SHORT_DESCRIPTION), str(SHORT_VERIFY).format(username=username), SHORT_LIMIT
                )
                name = str(NAME)[:NAME_LIMIT]
            # Telegram limits how often these change: set only what differs from what it has.
            if (await bot.get_my_name(language_code=locale)).name != name:
                await bot.set_my_name(name, language_code=locale)
            if (await bot.get_my_description(language_code=locale)).description != description:
                await bot.set_my_description(description, language_code=locale)
            current = await bot.get_my_short_description(language_code=locale)
            if current.short_description != short:
                await bot.set_my_short_description(short, language_code=locale)
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
