""" "Check my report" after the receipt: «Add information or files», each sealed as a new entry
of the report; anything else sent is deleted and the person pointed to the buttons."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.reports import flow
from bot.reports.service import ReportService
from bot.reports.session import Session
from handlers.reports.callbacks import ReportAction, ReportCb
from handlers.reports.chat import chat_of, delete_now, download_media
from handlers.reports.check import send_check
from handlers.reports.filters import InSession
from handlers.reports.keyboards import adding_markup
from handlers.reports.states import CheckSteps


async def on_add(
    query: CallbackQuery, reports: ReportService, session: Session, state: FSMContext, bot: Bot
) -> None:
    await query.answer()
    await state.set_state(CheckSteps.adding)
    text = _(
        "Send text, photos, documents, voice messages or videos. Each one is encrypted "
        "and removed from this chat at once. Press «Finish» when you are done."
    )
    await send_check(bot, reports, session, chat_of(query), text, adding_markup())


async def on_not_adding(
    message: Message, reports: ReportService, session: Session, bot: Bot
) -> None:
    session.track(message.message_id)
    await delete_now(bot, message.chat.id, [message.message_id])  # read: it leaves the phone now
    await send_check(bot, reports, session, message.chat.id, _("Please use the buttons above."))


async def on_addition(message: Message, reports: ReportService, session: Session, bot: Bot) -> None:
    chat_id = message.chat.id
    session.track(message.message_id)
    if message.text is not None:
        await delete_now(bot, chat_id, [message.message_id])  # read: it leaves the phone now
    report = await reports.store.find_by_id(session.report_id) if session.report_id else None
    if report is None:
        return
    if message.text is not None:
        if len(message.text) > flow.MAX_TEXT:
            await send_check(bot, reports, session, chat_id, flow.too_long())
            return
        await reports.add_text(report, message.text)
    else:
        downloaded = await download_media(message, bot, session)
        if downloaded is None:
            return
        await reports.add_file(report, *downloaded, caption=message.caption or None)
    await send_check(
        bot,
        reports,
        session,
        chat_id,
        _("✅ Added and encrypted. You can send more, or press «Finish»."),
    )


def setup() -> Router:
    router = Router(name="reports_additions")
    live = InSession("checked")
    not_command = ~F.text.startswith("/")
    router.callback_query.register(on_add, ReportCb.filter(F.action == ReportAction.ADD), live)
    router.message.register(on_not_adding, CheckSteps.shown, live, not_command)
    router.message.register(on_addition, CheckSteps.adding, live, not_command)
    return router
