"""Sending the report: it is sealed and committed, the receipt is shown (protected), and the
person types it back once. The session's messages, the receipt too, go after the wipe delay."""

from __future__ import annotations

import contextlib

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.formatting import format_day
from bot.reports import flow
from bot.reports.receipt import format_receipt, normalise
from bot.reports.service import ReportService
from bot.reports.session import Session
from handlers.reports.callbacks import ReportAction, ReportCb
from handlers.reports.chat import chat_of, delete_now, send_tracked, wipe_notice
from handlers.reports.filters import InSession
from handlers.reports.states import ReportSteps, leave_steps


async def on_send(
    query: CallbackQuery, reports: ReportService, session: Session, state: FSMContext, bot: Bot
) -> None:
    await query.answer()
    draft = session.draft
    assert draft is not None
    chat_id = chat_of(query)
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_text(
                _("⏳ Encrypting and saving your report…") + "\n\n" + flow.no_receipt_note()
            )
    digits, _ref = await reports.submit(draft)  # committed to the database here
    reports.submission_limits.record(query.from_user.id)
    session.draft = None
    session.mode = "typeback"
    session.receipt = digits
    await state.set_state(ReportSteps.typeback)
    text = _(
        "✅ <b>Your report is saved.</b>\n\n"
        "Your receipt code:\n<code>{receipt}</code>\n\n"
        "Write it down somewhere safe, away from this phone (it looks like a card number). "
        "It is the only way to read the lawyers' answers; nobody can restore it.\n\n"
        "To finish, type the code back here."
    ).format(receipt=format_receipt(digits))
    text = f"{text}\n\n{wipe_notice(reports.deletes.delay_seconds)}"
    sent = await send_tracked(bot, session, chat_id, text, protect_content=True)
    session.receipt_message_id = sent.message_id
    # The report is sent: its messages, the receipt too, go after the wipe delay whether or
    # not the code is typed back (the session waits a while longer for it).
    reports.deletes.schedule(chat_id, session.message_ids)
    session.message_ids = []


async def on_typeback(
    message: Message,
    reports: ReportService,
    session: Session,
    state: FSMContext,
    locale: str,
    bot: Bot,
) -> None:
    chat_id = message.chat.id
    session.track(message.message_id)
    await delete_now(bot, chat_id, [message.message_id])  # it may hold the receipt
    if normalise(message.text or "") != session.receipt:
        await send_tracked(
            bot,
            session,
            chat_id,
            _("This does not match the code above. Please look again and type all 16 digits."),
        )
        return
    if session.receipt_message_id is not None:
        await delete_now(bot, chat_id, [session.receipt_message_id])
    session.receipt = None
    kept = format_day(reports.kept_until(), locale)
    await send_tracked(
        bot,
        session,
        chat_id,
        _(
            "Thank you. The Coalition's lawyers will read your report. It is kept encrypted until "
            "{date} at least; every new message in «Check my report» extends this.\n\n"
            "This conversation will disappear from this chat in a few minutes."
        ).format(date=kept),
    )
    await send_tracked(
        bot,
        session,
        chat_id,
        _(
            "To remove this chat from your phone completely: open the chat menu (⋮ or the bot's "
            "name) and choose «Delete chat» or «Clear history»."
        )
        + "\n\n"
        + wipe_notice(reports.deletes.delay_seconds),
    )
    await leave_steps(state)
    reports.sessions.finish(chat_id)  # these closing messages go too, after the wipe delay


def setup() -> Router:
    router = Router(name="reports_submit")
    router.callback_query.register(
        on_send,
        ReportCb.filter(F.action == ReportAction.SEND),
        ReportSteps.confirm,
        InSession("report"),
    )
    router.message.register(
        on_typeback, ReportSteps.typeback, InSession("typeback"), ~F.text.startswith("/")
    )
    return router
