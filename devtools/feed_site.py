"""A tiny local website with RSS feeds (aiohttp.web on 127.0.0.1, a random port), for the demo,
the tests and the feed benchmark: `/feed/<lang>.xml` lists the articles, `/a/<slug>.html` is an
article page with a menu, a footer and a script around the text, as real sites have.

Faults for tests: `broken` feeds (not XML), pages `down` (HTTP 503), `slow` pages, a `huge`
page size. The site only serves what it was given; nothing here reaches the network.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from aiohttp import web


@dataclass
class SiteArticle:
    slug: str
    title: str
    body_html: str  # the article's HTML as the website's CMS writes it
    guid: str = ""
    summary: str = ""
    images: tuple[str, ...] = ()  # paths on the site, e.g. "/img/1.jpg"


@dataclass
class FeedSite:
    feeds: dict[str, list[SiteArticle]] = field(default_factory=dict)  # newest first
    broken: set[str] = field(default_factory=set)  # languages whose feed is garbage
    down: set[str] = field(default_factory=set)  # slugs whose page answers 503
    slow: dict[str, float] = field(default_factory=dict)  # slug -> seconds before answering
    hits: dict[str, int] = field(default_factory=dict)  # path -> requests
    _runner: web.AppRunner | None = None
    base_url: str = ""

    def add(self, locale: str, article: SiteArticle) -> None:
        """Publish: the article goes on top of its language's feed."""
        self.feeds.setdefault(locale, []).insert(0, article)

    def feed_url(self, locale: str, query: str = "") -> str:
        return f"{self.base_url}/feed/{locale}.xml" + (f"?{query}" if query else "")

    def feed_urls(self, query: str = "") -> str:
        """The FEED_URLS setting for every language of the site."""
        return ",".join(f"{loc}={self.feed_url(loc, query)}" for loc in self.feeds)

    async def start(self, port: int = 0) -> str:
        app = web.Application()
        app.router.add_get("/feed/{locale}.xml", self._feed)
        app.router.add_get("/a/{slug}.html", self._page)
        app.router.add_get("/img/{name}", self._image)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        sockets = site._server.sockets  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}"
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _count(self, request: web.Request) -> None:
        self.hits[request.path] = self.hits.get(request.path, 0) + 1

    async def _feed(self, request: web.Request) -> web.Response:
        self._count(request)
        locale = request.match_info["locale"]
        if locale in self.broken:
            return web.Response(text="<html><body>Maintenance <b>soon", content_type="text/xml")
        if locale not in self.feeds:
            raise web.HTTPNotFound()
        start = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
        items = []
        articles = self.feeds[locale]
        for number, article in enumerate(articles):
            moment = start + timedelta(hours=len(articles) - number)
            items.append(
                "<item>"
                f"<title>{escape(article.title)}</title>"
                f"<link>{self.base_url}/a/{article.slug}.html</link>"
                f'<guid isPermaLink="false">{escape(article.guid or article.slug)}</guid>'
                f"<pubDate>{format_datetime(moment)}</pubDate>"
                f"<description>{escape(article.summary)}</description>"
                "</item>"
            )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Coalition ({locale})</title><link>{self.base_url}/</link>"
            f"<description>News</description>{''.join(items)}</channel></rss>"
        )
        return web.Response(text=body, content_type="application/rss+xml")

    def _find(self, slug: str) -> SiteArticle | None:
        for articles in self.feeds.values():
            for article in articles:
                if article.slug == slug:
                    return article
        return None

    async def _page(self, request: web.Request) -> web.Response:
        self._count(request)
        slug = request.match_info["slug"]
        if slug in self.slow:
            await asyncio.sleep(self.slow[slug])
        if slug in self.down:
            raise web.HTTPServiceUnavailable()
        article = self._find(slug)
        if article is None:
            raise web.HTTPNotFound()
        images = "".join(f'<img src="{src}" alt="">' for src in article.images)
        page = (
            "<!doctype html><html><head><meta charset='utf-8'>"
            f"<title>{escape(article.title)}</title>"
            "<script>window.track = function () { document.title = '<b>'; };</script>"
            "<style>p { color: red }</style></head><body>"
            "<nav><a href='/'>Home</a> | <a href='/about'>About</a> | <a href='/donate'>Donate</a>"
            "</nav><article>"
            f"<h1>{escape(article.title)}</h1>{images}{article.body_html}"
            "</article><footer>© Coalition against Torture. All rights reserved.</footer>"
            "</body></html>"
        )
        return web.Response(text=page, content_type="text/html")

    async def _image(self, request: web.Request) -> web.Response:
        self._count(request)
        return web.Response(body=b"\x89PNG\r\n\x1a\n", content_type="image/png")
