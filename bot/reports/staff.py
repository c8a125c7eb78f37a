"""Staff side: batched notices to STAFF_CHAT_ID and the lines staff see (references and triage
fields only, never report contents). The staff's commands are in handlers/reports/staff.py."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.utils.i18n import gettext as _

from bot.i18n import Translator
from bot.reports.service import Notice, ReportService
from bot.reports.store import ReportRow

log = logging.getLogger(__name__)


def status_label(status: str) -> str:
    return {
        "new": _("new"),
        "in_review": _("in review"),
        "lawyer": _("referred to a lawyer"),
        "closed": _("closed"),
    }[status]


def _triage_line(ref: str, category: str | None, oblast: str | None, urgency: str) -> str:
    parts = [f"<code>{ref}</code>", category or "—", oblast or "—"]
    if urgency == "danger":
        parts.append(_("⚠️ danger now"))
    return " · ".join(parts)


def report_line(report: ReportRow) -> str:
    line = _triage_line(report.ref, report.category, report.oblast, report.urgency)
    return f"{line} · {report.week} · {status_label(report.status)}"


def notice_text(notices: list[Notice]) -> str:
    """'3 new reports: R-…' with triage fields only. Call inside a locale context."""
    new = [n for n in notices if n.kind == "new"]
    updates = [n for n in notices if n.kind == "update"]
    lines = []
    if new:
        lines.append(_("<b>New reports: {count}</b>").format(count=len(new)))
        lines += [_triage_line(n.ref, n.category, n.oblast, n.urgency) for n in new]
    if updates:
        lines.append(_("<b>New information in: {count}</b>").format(count=len(updates)))
        lines += [f"<code>{n.ref}</code>" for n in updates]
    lines.append(_("Export with /reports_export and open it on the offline computer."))
    return "\n".join(lines)


async def send_notices(
    reports: ReportService, bot: Bot, i18n: Translator, chat_id: int | None, locale: str
) -> int:
    """At one of the fixed times of day: whatever is waiting, in one message to the staff chat
    (in `locale`); returns how many references were announced."""
    if chat_id is None:
        return 0
    due = reports.notices.take_all()
    if not due:
        return 0
    with i18n.use_locale(locale):
        text = notice_text(due)
    try:
        await bot.send_message(chat_id, text)
    except TelegramAPIError as exc:
        log.warning("staff notice not delivered: %s", exc.__class__.__name__)
        for notice in due:  # try again with the next batch
            reports.notices.add(notice)
        return 0
    return len(due)
