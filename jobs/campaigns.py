"""Campaign jobs: one cron job per campaign time of day (in TIMEZONE), and a catch-up check.

The catch-up runs at start-up and every few minutes: a post missed while the bot was down is
sent late the same day, once (the ledger decides); after the day is over it is logged as missed.
"""

from __future__ import annotations

from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.campaigns.service import CampaignService
from bot.clock import Clock
from jobs.schedule import add_daily

CATCH_UP_MINUTES = 5


async def run_campaigns(campaigns: CampaignService, now: datetime) -> int:
    """Enqueue whatever is due at `now`; returns how many deliveries were enqueued."""
    return len(await campaigns.runner.run_due(now))


async def run_due_now(campaigns: CampaignService, clock: Clock) -> int:
    """The scheduled job: whatever is due at the bot's clock now."""
    return await run_campaigns(campaigns, clock())


def add_jobs(scheduler: AsyncIOScheduler, campaigns: CampaignService, clock: Clock) -> None:
    """The jobs of the campaign service; `clock` reads the time in TIMEZONE."""
    times = (campaign.post_time for campaign in campaigns.campaigns.values())
    add_daily(
        scheduler,
        run_due_now,
        times,
        args=[campaigns, clock],
        name="campaigns",
        catch_up_minutes=CATCH_UP_MINUTES,
    )
