"""The article library's job: read the feeds every FEED_POLL_MINUTES (and once at start-up),
store new articles and announce them (bot/articles). Without FEED_URLS there is no job."""

from __future__ import annotations

import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.articles.service import ArticleService, PollResult
from bot.config import Settings

log = logging.getLogger(__name__)


async def poll_feeds(articles: ArticleService) -> PollResult:
    """One poll; a failure is logged by class only and the next poll tries again."""
    try:
        return await articles.poll()
    except Exception as exc:
        log.warning(
            "articles: the poll failed (%s); trying again at the next poll", type(exc).__name__
        )
        return PollResult()


def add_jobs(scheduler: AsyncIOScheduler, articles: ArticleService, settings: Settings) -> None:
    if not settings.feed_urls:
        return
    scheduler.add_job(
        poll_feeds,
        "interval",
        minutes=settings.feed_poll_minutes,
        args=[articles],
        id="articles-poll",
        replace_existing=True,
    )
    # A job without a trigger runs once, now: the feeds are read at start-up too.
    scheduler.add_job(poll_feeds, args=[articles], id="articles-first-poll", replace_existing=True)
