"""/stats: users by language, subscribers, blocked, broadcasts delivered, reports per week — a PNG chart.

Reports are counted only if the reports feature's table has its triage columns (week, category,
oblast); the check runs on every call, so the chart gains its report panels once they exist.
Only reports whose authors consented to anonymous statistics are counted, and only for staff
allowed to see reports (owners, admins): editors get the same /stats without any report figure.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiogram.utils.i18n import gettext as _

from bot import LOCALES
from bot.db.users import UserRepo
from bot.delivery import DeliveryEngine

if TYPE_CHECKING:
    from bot.reports.service import ReportService

WEEKS_SHOWN = 8


@dataclass
class Stats:
    users: dict[str, int]
    broadcasts_done: int
    reports_by_category: dict[str, dict[str, int]] = field(default_factory=dict)  # week → cat → n
    reports_by_region: dict[str, int] = field(default_factory=dict)


async def gather(
    users: UserRepo, delivery: DeliveryEngine, reports: ReportService | None = None
) -> Stats:
    """`reports` only for staff allowed to see report figures, and only when reports are on."""
    stats = Stats(
        users=await users.counts(), broadcasts_done=await delivery.count_done("broadcast")
    )
    if reports is not None:
        by_category, by_region = await reports.store.consented_counts(WEEKS_SHOWN)
        stats.reports_by_category, stats.reports_by_region = by_category, by_region
    return stats


def summary(stats: Stats) -> str:
    """The caption, in the current locale (a handler's, or `with i18n.use_locale(...)`)."""
    u = stats.users
    lines = [
        _("<b>Statistics</b>"),
        _("Users: {n}").format(n=u["users"]) + f" (tg {u['tg']} · ru {u['ru']} · en {u['en']})",
        _("Subscribers: {n}").format(n=u["subscribers"]),
        _("Blocked the bot: {n}").format(n=u["blocked"]),
        _("Broadcasts delivered: {n}").format(n=stats.broadcasts_done),
    ]
    if stats.reports_by_category:
        total = sum(sum(c.values()) for c in stats.reports_by_category.values())
        lines.append(
            _("Reports in the last {weeks} weeks: {n}").format(
                weeks=len(stats.reports_by_category), n=total
            )
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class ChartTitles:
    """The chart's words, translated by the caller into the admin's language."""

    users: str
    subscribers: str
    blocked: str
    reports_per_week: str
    reports_by_region: str


def chart(stats: Stats, titles: ChartTitles) -> bytes:
    """A small PNG: users per language and subscribers; reports per week and per region if any.

    Uses matplotlib's object API (no pyplot state), so it can run in a worker thread; the import
    (~50 MB, 0.5 s) happens only when an admin asks for a chart.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    panels = 3 if stats.reports_by_category else 1
    fig = Figure(figsize=(4 * panels, 3), dpi=80)
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, panels, squeeze=False)
    ax = axes[0][0]
    u = stats.users
    ax.bar(list(LOCALES), [u[loc] for loc in LOCALES], color="#3b6ea5")
    ax.bar(
        [titles.subscribers, titles.blocked],
        [u["subscribers"], u["blocked"]],
        color=["#4c9a2a", "#b03a2e"],
    )
    ax.set_title(titles.users, fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    if stats.reports_by_category:
        weeks = sorted(stats.reports_by_category)
        categories = sorted({c for w in weeks for c in stats.reports_by_category[w]})
        bottom = [0] * len(weeks)
        for category in categories:
            values = [stats.reports_by_category[w].get(category, 0) for w in weeks]
            axes[0][1].bar(weeks, values, bottom=bottom, label=category)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        axes[0][1].set_title(titles.reports_per_week, fontsize=8)
        axes[0][1].legend(fontsize=6)
        axes[0][1].tick_params(axis="x", labelrotation=45, labelsize=6)
        regions = sorted(stats.reports_by_region)
        axes[0][2].barh(regions, [stats.reports_by_region[r] for r in regions], color="#8e44ad")
        axes[0][2].set_title(titles.reports_by_region, fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
