"""Scheduled work (APScheduler 3, started inside the bot's running event loop).

Each feature's module has `add_jobs(scheduler, …)` taking what its jobs need by name;
`start_scheduler` (called by bot/app.py) adds them all.
"""

from __future__ import annotations

from aiogram import Bot
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_SUBMITTED
from apscheduler.schedulers.asyncio import AsyncIOScheduler

import jobs.articles
import jobs.campaigns
import jobs.quiz
import jobs.receptions
import jobs.reports
from bot.articles.service import ArticleService
from bot.campaigns.service import CampaignService
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Translator
from bot.middlewares import ActivityCounter
from bot.quiz.service import QuizService
from bot.receptions.service import ReceptionService
from bot.reports.service import ReportService


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


def start_scheduler(
    bot: Bot,
    *,
    settings: Settings,
    clock: Clock,
    i18n: Translator,
    campaigns: CampaignService,
    reports: ReportService | None,
    articles: ArticleService,
    receptions: ReceptionService,
    quiz: QuizService,
) -> AsyncIOScheduler:
    """The scheduler with every feature's jobs; reports' jobs only when reports are on."""
    # A job that is late (e.g. the loop was busy) still runs within a minute instead of being
    # skipped after APScheduler's default one second; coalesce so a backlog runs once.
    scheduler = AsyncIOScheduler(
        timezone=settings.tz,
        job_defaults={"misfire_grace_time": 60, "coalesce": True, "max_instances": 1},
    )
    scheduler.running_jobs = RunningJobs(scheduler)  # type: ignore[attr-defined]
    jobs.campaigns.add_jobs(scheduler, campaigns, clock)
    jobs.articles.add_jobs(scheduler, articles, settings)
    jobs.receptions.add_jobs(scheduler, receptions, bot, i18n, clock)
    jobs.quiz.add_jobs(scheduler, quiz, bot, clock)
    if reports is not None:
        jobs.reports.add_jobs(scheduler, reports, bot, settings, i18n)
    scheduler.start()
    return scheduler
