"""The main menu (/menu) and the generic screen navigation every Nav button goes through."""

from __future__ import annotations

import functools

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import Nav
from bot.db.users import UserRecord
from bot.screens import (
    HOME,
    STALE_BUTTON,
    Screen,
    ScreenRegistry,
    ScreenRequest,
    nav_button,
    open_screen,
    render,
    show,
)


async def home_screen(screens: ScreenRegistry, request: ScreenRequest) -> Screen:
    """The sections of the features wired into this dispatcher, in their menu order."""
    rows = [[nav_button(str(entry.menu_label), entry.name)] for entry in screens.menu()]
    text = _(
        "<b>Coalition against Torture · Tajikistan</b>\n\n"
        "This is the bot of the Civil Society Coalition against Torture and Impunity in "
        "Tajikistan. Choose a section below.\n\n"
        "If you need help right now, press «🆘 Get help now»."
    )
    return Screen(text, rows, footer=False)


async def cmd_menu(
    message: Message, screens: ScreenRegistry, user_record: UserRecord, locale: str
) -> None:
    await open_screen(message, screens, user_record, locale, HOME)


async def on_nav(
    query: CallbackQuery,
    callback_data: Nav,
    screens: ScreenRegistry,
    user_record: UserRecord,
    locale: str,
) -> None:
    screen = await render(screens, user_record, locale, callback_data.screen, callback_data.arg)
    name = callback_data.screen
    if screen is None:
        await query.answer(str(STALE_BUTTON), show_alert=False)
        screen, name = await render(screens, user_record, locale, HOME), HOME
        assert screen is not None  # the main menu always renders
    else:
        await query.answer()
    await show(query, screen, name)


def setup(screens: ScreenRegistry) -> Router:
    router = Router(name="start.menu")
    screens.register(HOME, functools.partial(home_screen, screens))
    router.message.register(cmd_menu, Command("menu"))
    router.callback_query.register(on_nav, Nav.filter())
    return router
