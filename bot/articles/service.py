"""The article library's logic: poll the feeds, take each new item once, fetch and extract its
page off the event loop, store it, announce it once in the channel of its language, and serve
the latest, one article, and search hits to the screens.

Nothing is lost: an item is stored `pending` as soon as the feed lists it; a page that cannot be
fetched is tried again at the next polls, and after MAX_PAGE_ATTEMPTS the feed's own summary is
stored instead. Nothing is announced twice: the announcement ledger row is claimed before the
delivery is enqueued, under the ledger row's key (like the campaigns' ledger).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime

import aiohttp
from aiogram.utils.i18n import gettext as _

from bot.articles.extract import Article, Feed, FeedItem, extract_article, host_of, parse_feed
from bot.articles.fetch import FEED_LIMIT, PAGE_LIMIT, Fetcher, FetchError
from bot.articles.index import ArticleIndex
from bot.articles.store import CLAIMED, ArticleStore, StoredArticle
from bot.config import FeedSource, Settings
from bot.db import Database
from bot.delivery import DeliveryEngine
from bot.delivery.models import Audience, OutgoingMessage
from bot.i18n import Translator
from bot.links import DeepLinks
from bot.telegram_html import escape

log = logging.getLogger(__name__)

MAX_PAGE_ATTEMPTS = 3  # then the feed's summary is stored instead of the page's text
WORK_TIMEOUT = 20.0  # seconds for parsing one feed or extracting one page in the worker
PAGES_PER_POLL = 100  # pending pages fetched in one poll (the rest at the next)
FETCH_CONCURRENCY = 4
LIST_PAGE = 6  # articles per page of the list screen
CHANNEL = "channel:"
ARTICLE_SCREEN = "art"  # the deep link art_<id> opens it (a payload's screen name ends at "_")
LIST_SCREEN = "articles"


def deep_link_payload(article_id: int) -> str:
    return f"{ARTICLE_SCREEN}_{article_id}"


@dataclass(frozen=True)
class PollResult:
    new: int = 0  # items seen for the first time
    stored: int = 0  # articles that became readable
    announced: int = 0  # announcements enqueued
    failed_feeds: int = 0


class ArticleService:
    def __init__(
        self,
        store: ArticleStore,
        index: ArticleIndex,
        fetcher: Fetcher,
        *,
        feeds: list[FeedSource],
        channel_locales: set[str],
        delivery: DeliveryEngine,
        links: DeepLinks,
        i18n: Translator,
        clock: Callable[[], datetime],
        work_timeout: float = WORK_TIMEOUT,
    ) -> None:
        self.store = store
        self.index = index
        self.fetcher = fetcher
        self.feeds = feeds
        self.channel_locales = channel_locales
        self.delivery = delivery
        self.links = links
        self.i18n = i18n
        self.clock = clock
        self.work_timeout = work_timeout  # parsing a feed, reading a summary (threads)
        self.extract_timeout = work_timeout  # one page in the worker process
        self._lock = asyncio.Lock()  # the interval job and a manual poll never overlap
        self._worker: ProcessPoolExecutor | None = None  # started at the first page

    # ------------------------------------------------------------------ reading

    async def load_index(self) -> None:
        for article_id, locale, text in await self.store.all_ready():
            self.index.add(article_id, locale, text)

    async def get(self, article_id: int) -> StoredArticle | None:
        return await self.store.get(article_id)

    async def latest(self, locale: str, page: int) -> tuple[list[StoredArticle], int]:
        """One page of the newest articles in `locale`, and the number of pages."""
        articles, total = await self.store.latest(locale, page * LIST_PAGE, LIST_PAGE)
        return articles, max(1, -(-total // LIST_PAGE))

    async def search(self, query: str, locale: str, limit: int = 3) -> list[StoredArticle]:
        found = []
        for hit in self.index.search(query, locale, limit):
            article = await self.store.get(hit.article_id)
            if article is not None:
                found.append(article)
        return found

    def read_link(self, article_id: int) -> str:
        return self.links.start(deep_link_payload(article_id))

    def share_link(self, article: StoredArticle) -> str:
        return self.links.share(self.read_link(article.id), article.title)

    # ------------------------------------------------------------------ polling

    async def poll(self) -> PollResult:
        """Read every feed, store the new items, fetch pending pages, announce what is ready."""
        async with self._lock:
            new = failed = 0
            async with self.fetcher.session() as http:
                for feed in self.feeds:
                    added = await self._read_feed(http, feed)
                    if added is None:
                        failed += 1
                    else:
                        new += added
                try:
                    stored = await self._fetch_pending(http)
                finally:
                    await self._stop_worker()  # its memory is given back between polls
            announced = await self.announce()
        if new or stored or announced:
            log.info(
                "articles: %d new in the feeds, %d stored, %d announcements enqueued",
                new,
                stored,
                announced,
            )
        return PollResult(new, stored, announced, failed)

    async def _in_worker(self, fn: Callable, *args: object):
        """Run `fn` in the worker process (its own interpreter: parsing and extraction never
        hold this process's GIL); on a timeout the worker is killed and a new one starts."""
        if self._worker is None:
            # spawn: a fresh interpreter that imports only bot.articles.extract, not a fork of
            # this process with its threads and open database.
            self._worker = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
        worker = self._worker
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(
                loop.run_in_executor(worker, fn, *args), self.extract_timeout
            )
        except (TimeoutError, BrokenProcessPool):  # hung or died: the next page gets a new one
            self._kill(worker)
            raise

    def _kill(self, worker: ProcessPoolExecutor) -> None:
        if self._worker is worker:
            self._worker = None
        for process in list(getattr(worker, "_processes", {}).values()):
            process.kill()
        worker.shutdown(wait=False, cancel_futures=True)

    async def _read_feed(self, http: aiohttp.ClientSession, feed: FeedSource) -> int | None:
        """New items of one feed stored; None when the feed could not be read."""
        try:
            data = await self.fetcher.get(http, feed.url, FEED_LIMIT)
        except FetchError as exc:
            log.warning(
                "articles: the %s feed %s could not be fetched (%s); trying again at the next poll",
                feed.locale,
                feed.shown,
                exc.reason,
            )
            return None
        try:
            parsed: Feed = await asyncio.wait_for(
                asyncio.to_thread(parse_feed, data), self.work_timeout
            )
        except Exception as exc:  # a timeout or a parser failure: the feed is skipped this time
            log.warning(
                "articles: the %s feed %s could not be parsed (%s); trying again at the next poll",
                feed.locale,
                feed.shown,
                type(exc).__name__,
            )
            return None
        if parsed.broken:
            log.warning(
                "articles: the %s feed %s is not a readable RSS or Atom feed; trying again at"
                " the next poll",
                feed.locale,
                feed.shown,
            )
            return None
        first = await self.store.first_read(feed.locale, self.clock())
        if first and parsed.items:
            log.info(
                "articles: first read of the %s feed: %d items stored without announcement",
                feed.locale,
                len(parsed.items),
            )
        # Oldest first, so the ids (and announcements) follow the order of publication.
        items = list(reversed(parsed.items))
        return await self.store.add_new(feed.locale, items, announce=not first, now=self.clock())

    async def _fetch_pending(self, http: aiohttp.ClientSession) -> int:
        pending = await self.store.pending(PAGES_PER_POLL)
        gate = asyncio.Semaphore(FETCH_CONCURRENCY)

        async def one(article: StoredArticle) -> bool:
            async with gate:
                return await self._fetch_one(http, article)

        results = await asyncio.gather(*(one(article) for article in pending))
        return sum(results)

    async def _fetch_one(self, http: aiohttp.ClientSession, stored: StoredArticle) -> bool:
        item = FeedItem(stored.url, stored.url, stored.title, stored.summary, None)
        page: bytes | None = None
        try:
            page = await self.fetcher.get(http, stored.url, PAGE_LIMIT)
        except FetchError as exc:
            attempts = await self.store.failed(stored.id)
            if attempts < MAX_PAGE_ATTEMPTS:
                log.warning(
                    "articles: a %s article page on %s could not be fetched (%s), attempt %d of %d",
                    stored.locale,
                    host_of(stored.url),
                    exc.reason,
                    attempts,
                    MAX_PAGE_ATTEMPTS,
                )
                return False
            log.warning(
                "articles: a %s article page on %s failed %d times (%s): the feed's summary is"
                " stored instead",
                stored.locale,
                host_of(stored.url),
                attempts,
                exc.reason,
            )
        if page is None:
            article = await self._from_summary(item)
        else:
            article = await self._extract(page, item, stored)
        await self.store.save(stored.id, article)
        self.index.add(stored.id, stored.locale, article.search_text)
        return True

    async def _extract(self, page: bytes, item: FeedItem, stored: StoredArticle) -> Article:
        try:
            return await self._in_worker(extract_article, page, item)
        except Exception as exc:  # an extractor failure or timeout: the feed's summary instead
            log.warning(
                "articles: a %s article from %s could not be extracted (%s): the feed's summary"
                " is stored instead",
                stored.locale,
                host_of(stored.url),
                type(exc).__name__,
            )
            return await self._from_summary(item)

    async def _from_summary(self, item: FeedItem) -> Article:
        """The feed's own summary (small, no extractor), or at least the title."""
        try:
            return await asyncio.wait_for(
                asyncio.to_thread(extract_article, None, item), self.work_timeout
            )
        except Exception as exc:
            log.warning("articles: a feed summary could not be read (%s)", type(exc).__name__)
            title = escape(item.title)
            return Article(title=item.title, pages=[title], search_text=item.title)

    # ------------------------------------------------------------------ announcing

    async def announce(self) -> int:
        """Enqueue the announcement of every ready article not announced yet, once per channel."""
        count = 0
        for article in await self.store.to_announce(self.channel_locales):
            target = CHANNEL + article.locale
            if await self.store.claim(article.id, target, self.clock()) != CLAIMED:
                continue
            delivery_id = await self.delivery.enqueue(
                kind="article",
                dedupe_key=f"article:{article.id}:{target}",
                versions={article.locale: self.announcement(article)},
                audience=Audience(locales=(), channels=(article.locale,)),
            )
            await self.store.mark_enqueued(article.id, target, delivery_id, self.clock())
            count += 1
        return count

    def announcement(self, article: StoredArticle) -> OutgoingMessage:
        """The channel post: the title, whole sentences of the start, and the buttons."""
        with self.i18n.use_locale(article.locale):
            read = _("📖 Read in the bot")
            share = _("📤 Share")
        text = f"<b>{escape(article.title)}</b>"
        if article.teaser:
            text += f"\n\n{escape(article.teaser)}"
        return OutgoingMessage(
            text=text,
            url_buttons=(
                ((read, self.read_link(article.id)),),
                ((share, self.share_link(article)),),
            ),
        )

    async def _stop_worker(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            await asyncio.to_thread(worker.shutdown, True, cancel_futures=True)

    def close(self) -> None:
        """At shutdown: the worker process goes at once (a poll in flight is tried again)."""
        if self._worker is not None:
            self._kill(self._worker)


async def create_article_service(
    db: Database,
    settings: Settings,
    delivery: DeliveryEngine,
    links: DeepLinks,
    i18n: Translator,
    clock: Callable[[], datetime],
) -> ArticleService:
    service = ArticleService(
        ArticleStore(db),
        ArticleIndex(),
        Fetcher(settings.proxy_url),
        feeds=settings.feed_urls,
        channel_locales={channel.locale for channel in settings.channels},
        delivery=delivery,
        links=links,
        i18n=i18n,
        clock=clock,
    )
    await service.load_index()
    return service
