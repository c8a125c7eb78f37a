"""Scheduled work (APScheduler 3, started inside the bot's running event loop).

Each module listed in JOB_MODULES has `schedule(scheduler, services, bot)` that adds its jobs.
"""

from __future__ import annotations

import importlib

from aiogram import Bot
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.services import Services

JOB_MODULES: tuple[str, ...] = ("jobs.campaigns", "jobs.reports")


def start_scheduler(services: Services, bot: Bot) -> AsyncIOScheduler:
    # A job that is late (e.g. the loop was busy) still runs within a minute instead of being
    # skipped after APScheduler's default one second; coalesce so a backlog runs once.
    scheduler = AsyncIOScheduler(
        timezone=services.settings.tz,
        job_defaults={"misfire_grace_time": 60, "coalesce": True, "max_instances": 1},
    )
    for name in JOB_MODULES:
        importlib.import_module(name).schedule(scheduler, services, bot)
    scheduler.start()
    return scheduler
