""" "Check my report": the receipt opens status and replies (protected, deleted after a while).

A receipt typed anywhere is deleted at once and opens this, or finishes the type-back after a
submission. Wrong receipts are rate limited per person (HMAC-keyed) and for the whole bot.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.formatting import format_day
from bot.reports import flow
from bot.reports.receipt import normalise
from bot.reports.service import ReportService
from bot.reports.session import Session
from bot.telegram_html import escape
from handlers.reports.chat import delete_now, send_tracked
from handlers.reports.filters import InSession, receipt_like, typed_receipt
from handlers.reports.keyboards import checked_markup
from handlers.reports.states import CheckSteps, leave_steps


async def send_check(
    bot: Bot,
    reports: ReportService,
    session: Session,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """What "Check my report" shows is protected from forwarding and deleted after a while."""
    sent = await send_tracked(
        bot, session, chat_id, text, reply_markup=markup, protect_content=True
    )
    reports.deletes.schedule(chat_id, [sent.message_id])


async def on_typed_receipt(
    message: Message, reports: ReportService, state: FSMContext, locale: str, bot: Bot
) -> None:
    """A receipt typed anywhere but in the type-back (handlers/reports/submit.py)."""
    session = reports.sessions.get(message.chat.id)
    if session is None or session.mode != "check":
        session = reports.sessions.start(message.chat.id, "check")
        await leave_steps(state)
    await on_code(message, reports, session, state, locale, bot)


async def on_code(
    message: Message,
    reports: ReportService,
    session: Session,
    state: FSMContext,
    locale: str,
    bot: Bot,
) -> None:
    """A code typed on the check prompt (maybe mistyped: it is counted as a wrong one)."""
    chat_id = message.chat.id
    user_id = message.from_user.id if message.from_user else chat_id
    session.track(message.message_id)
    await delete_now(bot, chat_id, [message.message_id])  # delete the receipt at once
    wait = reports.receipt_limits.wait_seconds(user_id)
    if wait:
        minutes = max(1, -(-wait // 60))
        text = _("Too many wrong codes. Please try again in {minutes} min.")
        await send_check(bot, reports, session, chat_id, text.format(minutes=minutes))
        return
    digits = normalise(message.text or "")
    if digits and not reports.wrong_receipts.take():
        # Too many wrong receipts on the whole bot this minute (bot/reports/costs.py).
        await send_check(bot, reports, session, chat_id, flow.checks_paused())
        return
    result = await reports.check(digits) if digits else None
    if result is not None:
        reports.wrong_receipts.give_back()
    if result is None:
        reports.receipt_limits.failed(user_id)
        text = _("No report was found for this code. Please check the 16 digits and try again.")
        await send_check(bot, reports, session, chat_id, text)
        return
    reports.receipt_limits.succeeded(user_id)
    session.mode = "checked"
    session.report_id = result.report.report_id
    session.reporter_private = result.reporter_private
    await state.set_state(CheckSteps.shown)
    statuses = {
        "new": _("received, waiting to be read"),
        "in_review": _("being reviewed by the lawyers"),
        "lawyer": _("referred to a lawyer"),
        "closed": _("closed"),
    }
    lines = [
        _("<b>Your report</b>"),
        _("Status: {status}").format(status=statuses[result.report.status]),
        _("Kept until at least: {date}").format(
            date=format_day(reports.kept_until(result.report), locale)
        ),
        "",
    ]
    if result.replies:
        lines.append(_("<b>Answers from the lawyers:</b>"))
        lines += [f"<blockquote>{escape(reply.text)}</blockquote>" for reply in result.replies]
    else:
        lines.append(_("No answers yet."))
    await send_check(bot, reports, session, chat_id, "\n".join(lines), checked_markup())


def setup() -> Router:
    router = Router(name="reports_check")
    router.message.register(on_typed_receipt, F.text, typed_receipt)
    router.message.register(on_code, InSession("check"), receipt_like, ~F.text.startswith("/"))
    return router
