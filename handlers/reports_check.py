""" "Check my report": the receipt opens status and replies (protected, deleted after a while);
the reporter may add information and files, each sealed as a new entry."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.formatting import format_day
from bot.reports import flow
from bot.reports.callbacks import ReportCb
from bot.reports.chat import download_media, send_tracked
from bot.reports.receipt import normalise
from bot.reports.service import ReportService, reports_of
from bot.reports.session import Session, delete_now
from bot.services import Services
from bot.telegram_html import escape


async def check_receipt(
    message: Message, bot: Bot, services: Services, session: Session, locale: str
) -> None:
    reports = reports_of(services)
    chat_id = message.chat.id
    user_id = message.from_user.id if message.from_user else chat_id
    await delete_now(bot, chat_id, [message.message_id])  # delete the receipt at once
    wait = reports.receipt_limits.wait_seconds(user_id)
    if wait:
        minutes = max(1, -(-wait // 60))
        await send_check(
            bot,
            reports,
            session,
            chat_id,
            _("Too many wrong codes. Please try again in {minutes} min.").format(minutes=minutes),
        )
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
        await send_check(
            bot,
            reports,
            session,
            chat_id,
            _("No report was found for this code. Please check the 16 digits and try again."),
        )
        return
    reports.receipt_limits.succeeded(user_id)
    session.mode = "checked"
    session.report_id = result.report.report_id
    session.reporter_private = result.reporter_private
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
    buttons = [
        [
            InlineKeyboardButton(
                text=_("➕ Add information or files"), callback_data=ReportCb(action="add").pack()
            )
        ],
        [
            InlineKeyboardButton(
                text=_("✖️ Finish and delete"), callback_data=ReportCb(action="x").pack()
            )
        ],
    ]
    await send_check(
        bot,
        reports,
        session,
        chat_id,
        "\n".join(lines),
        InlineKeyboardMarkup(inline_keyboard=buttons),
    )


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


async def check_button(
    bot: Bot, services: Services, session: Session, chat_id: int, action: str
) -> None:
    if action == "add":
        session.step = "adding"
        await send_check(
            bot,
            reports_of(services),
            session,
            chat_id,
            _(
                "Send text, photos, documents, voice messages or videos. Each one is encrypted "
                "and removed from this chat at once. Press «Finish» when you are done."
            ),
            InlineKeyboardMarkup(
                inline_keyboard=[
                    [
                        InlineKeyboardButton(
                            text=_("✔️ Finish"), callback_data=ReportCb(action="x").pack()
                        )
                    ]
                ]
            ),
        )


async def check_addition(message: Message, bot: Bot, services: Services, session: Session) -> None:
    reports = reports_of(services)
    chat_id = message.chat.id
    if message.text is not None or session.step != "adding":
        await delete_now(bot, chat_id, [message.message_id])  # read: it leaves the phone now
    if session.step != "adding":
        await send_check(bot, reports, session, chat_id, _("Please use the buttons above."))
        return
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
