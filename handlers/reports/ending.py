"""How a session ends from a button: «Exit» wipes it at once and leaves only the harmless main
menu; a button of a session that has already ended says so. Registered last: the buttons of
every step have their own handlers, and a pressed button is always answered."""

from __future__ import annotations

from functools import partial

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.db.users import UserRecord
from bot.reports.service import ReportService
from bot.screens import HOME, build_markup, show
from handlers.reports.callbacks import ReportAction, ReportCb
from handlers.reports.chat import chat_of, delete_now
from handlers.reports.filters import NoSession
from handlers.reports.screens import ScreenRender
from handlers.reports.states import leave_steps


async def on_exit(
    query: CallbackQuery,
    reports: ReportService,
    state: FSMContext,
    user_record: UserRecord,
    locale: str,
    bot: Bot,
    render_screen: ScreenRender,
) -> None:
    """Exit: wipe the session and its messages at once; leave only the harmless main menu."""
    await query.answer()
    await leave_steps(state)
    chat_id = chat_of(query)
    extra = [query.message.message_id] if isinstance(query.message, Message) else []
    session = reports.sessions.end(chat_id)
    ids = list(dict.fromkeys(extra + (session.message_ids if session else [])))
    await delete_now(bot, chat_id, ids)
    screen = await render_screen(user_record, locale, HOME)
    assert screen is not None
    await bot.send_message(chat_id, screen.text, reply_markup=build_markup(screen, HOME))


async def on_ended(
    query: CallbackQuery,
    state: FSMContext,
    user_record: UserRecord,
    locale: str,
    render_screen: ScreenRender,
) -> None:
    await leave_steps(state)
    await query.answer(_("This session has ended. Here is the menu."))
    screen = await render_screen(user_record, locale, HOME)
    assert screen is not None
    await show(query, screen, HOME)


async def on_other_step(query: CallbackQuery) -> None:
    """A button of another step of this session (pressed twice, or an old prompt): the
    session decides what may happen, not the button, so nothing does."""
    await query.answer()


def setup(render_screen: ScreenRender) -> Router:
    router = Router(name="reports_ending")
    router.callback_query.register(
        partial(on_exit, render_screen=render_screen),
        ReportCb.filter(F.action == ReportAction.EXIT),
    )
    router.callback_query.register(
        partial(on_ended, render_screen=render_screen), ReportCb.filter(), NoSession()
    )
    router.callback_query.register(on_other_step, ReportCb.filter())
    return router
