"""The language picker: shown on the first visit, from the menu and by /language."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot import LANGUAGE_NAMES
from bot.admin.menus import CommandMenus
from bot.callbacks import Locale, PickLanguage
from bot.db.users import UserRecord, UserRepo
from bot.i18n import Translator
from bot.screens import HOME, Screen, ScreenRegistry, ScreenRequest, open_screen, show

LANGUAGE_SCREEN = "language"
# Shown before a language is chosen, so it speaks all three at once.
PICKER_TEXT = "Забонро интихоб кунед · Выберите язык · Choose your language"
MAX_PAYLOAD = 48  # callback_data must stay within 64 bytes with the prefix and locale


def language_picker(then: str = "", first_time: bool = True) -> Screen:
    """One button per language; `then` (a deep link's payload) is opened once one is picked.
    A payload too long for a button, or with the callback separator, leads home instead."""
    if len(then.encode()) > MAX_PAYLOAD or ":" in then:
        then = ""
    buttons = [
        InlineKeyboardButton(
            text=LANGUAGE_NAMES[code.value],
            callback_data=PickLanguage(locale=code, then=then).pack(),
        )
        for code in Locale
    ]
    return Screen(
        PICKER_TEXT if first_time else _("Choose your language:"), [buttons], footer=not first_time
    )


async def language_screen(request: ScreenRequest) -> Screen:
    return language_picker(first_time=False)


async def cmd_language(message: Message) -> None:
    await show(message, language_picker(first_time=False), LANGUAGE_SCREEN)


async def on_language_picked(
    query: CallbackQuery,
    callback_data: PickLanguage,
    users: UserRepo,
    i18n: Translator,
    screens: ScreenRegistry,
    user_record: UserRecord,
    menus: CommandMenus,
) -> None:
    locale = callback_data.locale.value
    previous = user_record.locale
    record = user_record
    if previous != locale:  # a second tap on the same language writes nothing
        record = await users.set_locale(user_record.user_id, locale)
    with i18n.use_locale(locale):
        await query.answer(_("Language saved"))
        await open_screen(query, screens, record, locale, callback_data.then or HOME)
    # Telegram has no Tajik interface: Tajik readers get a command menu of their own chat,
    # set or removed only when Tajik is chosen or left; staff menus follow every change.
    if query.bot is not None:
        await menus.language_changed(query.bot, query.from_user.id, previous, locale)


def setup(screens: ScreenRegistry) -> Router:
    router = Router(name="start.language")
    screens.register(
        LANGUAGE_SCREEN,
        language_screen,
        menu_label=__("🌐 Language · Забон · Язык"),
        menu_order=90,
    )
    screens.add_command("language", __("Change the language"), order=90)
    router.message.register(cmd_language, Command("language", "lang"))
    # Old "l1:" buttons do not match: the fallback answers them as out of date.
    router.callback_query.register(on_language_picked, PickLanguage.filter())
    return router
