"""Report housekeeping: the delete queue (the phone forgets), idle sessions, staff notices, purge.

Nothing scheduled here is persisted: APScheduler keeps its jobs in memory, so the delete queue
and the sessions vanish with the process, as designed.
"""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramNetworkError
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.reports.session import wipe_everything
from bot.reports.staff import send_notices
from bot.services import Services

log = logging.getLogger(__name__)
QUEUE_SECONDS = 1
WIPE_AT_SHUTDOWN_SECONDS = 20.0
PURGE_HOUR = 3  # a quiet hour, local time


async def flush_deletes(services: Services, bot: Bot) -> None:
    if services.reports is not None:
        await services.reports.deletes.flush(bot)


async def end_sessions(services: Services, bot: Bot) -> None:
    """Abandoned sessions (no Exit, no finish) are wiped like an Exit, without a message; checked
    every second, so their idle time is kept to the second."""
    reports = services.reports
    if reports is None:
        return
    for chat_id in reports.sessions.idle():
        reports.sessions.finish(chat_id, delay=0)
    await reports.deletes.flush(bot)


async def expire_sessions(services: Services, bot: Bot) -> None:
    await end_sessions(services, bot)
    if services.reports is not None:
        services.reports.receipt_limits.forget_expired()


async def wipe_at_shutdown(services: Services, bot: Bot) -> int:
    """Graceful shutdown: every session ends and the chat is wiped now, before the bot closes
    (the queue is in memory only and would be lost)."""
    if services.reports is None:
        return 0
    reports = services.reports
    try:
        return await asyncio.wait_for(
            wipe_everything(reports.sessions, reports.deletes, bot), WIPE_AT_SHUTDOWN_SECONDS
        )
    except (TimeoutError, OSError, TelegramNetworkError) as exc:  # the rest of shutdown goes on
        log.warning("shutdown: report chats not fully wiped (%s)", exc.__class__.__name__)
        return 0


async def notices(services: Services, bot: Bot) -> int:
    return await send_notices(services, bot)


async def purge(services: Services) -> int:
    return await services.reports.purge() if services.reports is not None else 0


def schedule(scheduler: AsyncIOScheduler, services: Services, bot: Bot) -> None:
    if services.reports is None:
        return
    scheduler.add_job(
        flush_deletes, "interval", seconds=QUEUE_SECONDS, args=[services, bot], id="reports-deletes"
    )
    scheduler.add_job(
        end_sessions, "interval", seconds=QUEUE_SECONDS, args=[services, bot], id="reports-ends"
    )
    scheduler.add_job(
        expire_sessions, "interval", minutes=5, args=[services, bot], id="reports-sessions"
    )
    # Staff notices at fixed times of day only (REPORT_NOTICE_TIMES): never triggered by an arrival.
    for at in services.settings.report_notice_times:
        scheduler.add_job(
            notices,
            "cron",
            hour=at.hour,
            minute=at.minute,
            args=[services, bot],
            id=f"reports-notices-{at:%H%M}",
        )
    scheduler.add_job(
        purge, "cron", hour=PURGE_HOUR, minute=17, args=[services], id="reports-purge"
    )
