"""Report housekeeping: the delete queue (the phone forgets), idle sessions, staff notices, purge.

Nothing scheduled here is persisted: APScheduler keeps its jobs in memory, so the delete queue
and the sessions vanish with the process, as designed. The jobs exist only when reports are
configured, and take the report service by name.
"""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramNetworkError
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.config import Settings
from bot.i18n import Translator
from bot.reports.service import ReportService
from bot.reports.session import wipe_everything
from bot.reports.staff import send_notices

log = logging.getLogger(__name__)
QUEUE_SECONDS = 1
WIPE_AT_SHUTDOWN_SECONDS = 20.0
PURGE_HOUR = 3  # a quiet hour, local time


async def flush_deletes(reports: ReportService, bot: Bot) -> None:
    await reports.deletes.flush(bot)


async def end_sessions(reports: ReportService, bot: Bot) -> None:
    """Abandoned sessions (no Exit, no finish) are wiped like an Exit, without a message; checked
    every second, so their idle time is kept to the second."""
    for chat_id in reports.sessions.idle():
        reports.sessions.finish(chat_id, delay=0)
    await reports.deletes.flush(bot)


async def expire_sessions(reports: ReportService, bot: Bot) -> None:
    await end_sessions(reports, bot)
    reports.receipt_limits.forget_expired()


async def wipe_at_shutdown(reports: ReportService, bot: Bot) -> int:
    """Graceful shutdown: every session ends and the chat is wiped now, before the bot closes
    (the queue is in memory only and would be lost)."""
    try:
        return await asyncio.wait_for(
            wipe_everything(reports.sessions, reports.deletes, bot), WIPE_AT_SHUTDOWN_SECONDS
        )
    except (TimeoutError, OSError, TelegramNetworkError) as exc:  # the rest of shutdown goes on
        log.warning("shutdown: report chats not fully wiped (%s)", exc.__class__.__name__)
        return 0


async def notices(reports: ReportService, bot: Bot, settings: Settings, i18n: Translator) -> int:
    """The staff chat's batch, in the bot's default language."""
    return await send_notices(reports, bot, i18n, settings.staff_chat_id, settings.default_locale)


async def purge(reports: ReportService) -> int:
    return await reports.purge()


def add_jobs(
    scheduler: AsyncIOScheduler,
    reports: ReportService,
    bot: Bot,
    settings: Settings,
    i18n: Translator,
) -> None:
    """The jobs of the report service (only when reports are configured)."""
    for job, job_id in ((flush_deletes, "reports-deletes"), (end_sessions, "reports-ends")):
        scheduler.add_job(job, "interval", seconds=QUEUE_SECONDS, args=[reports, bot], id=job_id)
    scheduler.add_job(
        expire_sessions, "interval", minutes=5, args=[reports, bot], id="reports-sessions"
    )
    # Staff notices at fixed times of day only (REPORT_NOTICE_TIMES): never triggered by an arrival.
    for at in settings.report_notice_times:
        scheduler.add_job(
            notices,
            "cron",
            hour=at.hour,
            minute=at.minute,
            args=[reports, bot, settings, i18n],
            id=f"reports-notices-{at:%H%M}",
        )
    scheduler.add_job(purge, "cron", hour=PURGE_HOUR, minute=17, args=[reports], id="reports-purge")
