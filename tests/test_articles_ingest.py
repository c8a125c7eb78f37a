"""The feed job against a local website: new items taken once (also across a restart), nothing
lost when a page is down, a clear warning for a failing feed, announcements exactly once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.articles.service import MAX_PAGE_ATTEMPTS
from bot.telegram_html import parse_html, visible_length
from devtools.fake_telegram import FakeTelegram
from devtools.feed_site import FeedSite, SiteArticle
from tests.articles_helpers import (
    add_channels,
    announced,
    article,
    channel_posts,
    start_services,
    stop_services,
)


@pytest.fixture
async def site() -> AsyncIterator[FeedSite]:
    server = FeedSite()
    server.add("ru", article("ru-old-1", "Old Russian article one"))
    server.add("ru", article("ru-old-2", "Old Russian article two"))
    server.add("en", article("en-old-1", "Old English article"))
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def test_backlog_is_stored_unannounced_and_a_new_item_is_announced_once(
    fake: FakeTelegram, tmp_path: Path, site: FeedSite
) -> None:
    add_channels(fake)
    services, bot = await start_services(fake, tmp_path, site)
    try:
        first = await services.articles.poll()
        assert first.new == 3 and first.stored == 3 and first.announced == 0
        assert await services.articles.store.count("ready") == 3
        site.add("ru", article("ru-new", "Torture case in Vahdat reached the court"))
        # The same GUID listed twice (feeds do that after an edit): still one article.
        site.feeds["ru"].insert(1, SiteArticle("ru-new", "Edited title", "<p>x</p>", guid="ru-new"))
        second = await services.articles.poll()
        assert second.new == 1 and second.announced == 1
        await announced(services)
        third = await services.articles.poll()
        assert third.new == 0 and third.announced == 0
        await announced(services)
    finally:
        await stop_services(services, bot)
    posts = channel_posts(fake, "ru")
    assert len(posts) == 1
    post = posts[0]
    assert "Torture case in Vahdat reached the court" in post.text
    assert "The monitors recorded case 1" in post.text  # the teaser: whole sentences
    assert post.text.rstrip().endswith(".")
    buttons = [b for row in post.reply_markup for b in row]
    assert buttons[0]["text"] == "📖 Читать в боте"
    assert buttons[0]["url"].startswith("https://t.me/") and "?start=art_" in buttons[0]["url"]
    assert buttons[1]["url"].startswith("https://t.me/share/url?url=")
    assert channel_posts(fake, "en") == [] and channel_posts(fake, "tg") == []
    # A restart: a new process on the same database announces nothing again.
    services, bot = await start_services(fake, tmp_path, site)
    try:
        again = await services.articles.poll()
        assert again.new == 0 and again.announced == 0
        assert len(services.articles.index) == 4  # the index is rebuilt from the database
    finally:
        await stop_services(services, bot)
    assert len(channel_posts(fake, "ru")) == 1


async def test_a_claimed_but_not_enqueued_announcement_goes_out_once_after_a_crash(
    fake: FakeTelegram, tmp_path: Path, site: FeedSite
) -> None:
    add_channels(fake)
    services, bot = await start_services(fake, tmp_path, site)
    try:
        await services.articles.poll()
        site.add("en", article("en-new", "Report on prisons"))
        original = services.articles.delivery.enqueue
        calls = 0

        async def crash(**kwargs):
            nonlocal calls
            calls += 1
            raise RuntimeError("killed between the ledger row and the delivery")

        services.articles.delivery.enqueue = crash  # type: ignore[method-assign]
        with pytest.raises(RuntimeError):
            await services.articles.poll()
        services.articles.delivery.enqueue = original  # type: ignore[method-assign]
        assert calls == 1
        row = await services.db.fetchone("SELECT status FROM article_announcements")
        assert row[0] == "claimed"
        assert await services.articles.announce() == 1
        assert await services.articles.announce() == 0
        await announced(services)
    finally:
        await stop_services(services, bot)
    assert [p.text.splitlines()[0] for p in channel_posts(fake, "en")] == ["Report on prisons"]


async def test_a_page_that_is_down_is_retried_and_never_lost(
    fake: FakeTelegram, tmp_path: Path, site: FeedSite, caplog: pytest.LogCaptureFixture
) -> None:
    add_channels(fake)
    services, bot = await start_services(fake, tmp_path, site)
    try:
        await services.articles.poll()
        site.add("ru", article("ru-down", "Article whose page is down"))
        site.down.add("ru-down")
        with caplog.at_level(logging.WARNING):
            result = await services.articles.poll()
        assert result.new == 1 and result.stored == 0 and result.announced == 0
        assert await services.articles.store.count("pending") == 1
        assert "could not be fetched (HTTP 503), attempt 1 of 3" in caplog.text
        site.down.discard("ru-down")
        result = await services.articles.poll()
        assert result.stored == 1 and result.announced == 1
        await announced(services)
        # A page down for good: after the attempts, the feed's summary is stored and announced.
        site.add("ru", article("ru-gone", "Article whose page never comes back"))
        site.down.add("ru-gone")
        for _attempt in range(MAX_PAGE_ATTEMPTS):
            await services.articles.poll()
        assert await services.articles.store.count("pending") == 0
        await announced(services)
        stored = await services.db.fetchone(
            "SELECT id FROM articles WHERE guid = 'ru-gone' AND status = 'ready'"
        )
        gone = await services.articles.get(int(stored[0]))
        assert gone is not None and gone.pages == ["Article whose page never comes back."]
    finally:
        await stop_services(services, bot)
    assert len(channel_posts(fake, "ru")) == 2


@pytest.mark.parametrize("fault", ["broken", "unreachable"])
async def test_a_failing_feed_is_one_clear_warning_without_secrets_and_others_go_on(
    fake: FakeTelegram,
    tmp_path: Path,
    site: FeedSite,
    caplog: pytest.LogCaptureFixture,
    fault: str,
) -> None:
    if fault == "broken":
        site.broken.add("ru")
        ru_url = site.feed_url("ru", "key=SECRET123")
    else:
        ru_url = "http://127.0.0.1:9/feed/ru.xml?key=SECRET123"  # nothing listens on port 9
    feeds = f"ru={ru_url},en={site.feed_url('en')}"
    services, bot = await start_services(fake, tmp_path, site, feed_urls=feeds)
    try:
        with caplog.at_level(logging.WARNING):
            result = await services.articles.poll()
    finally:
        await stop_services(services, bot)
    assert result.failed_feeds == 1 and result.stored == 1  # the English feed was read
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, caplog.text
    line = warnings[0].getMessage()
    assert "the ru feed" in line and "/feed/ru.xml" in line and "next poll" in line
    assert "SECRET123" not in caplog.text and "key=" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_huge_article_is_paged_within_limits_at_sentence_ends(
    fake: FakeTelegram, tmp_path: Path, site: FeedSite
) -> None:
    site.add("en", article("en-huge", "A very long report", paragraphs=150))
    services, bot = await start_services(fake, tmp_path, site)
    try:
        await services.articles.poll()
        row = await services.db.fetchone("SELECT id FROM articles WHERE guid = 'en-huge'")
        stored = await services.articles.get(int(row[0]))
    finally:
        await stop_services(services, bot)
    assert stored is not None
    text = "".join(parse_html(page)[0] for page in stored.pages)
    assert len(text) > 20_000 and len(stored.pages) >= 6
    for page in stored.pages:
        assert visible_length(page) <= 3600
        assert parse_html(page)[0].rstrip().endswith("."), page[-80:]


async def test_html_telegram_rejects_is_cleaned(
    fake: FakeTelegram, tmp_path: Path, site: FeedSite
) -> None:
    body = (
        "<p>Intro of the <b>bold <i>and italic <u>nested</u></i></b> kind, long enough to be an"
        " article paragraph for the extractor to keep it.</p>"
        "<p><span style='color:red'>Coloured</span> <font face='x'>font</font> <marquee>moving"
        "</marquee> text &nbsp; with &copy; entities and a <a href='javascript:alert(1)'>bad"
        " link</a> and a <a href='/a/other.html'>good link</a>.</p>"
        "<script>alert('x')</script><table><tr><td>cell</td></tr></table>"
        "<p>Closing paragraph <3 with a stray < sign & an ampersand, still long enough.</p>"
    )
    site.add("en", SiteArticle("en-bad-html", "Rejected HTML", body, summary="S."))
    services, bot = await start_services(fake, tmp_path, site)
    try:
        await services.articles.poll()
        row = await services.db.fetchone("SELECT id FROM articles WHERE guid = 'en-bad-html'")
        stored = await services.articles.get(int(row[0]))
    finally:
        await stop_services(services, bot)
    assert stored is not None
    html = "".join(stored.pages)
    for page in stored.pages:
        parse_html(page)  # Telegram accepts it
    plain = parse_html(html)[0]
    assert "alert" not in plain and "javascript" not in html and "<span" not in html
    assert "Intro of the bold and italic nested kind" in plain
    assert f'href="{site.base_url}/a/other.html"' in html
    assert "Closing paragraph <3 with a stray < sign & an ampersand" in plain


async def test_a_restart_in_the_middle_of_a_poll_loses_nothing_and_announces_once(
    fake: FakeTelegram, tmp_path: Path, site: FeedSite
) -> None:
    add_channels(fake)
    services, bot = await start_services(fake, tmp_path, site)
    try:
        await services.articles.poll()
        site.add("ru", article("ru-mid", "Article read while the bot stops"))
        site.slow["ru-mid"] = 5.0
        polling = asyncio.create_task(services.articles.poll())
        await fake.wait_for(lambda: site.hits.get("/a/ru-mid.html"), 5)
        polling.cancel()  # the bot stops while the page is being fetched
        with pytest.raises(asyncio.CancelledError):
            await polling
        assert await services.articles.store.count("pending") == 1
    finally:
        await stop_services(services, bot)
    site.slow.clear()
    services, bot = await start_services(fake, tmp_path, site)
    try:
        result = await services.articles.poll()
        assert result.new == 0 and result.stored == 1 and result.announced == 1
        await announced(services)
        assert (await services.articles.poll()).announced == 0
    finally:
        await stop_services(services, bot)
    titles = [p.text.splitlines()[0] for p in channel_posts(fake, "ru")]
    assert titles == ["Article read while the bot stops"]
