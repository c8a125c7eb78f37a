"""/stats: a chart and a caption; report figures only for those who may see reports."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, Message
from aiogram.utils.i18n import gettext as _

from bot.admin import stats as admin_stats
from bot.admin.roles import AdminDirectory
from bot.db.users import UserRepo
from bot.delivery import DeliveryEngine
from handlers.admin.filters import HasPermission

if TYPE_CHECKING:
    from bot.reports.service import ReportService


async def show_stats(
    message: Message,
    admins: AdminDirectory,
    users: UserRepo,
    delivery: DeliveryEngine,
    reports: ReportService | None = None,  # in the dispatcher only when reports are configured
) -> None:
    assert message.from_user is not None
    # Report figures are for those who may see reports (owners, admins), never for editors.
    with_reports = await admins.may(message.from_user.id, "reports")
    collected = await admin_stats.gather(users, delivery, reports if with_reports else None)
    titles = admin_stats.ChartTitles(
        users=_("Users by language"),
        subscribers=_("subscribers"),
        blocked=_("blocked"),
        reports_per_week=_("Reports per week, by kind"),
        reports_by_region=_("Reports by region"),
    )
    # Drawing takes a fraction of a second: keep the event loop answering everyone else.
    png = await asyncio.to_thread(admin_stats.chart, collected, titles)
    await message.answer_photo(
        BufferedInputFile(png, filename="stats.png"), caption=admin_stats.summary(collected)
    )
    await admins.audit(message.from_user.id, "stats")


def setup() -> Router:
    router = Router(name="admin_stats")
    router.message.register(show_stats, Command("stats"), HasPermission("stats"))
    return router
