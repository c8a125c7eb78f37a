"""Scheduled work (APScheduler 3, started inside the bot's running event loop).

Each module listed in JOB_MODULES has `schedule(scheduler, services, bot)` that adds its jobs.
"""

from __future__ import annotations

import importlib

from aiogram import Bot
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_SUBMITTED
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.middlewares import ActivityCounter
from bot.services import Services

JOB_MODULES: tuple[str, ...] = ("jobs.campaigns", "jobs.reports")


class RunningJobs(ActivityCounter):
    """Counts jobs between submission and completion, so shutdown can let them finish
    (APScheduler cancels running coroutine jobs on shutdown, e.g. in the middle of a write)."""

    def __init__(self, scheduler: AsyncIOScheduler) -> None:
        super().__init__()
        scheduler.add_listener(lambda _event: self.begin(), EVENT_JOB_SUBMITTED)
        scheduler.add_listener(lambda _event: self.end(), EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)


async def stop_scheduler(scheduler: AsyncIOScheduler, grace_seconds: float) -> bool:
    """Start no new job, let running ones finish (up to the grace period), then shut down."""
    scheduler.pause()
    running: RunningJobs | None = getattr(scheduler, "running_jobs", None)
    finished = await running.drain(grace_seconds) if running is not None else True
    scheduler.shutdown(wait=False)
    return finished


def start_scheduler(services: Services, bot: Bot) -> AsyncIOScheduler:
    # A job that is late (e.g. the loop was busy) still runs within a minute instead of being
    # skipped after APScheduler's default one second; coalesce so a backlog runs once.
    scheduler = AsyncIOScheduler(
        timezone=services.settings.tz,
        job_defaults={"misfire_grace_time": 60, "coalesce": True, "max_instances": 1},
    )
    scheduler.running_jobs = RunningJobs(scheduler)  # type: ignore[attr-defined]
    for name in JOB_MODULES:
        importlib.import_module(name).schedule(scheduler, services, bot)
    scheduler.start()
    return scheduler
