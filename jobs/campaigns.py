"""Campaign jobs: one cron job per campaign time of day (in TIMEZONE), and a catch-up check.

The catch-up runs at start-up and every few minutes: a post missed while the bot was down is
sent late the same day, once (the ledger decides); after the day is over it is logged as missed.
"""

from __future__ import annotations

from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.campaigns.service import CampaignService
from bot.clock import Clock

CATCH_UP_MINUTES = 5


async def run_campaigns(campaigns: CampaignService, now: datetime) -> int:
    """Enqueue whatever is due at `now`; returns how many deliveries were enqueued."""
    return len(await campaigns.runner.run_due(now))


async def run_due_now(campaigns: CampaignService, clock: Clock) -> int:
    """The scheduled job: whatever is due at the bot's clock now."""
    return await run_campaigns(campaigns, clock())


def add_jobs(scheduler: AsyncIOScheduler, campaigns: CampaignService, clock: Clock) -> None:
    """The jobs of the campaign service; `clock` reads the time in TIMEZONE."""
    times = sorted({campaign.post_time for campaign in campaigns.campaigns.values()})
    for at in times:
        scheduler.add_job(
            run_due_now,
            "cron",
            hour=at.hour,
            minute=at.minute,
            args=[campaigns, clock],
            id=f"campaigns-{at:%H%M}",
            replace_existing=True,
        )
    scheduler.add_job(
        run_due_now,
        "interval",
        minutes=CATCH_UP_MINUTES,
        args=[campaigns, clock],
        id="campaigns-catch-up",
        next_run_time=datetime.now(scheduler.timezone),  # at start-up too (real time)
        replace_existing=True,
    )
