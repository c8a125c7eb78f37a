"""Staff side: batched notices to STAFF_CHAT_ID and the labels staff see (references and the
coarse triage fields only, never report contents, never a time finer than the week).

Triage codes are shown with the report flow's own translated labels (bot/reports/flow.py), in
the locale of the context: the staff chat's DEFAULT_LOCALE, or the admin's in a private chat.
The staff's commands are in handlers/reports/staff*.py, the list's pages in staff_list.py.
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.utils.i18n import gettext as _

from bot.i18n import Translator
from bot.reports.flow import BY_KEY, label_of
from bot.reports.service import Notice, ReportService
from bot.reports.store import ReportRow
from bot.telegram_html import escape

log = logging.getLogger(__name__)
NONE = "—"
# The triage columns and the question of the report flow whose answers they keep.
PLACE, REGION = "place", "region"
PLACES = tuple(code for code, _label in BY_KEY[PLACE].options)
REGIONS = tuple(code for code, _label in BY_KEY[REGION].options)


def status_label(status: str) -> str:
    return {
        "new": _("new"),
        "in_review": _("in review"),
        "lawyer": _("referred to a lawyer"),
        "closed": _("closed"),
    }[status]


def urgency_label(urgency: str) -> str:
    return {
        "danger": _("⚠️ danger now"),
        "no": _("not urgent"),
        "unknown": _("not answered"),
    }.get(urgency, NONE)


def place_label(code: str | None) -> str:
    return NONE if code is None else label_of(PLACE, code)


def region_label(code: str | None) -> str:
    return NONE if code is None else label_of(REGION, code)


def _triage_line(ref: str, category: str | None, oblast: str | None, urgency: str) -> str:
    parts = [f"<code>{escape(ref)}</code>", place_label(category), region_label(oblast)]
    if urgency == "danger":
        parts.append(urgency_label(urgency))
    return " · ".join(escape(p) if i else p for i, p in enumerate(parts))


def report_line(report: ReportRow) -> str:
    """One row of /reports, in the order of `column_names()`."""
    cells = (
        report.week,
        place_label(report.category),
        region_label(report.oblast),
        urgency_label(report.urgency),
        status_label(report.status),
    )
    return " · ".join((f"<code>{escape(report.ref)}</code>", *(escape(c) for c in cells)))


def column_names() -> str:
    names = (_("Reference"), _("Week"), _("Place"), _("Region"), _("Urgency"), _("Status"))
    return "<b>" + " · ".join(names) + "</b>"


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
        lines += [f"<code>{escape(n.ref)}</code>" for n in updates]
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
