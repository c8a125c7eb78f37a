"""/start (with deep links), the main menu, the language picker and generic screen navigation."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot import LANGUAGE_NAMES, LOCALES
from bot.callbacks import Nav, PickLanguage
from bot.commands import set_chat_commands
from bot.db.users import UserRecord
from bot.screens import (
    HOME,
    STALE_BUTTON,
    Screen,
    ScreenRegistry,
    ScreenRequest,
    open_screen,
    render,
    show,
)
from bot.services import Services

# Shown before a language is chosen, so it speaks all three at once.
PICKER_TEXT = "Забонро интихоб кунед · Выберите язык · Choose your language"
MAX_PAYLOAD = 48  # callback_data must stay within 64 bytes with the prefix and locale


def language_picker(then: str = "", first_time: bool = True) -> Screen:
    then = then if len(then.encode()) <= MAX_PAYLOAD else ""
    buttons = [
        InlineKeyboardButton(
            text=LANGUAGE_NAMES[code],
            callback_data=PickLanguage(locale=code).pack() + (f":{then}" if then else ""),
        )
        for code in LOCALES
    ]
    return Screen(
        PICKER_TEXT if first_time else _("Choose your language:"), [buttons], footer=not first_time
    )


async def home_screen(request: ScreenRequest) -> Screen:
    rows = [
        [
            InlineKeyboardButton(
                text=str(entry.menu_label), callback_data=Nav(screen=entry.name).pack()
            )
        ]
        for entry in request.services.screens.menu()
    ]
    text = _(
        "<b>Coalition against Torture · Tajikistan</b>\n\n"
        "This is the bot of the Civil Society Coalition against Torture and Impunity in "
        "Tajikistan. Choose a section below.\n\n"
        "If you need help right now, press «🆘 Get help now»."
    )
    return Screen(text, rows, footer=False)


async def language_screen(request: ScreenRequest) -> Screen:
    return language_picker(first_time=False)


async def cmd_start(
    message: Message,
    command: CommandObject,
    services: Services,
    user_record: UserRecord,
    locale: str,
) -> None:
    payload = (command.args or "").strip()[:64]
    if user_record.locale is None:
        await show(message, language_picker(payload), "language")
        return
    await open_screen(message, services, user_record, locale, payload or HOME)


async def cmd_menu(
    message: Message, services: Services, user_record: UserRecord, locale: str
) -> None:
    await open_screen(message, services, user_record, locale, HOME)


async def cmd_language(message: Message) -> None:
    await show(message, language_picker(first_time=False), "language")


async def on_language_picked(
    query: CallbackQuery, services: Services, user_record: UserRecord
) -> None:
    data = query.data or ""
    _prefix, _sep, then = data.partition(":")  # "l1" + ":" + locale [+ ":" + payload]
    locale, _sep, then = then.partition(":")
    if locale not in LOCALES:
        await query.answer()
        return
    previous = user_record.locale
    record = user_record
    if previous != locale:  # a second tap on the same language writes nothing
        record = await services.users.set_locale(user_record.user_id, locale)
    i18n = services.i18n
    with i18n.use_locale(locale):
        await query.answer(i18n.gettext("Language saved", locale=locale))
        await open_screen(query, services, record, locale, then or HOME)
    # Telegram has no Tajik interface: Tajik readers get a command menu of their own chat;
    # it is set or removed only when Tajik is chosen or left (one API call less per pick).
    if (locale == "tg") != (previous == "tg") and query.bot is not None:
        await set_chat_commands(query.bot, services, query.from_user.id, locale)


async def on_nav(
    query: CallbackQuery,
    callback_data: Nav,
    services: Services,
    user_record: UserRecord,
    locale: str,
) -> None:
    screen = await render(services, user_record, locale, callback_data.screen, callback_data.arg)
    if screen is None:
        await query.answer(str(STALE_BUTTON), show_alert=False)
        screen, name = await home_screen(ScreenRequest(services, user_record, locale)), HOME
    else:
        await query.answer()
        name = callback_data.screen
    await show(query, screen, name)


def setup(screens: ScreenRegistry) -> Router:
    router = Router(name="start")
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    router.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    screens.register(HOME, home_screen)
    screens.register(
        "language", language_screen, menu_label=__("🌐 Language · Забон · Язык"), menu_order=90
    )
    screens.add_command("start", __("Main menu"), order=0)
    screens.add_command("language", __("Change the language"), order=90)
    router.message.register(cmd_start, CommandStart())
    router.message.register(cmd_menu, Command("menu"))
    router.message.register(cmd_language, Command("language", "lang"))
    router.callback_query.register(on_language_picked, F.data.startswith("l1:"))
    router.callback_query.register(on_nav, Nav.filter())
    return router
