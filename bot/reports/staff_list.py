"""The staff's `/reports` list: which reports a view asks for, and its pages.

A view is a status choice (the open ones by default, every status, or one) narrowed by the coarse
triage fields stored in plaintext (region, place, urgency). A page shows the column names and at
most PAGE_SIZE rows, so every message stays far inside Telegram's 4096 characters whatever the
language of the labels. Nothing here knows a report's contents or a time finer than the week.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from aiogram.utils.i18n import gettext as _

from bot.reports.staff import (
    PLACES,
    REGIONS,
    column_names,
    place_label,
    region_label,
    report_line,
    status_label,
    urgency_label,
)
from bot.reports.store import OPEN_STATUSES, STATUSES, URGENCIES, ReportRow
from bot.telegram_html import escape

PAGE_SIZE = 15
OPEN, ALL = "open", "all"
STATUS_CHOICES = (OPEN, *STATUSES, ALL)
FILTERS = ("status", "region", "place", "urgency")


@dataclass(frozen=True)
class ListView:
    status: str = OPEN  # one of STATUS_CHOICES
    region: str | None = None
    place: str | None = None
    urgency: str | None = None
    page: int = 0

    @property
    def statuses(self) -> tuple[str, ...]:
        if self.status == OPEN:
            return OPEN_STATUSES
        return STATUSES if self.status == ALL else (self.status,)

    def with_status(self, status: str) -> ListView:
        return replace(self, status=status, page=0)

    def at(self, page: int) -> ListView:
        return replace(self, page=page)


def valid(view: ListView) -> bool:
    """Whether every value is one the list knows (callback data is never trusted)."""
    return (
        view.status in STATUS_CHOICES
        and view.region in (None, *REGIONS)
        and view.place in (None, *PLACES)
        and view.urgency in (None, *URGENCIES)
        and 0 <= view.page < 10_000
    )


def parse_view(args: str | None) -> ListView | None:
    """`status=in_review region=sughd place=police urgency=danger`, any of them, any order; a
    bare status (`/reports closed`, the older form) is a status too. None when a part is unknown."""
    values: dict[str, str] = {}
    for part in (args or "").lower().split():
        key, sep, value = part.partition("=")
        key, value = (key, value) if sep else ("status", key)
        if key not in FILTERS or key in values or not value:
            return None
        values[key] = value
    view = ListView(
        status=values.get("status", OPEN),
        region=values.get("region"),
        place=values.get("place"),
        urgency=values.get("urgency"),
    )
    return view if valid(view) else None


def choice_label(status: str) -> str:
    if status == OPEN:
        return _("open")
    return _("all") if status == ALL else status_label(status)


def pages_of(count: int) -> int:
    return max(1, -(-count // PAGE_SIZE))


def page_text(rows: list[ReportRow], view: ListView) -> str:
    """The title with the view's filters, the column names and one page of rows."""
    shown = [_("status: {value}").format(value=choice_label(view.status))]
    if view.region:
        shown.append(_("region: {value}").format(value=region_label(view.region)))
    if view.place:
        shown.append(_("place: {value}").format(value=place_label(view.place)))
    if view.urgency:
        shown.append(_("urgency: {value}").format(value=urgency_label(view.urgency)))
    title = _("<b>Reports</b> ({filters}): {count}").format(
        filters=escape(", ".join(shown)), count=len(rows)
    )
    if not rows:
        return "\n".join((title, _("No reports match these filters.")))
    page = min(view.page, pages_of(len(rows)) - 1)
    chunk = rows[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines = [title, column_names(), *(report_line(r) for r in chunk)]
    if pages_of(len(rows)) > 1:
        lines.append(_("Page {page} of {pages}").format(page=page + 1, pages=pages_of(len(rows))))
    return "\n".join(lines)


def usage_text() -> str:
    """The filters and their codes, each with its label in the reader's language."""

    def codes(pairs: list[tuple[str, str]]) -> str:
        return ", ".join(f"<code>{code}</code> ({escape(label)})" for code, label in pairs)

    return _(
        "<b>Filters</b> (combine them as you like), for example "
        "<code>/reports status=in_review region=sughd</code>\n"
        "• status= {statuses}\n• region= {regions}\n• place= {places}\n• urgency= {urgencies}"
    ).format(
        statuses=codes([(s, choice_label(s)) for s in STATUS_CHOICES]),
        regions=codes([(r, region_label(r)) for r in REGIONS]),
        places=codes([(p, place_label(p)) for p in PLACES]),
        urgencies=codes([(u, urgency_label(u)) for u in URGENCIES]),
    )
