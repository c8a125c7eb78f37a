"""Campaign jobs: one cron job per campaign time of day (in TIMEZONE), and a catch-up check.

The catch-up runs at start-up and every few minutes: a post missed while the bot was down is
sent late the same day, once (the ledger decides); after the day is over it is logged as missed.
"""

from __future__ import annotations

import logging
from datetime import datetime

from aiogram import Bot
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.campaigns.service import DeliveryUnavailable, campaign_service
from bot.services import Services

log = logging.getLogger(__name__)

CATCH_UP_MINUTES = 5


async def run_campaigns(services: Services, now: datetime | None = None) -> int:
    """Enqueue whatever is due at `now` (default: the services' clock); returns how many."""
    service = campaign_service(services)
    try:
        enqueued = await service.runner.run_due(now or services.now())
    except DeliveryUnavailable:
        log.error("campaigns: the delivery engine is not available; nothing was claimed")
        return 0
    return len(enqueued)


def schedule(scheduler: AsyncIOScheduler, services: Services, bot: Bot) -> None:
    service = campaign_service(services)
    times = sorted({campaign.post_time for campaign in service.campaigns.values()})
    for at in times:
        scheduler.add_job(
            run_campaigns,
            "cron",
            hour=at.hour,
            minute=at.minute,
            args=[services],
            id=f"campaigns-{at:%H%M}",
            replace_existing=True,
        )
    scheduler.add_job(
        run_campaigns,
        "interval",
        minutes=CATCH_UP_MINUTES,
        args=[services],
        id="campaigns-catch-up",
        next_run_time=datetime.now(services.settings.tz),  # at start-up too
        replace_existing=True,
    )
