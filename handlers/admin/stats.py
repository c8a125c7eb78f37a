"""/stats: a chart and a caption; report figures only for those who may see reports.

The chart is drawn in a worker process (bot/admin/chart_client.py); if it fails or is stuck,
the admin gets the figures as text and a line saying the chart could not be drawn.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from aiogram import Router
from aiogram.enums import ChatAction
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, Message
from aiogram.utils.i18n import gettext as _

from bot.admin import chart_client
from bot.admin import stats as admin_stats
from bot.admin.roles import AdminDirectory
from bot.clock import Clock
from bot.db.users import UserRepo
from bot.delivery import DeliveryEngine
from bot.placements.service import PlacementService
from bot.placements.store import PlacementCounts
from bot.quiz.service import QuizService
from handlers.admin.filters import HasPermission

if TYPE_CHECKING:
    from bot.reports.service import ReportService


async def show_stats(
    message: Message,
    admins: AdminDirectory,
    users: UserRepo,
    delivery: DeliveryEngine,
    placements: PlacementService,
    quiz: QuizService,
    clock: Clock,
    reports: ReportService | None = None,  # in the dispatcher only when reports are configured
) -> None:
    assert message.from_user is not None
    await send_stats(
        message,
        message.from_user.id,
        admins,
        users,
        delivery,
        reports,
        placements=(placements.counts, clock().date()),
        quiz=quiz,
    )


async def send_stats(
    message: Message,
    user_id: int,
    admins: AdminDirectory,
    users: UserRepo,
    delivery: DeliveryEngine,
    reports: ReportService | None,
    placements: tuple[PlacementCounts, date] | None = None,
    quiz: QuizService | None = None,
) -> None:
    """The chart and its caption for `user_id`, into `message`'s chat (/stats, /admin's button);
    `placements` (the joins per poster code and today) adds their weekly panel."""
    # Report figures are for those who may see reports (owners, admins), never for editors.
    with_reports = await admins.may(user_id, "reports")
    collected = await admin_stats.gather(
        users, delivery, reports if with_reports else None, placements, quiz.store if quiz else None
    )
    caption = admin_stats.summary(collected)
    if message.bot is not None:
        await message.bot.send_chat_action(message.chat.id, ChatAction.UPLOAD_PHOTO)
    try:
        png = await chart_client.render(admin_stats.chart_spec(collected))
    except chart_client.ChartError:
        await message.answer(
            caption
            + "\n\n"
            + _(
                "⚠️ The chart could not be drawn this time; the figures are above. Try /stats again later."
            )
        )
    else:
        await message.answer_photo(BufferedInputFile(png, filename="stats.png"), caption=caption)
    await admins.audit(user_id, "stats")


def setup() -> Router:
    router = Router(name="admin_stats")
    router.message.register(show_stats, Command("stats"), HasPermission("stats"))
    return router
