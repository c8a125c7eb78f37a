"""The one shape of a daily job: a cron job at each time of day (in the scheduler's TIMEZONE)
and a catch-up check at start-up and every few minutes, which finds what was missed while the
bot was down (the caller's ledger decides whether it is still due)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, time
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler


def add_daily(
    scheduler: AsyncIOScheduler,
    job: Callable[..., Any],
    times: Iterable[time],
    *,
    args: list[Any],
    name: str,
    catch_up_minutes: int,
) -> None:
    for at in sorted(set(times)):
        scheduler.add_job(
            job,
            "cron",
            hour=at.hour,
            minute=at.minute,
            args=args,
            id=f"{name}-{at:%H%M}",
            replace_existing=True,
        )
    scheduler.add_job(
        job,
        "interval",
        minutes=catch_up_minutes,
        args=args,
        id=f"{name}-catch-up",
        next_run_time=datetime.now(scheduler.timezone),  # at start-up too (real time)
        replace_existing=True,
    )
