"""/stats: users by language, subscribers, blocked, broadcasts delivered, reports per week.

Reports are counted only if the reports feature's table has its triage columns (week, category,
oblast); the check runs on every call, so the chart gains its report panels once they exist.
Only reports whose authors consented to anonymous statistics are counted, and only for staff
allowed to see reports (owners, admins): editors get the same /stats without any report figure.

This module only collects the figures and words them in the admin's language; the picture is
drawn by a short-lived worker (bot/admin/chart.py), so matplotlib never loads into the bot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import gettext as ngettext

from bot import LANGUAGE_NAMES, LOCALES
from bot.db.users import UserRepo
from bot.delivery import DeliveryEngine
from bot.placements.store import SMALL, PlacementCounts, shown
from bot.quiz.store import QuizStore
from bot.reports.flow import BY_KEY
from bot.telegram_html import escape

if TYPE_CHECKING:
    from bot.reports.service import ReportService

WEEKS_SHOWN = 8
CAPTION_LIMIT = 1024  # Telegram's limit for a photo caption
NOT_GIVEN = "?"  # the store's code for a question skipped


@dataclass
class Stats:
    users: dict[str, int]
    broadcasts_done: int
    reports_by_category: dict[str, dict[str, int]] = field(default_factory=dict)  # week → cat → n
    reports_by_region: dict[str, int] = field(default_factory=dict)
    # week (Monday, ISO) → placement code → joins; shown as "< 5" under 5
    placements_by_week: dict[str, dict[str, int]] = field(default_factory=dict)
    # quiz evenings held, their participants, question-of-the-day answers, correct ones
    quiz: tuple[int, int, int, int] = (0, 0, 0, 0)


async def gather(
    users: UserRepo,
    delivery: DeliveryEngine,
    reports: ReportService | None = None,
    placements: tuple[PlacementCounts, date] | None = None,
    quiz: QuizStore | None = None,
) -> Stats:
    """`reports` only for staff allowed to see report figures, and only when reports are on;
    `placements`: the joins' counts and today (in TIMEZONE); `quiz`: its totals (numbers only)."""
    stats = Stats(
        users=await users.counts(), broadcasts_done=await delivery.count_done("broadcast")
    )
    if placements is not None:
        counts, today = placements
        stats.placements_by_week = await counts.weekly(today, WEEKS_SHOWN)
    if quiz is not None:
        stats.quiz = await quiz.totals()
    if reports is not None:
        by_category, by_region = await reports.store.consented_counts(WEEKS_SHOWN)
        stats.reports_by_category, stats.reports_by_region = by_category, by_region
    return stats


def _weeks_line(stats: Stats) -> str:
    weeks = len(stats.reports_by_category)
    total = sum(sum(c.values()) for c in stats.reports_by_category.values())
    return ngettext(
        "Reports in the last {weeks} week: {n}", "Reports in the last {weeks} weeks: {n}", weeks
    ).format(weeks=weeks, n=total)


def summary(stats: Stats) -> str:
    """The caption, in the current locale (a handler's, or `with i18n.use_locale(...)`)."""
    u = stats.users
    per_language = " · ".join(f"{LANGUAGE_NAMES[loc]} {u[loc]}" for loc in LOCALES)
    lines = [
        _("<b>Statistics</b>"),
        _("Users: {n}").format(n=u["users"]) + f" ({per_language})",
        _("Subscribers: {n}").format(n=u["subscribers"]),
        _("Blocked the bot: {n}").format(n=u["blocked"]),
        _("Broadcasts delivered: {n}").format(n=stats.broadcasts_done),
    ]
    if stats.reports_by_category:
        lines.append(_weeks_line(stats))
    if stats.placements_by_week:
        totals: dict[str, int] = {}
        for codes in stats.placements_by_week.values():
            for code, n in codes.items():
                totals[code] = totals.get(code, 0) + n
        joined = ", ".join(f"{code} {shown(n)}" for code, n in sorted(totals.items()))
        lines.append(_("Opened from posters and QR codes: {joins}").format(joins=escape(joined)))
    events, people, answers, correct = stats.quiz
    if events:
        lines.append(
            _("Quiz evenings: {n} ({people} participants)").format(n=events, people=people)
        )
    if answers:
        lines.append(
            _("Question of the day: {n} answers, {correct} correct").format(
                n=answers, correct=correct
            )
        )
    return "\n".join(lines)[:CAPTION_LIMIT]


def _label(question: str, code: str) -> str:
    """The report flow's own button text for an answer code, in the current locale."""
    for value, text in BY_KEY[question].options:
        if value == code:
            return str(text)
    return _("not given") if code == NOT_GIVEN else code


def _last_if_not_given(code: str) -> tuple[bool, str]:
    return (code == NOT_GIVEN, code)


def _week_label(monday: str) -> str:
    try:
        return date.fromisoformat(monday).strftime("%d.%m")
    except ValueError:
        return monday


def chart_spec(stats: Stats) -> dict[str, Any]:
    """What the chart worker draws, every word already translated (JSON-ready).

    A panel is {"title", "kind": "barh", "labels", "values"} or {"title", "kind": "stacked",
    "labels" (weeks), "series": [{"name", "values"}]}.
    """
    u = stats.users
    panels: list[dict[str, Any]] = [
        {
            "title": _("Users by language"),
            "kind": "barh",
            "labels": [LANGUAGE_NAMES[loc] for loc in LOCALES],
            "values": [u[loc] for loc in LOCALES],
        },
        {
            "title": _("Subscribers to daily posts"),
            "kind": "barh",
            "labels": [_("subscribed"), _("not subscribed")],
            "values": [u["subscribers"], max(0, u["users"] - u["subscribers"])],
        },
        {
            "title": _("Blocked the bot"),
            "kind": "barh",
            "labels": [_("blocked"), _("can be reached")],
            "values": [u["blocked"], max(0, u["users"] - u["blocked"])],
        },
    ]
    if stats.reports_by_category:
        weeks = sorted(stats.reports_by_category)
        codes = sorted(
            {c for w in weeks for c in stats.reports_by_category[w]}, key=_last_if_not_given
        )
        panels.append(
            {
                "title": _("Reports per week, by place"),
                "kind": "stacked",
                "labels": [_week_label(w) for w in weeks],
                "series": [
                    {
                        "name": _label("place", code),
                        "values": [stats.reports_by_category[w].get(code, 0) for w in weeks],
                    }
                    for code in codes
                ],
            }
        )
        regions = sorted(stats.reports_by_region, key=lambda r: -stats.reports_by_region[r])
        panels.append(
            {
                "title": _("Reports by region"),
                "kind": "barh",
                "labels": [_label("region", r) for r in regions],
                "values": [stats.reports_by_region[r] for r in regions],
            }
        )
    if stats.placements_by_week:
        weeks = sorted(stats.placements_by_week)
        codes = sorted({c for w in weeks for c in stats.placements_by_week[w]})
        panels.append(
            {
                "title": _("Opened from posters per week (hatched: fewer than 5)"),
                "kind": "stacked",
                "labels": [_week_label(w) for w in weeks],
                "small": SMALL,  # the worker draws these as "< 5", never the exact count
                "series": [
                    {
                        "name": code,
                        "values": [_small(stats.placements_by_week[w].get(code, 0)) for w in weeks],
                    }
                    for code in codes
                ],
            }
        )
    return {"panels": panels}


def _small(count: int) -> int | str:
    """A count the chart may show: 0, "< 5" (1–4, not told exactly), or the number."""
    return count if count == 0 or count >= SMALL else "< 5"
