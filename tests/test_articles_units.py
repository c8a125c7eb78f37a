"""The article library's parts: FEED_URLS, the Telegram HTML cleaner (also on generated HTML),
teasers, pages, the search index, announcement buttons, the worker's timeout."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.articles.extract import (
    PAGE_LIMIT,
    make_pages,
    parse_feed,
    teaser,
    to_telegram_html,
)
from bot.articles.index import ArticleIndex
from bot.config import ConfigError
from bot.delivery.models import OutgoingMessage, versions_from_json, versions_to_json
from bot.telegram_html import parse_html, visible_length
from devtools.fake_telegram import FakeTelegram
from devtools.feed_site import FeedSite
from handlers.articles.photos import caption
from tests.articles_helpers import article, start_services, stop_services
from tests.conftest import make_settings


def test_feed_urls_one_per_language_and_shown_without_query_or_password(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path,
        feed_urls="tg=https://notorturetj.org/tg/feed, ru=https://u:p@notorturetj.org/ru/feed?key=S3",
    )
    assert [f.locale for f in settings.feed_urls] == ["tg", "ru"]
    assert settings.feed_urls[1].shown == "https://notorturetj.org/ru/feed"
    assert make_settings(tmp_path).feed_urls == []


@pytest.mark.parametrize(
    "value",
    [
        "de=https://x.org/feed",
        "ru:https://x.org/feed",
        "ru=ftp://x.org/f",
        "ru=https://a/,ru=https://b/",
    ],
)
def test_bad_feed_urls_stop_start_up_with_one_line(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError) as error:
        make_settings(tmp_path, feed_urls=value)
    assert str(error.value).startswith("FEED_URLS is invalid")
    assert "\n" not in str(error.value)


def test_a_feed_that_is_not_xml_is_broken_and_an_atom_feed_reads() -> None:
    assert parse_feed(b"<html><body>Maintenance").broken
    assert parse_feed(b"").items == []
    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        b"<entry><id>urn:1</id><title>Atom &amp; co</title><link href='https://x.org/a'/>"
        b"<updated>2026-04-01T10:00:00Z</updated><summary>S.</summary></entry>"
        b"<entry><id>urn:2</id><title>No link</title></entry>"
        b"<entry><id>urn:3</id><title>Bad link</title><link href='javascript:x'/></entry></feed>"
    )
    feed = parse_feed(atom)
    assert [(i.guid, i.title, i.published) for i in feed.items] == [
        ("urn:1", "Atom & co", "2026-04-01T10:00:00+00:00")
    ]


def test_teaser_is_whole_sentences_or_nothing() -> None:
    text = "Short.\n" + "The first sentence is here. The second one too! " * 20
    picked = teaser(text)
    assert picked.startswith("The first sentence is here.") and picked.endswith(("!", "."))
    assert len(picked) <= 400
    assert teaser("word " * 200) == ""  # one endless sentence: no teaser, the title alone
    assert teaser("A sentence long enough to be a paragraph of its own. And a tail without") == (
        "A sentence long enough to be a paragraph of its own."
    )


def test_pages_of_a_long_text_stay_within_the_limit_and_end_at_sentences() -> None:
    paragraph = "<b>Bold start</b> of a sentence that goes on for a while. " * 8
    text = "\n\n".join([paragraph.strip()] * 80)
    pages = make_pages("Title", text)
    assert len(pages) > 5
    for page in pages:
        parse_html(page)
        assert visible_length(page) <= PAGE_LIMIT
        assert parse_html(page)[0].endswith(".")


html_text = st.text(alphabet=st.sampled_from(list("ab <>/&;\"'=#x1\n")), max_size=200)
tags = st.sampled_from(
    ["b", "i", "u", "s", "a", "p", "div", "span", "script", "style", "table", "td", "li",
     "h2", "blockquote", "img", "br", "font", "code", "pre", "x-custom", "svg"]
)  # fmt: skip


@st.composite
def messy_html(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        tag = draw(tags)
        attrs = draw(st.sampled_from(["", " href='/x'", ' href="javascript:1"', " src='/i.png'"]))
        parts.append(f"<{tag}{attrs}>{draw(html_text)}")
        if draw(st.booleans()):
            parts.append(f"</{draw(tags)}>")
    return "".join(parts)


@settings(max_examples=150, deadline=None)
@given(messy_html())
def test_any_html_becomes_html_telegram_accepts(fragment: str) -> None:
    text, images = to_telegram_html(fragment, "https://notorturetj.org/a/1")
    parse_html(text)  # never raises
    assert "<script" not in text and "javascript:" not in text
    assert all(url.startswith("https://notorturetj.org/") for url in images)


def test_index_finds_titles_first_prefers_the_readers_language_and_needs_coverage() -> None:
    index = ArticleIndex()
    index.add(1, "en", "Prison monitoring report\nThe monitors visited the prison in Khujand.")
    index.add(2, "ru", "Мониторинг тюрем\nМониторы посетили тюрьму. Prison monitoring.")
    index.add(3, "en", "Football\nNothing about the matter at all.")
    assert [h.article_id for h in index.search("prison monitoring", "en")][:2] == [1, 2]
    assert index.search("мониторинг тюрьмы", "ru")[0].article_id == 2
    assert index.search("prison weather forecast tomorrow", "en") == []
    assert index.search("a", "en") == [] and index.search("", "en") == []


def test_photo_captions_fit_telegrams_limit() -> None:
    assert caption("Title", 1, 3) == "Title (1/3)"
    long = caption("word " * 400, 2, 10)
    assert len(long) <= 1024 and long.endswith("… (2/10)")
    assert caption("<b>&", 1, 1) == "&lt;b&gt;&amp; (1/1)"


def test_url_buttons_survive_the_delivery_store() -> None:
    message = OutgoingMessage(text="t", url_buttons=((("📖", "https://t.me/b?start=art_1"),),))
    assert versions_from_json(versions_to_json({"ru": message}))["ru"] == message


async def test_an_extraction_that_hangs_is_killed_and_the_summary_stored(
    fake: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = FeedSite()
    site.add("en", article("en-hang", "A page the extractor chokes on"))
    await site.start()
    services, bot = await start_services(fake, tmp_path, site, channels="")
    try:
        services.articles.extract_timeout = 0.01  # the worker cannot even start in that time
        with caplog.at_level(logging.WARNING):
            result = await services.articles.poll()
        assert result.stored == 1
        row = await services.db.fetchone("SELECT id FROM articles WHERE guid = 'en-hang'")
        stored = await services.articles.get(int(row[0]))
        assert stored is not None and stored.pages == ["A page the extractor chokes on."]
        assert "could not be extracted (TimeoutError)" in caplog.text
        assert services.articles._worker is None  # killed, none left running
        services.articles.extract_timeout = 20
        site.add("en", article("en-next", "The next page extracts again"))
        result = await services.articles.poll()
        assert result.stored == 1
    finally:
        await stop_services(services, bot)
        await site.stop()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_the_job_polls_at_start_up_and_every_interval_and_survives_a_failure(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from bot.articles.service import PollResult
    from jobs.articles import add_jobs, poll_feeds

    class Failing:
        async def poll(self) -> PollResult:
            raise OSError("disk full at /secret/path")

    scheduler = AsyncIOScheduler()
    add_jobs(scheduler, Failing(), make_settings(tmp_path))  # type: ignore[arg-type]
    assert scheduler.get_jobs() == []  # no FEED_URLS: no job
    with_feeds = make_settings(tmp_path, feed_urls="en=https://x.org/feed", feed_poll_minutes=5)
    add_jobs(scheduler, Failing(), with_feeds)  # type: ignore[arg-type]
    assert {job.id for job in scheduler.get_jobs()} == {"articles-poll", "articles-first-poll"}
    with caplog.at_level(logging.WARNING):
        assert await poll_feeds(Failing()) == PollResult()  # type: ignore[arg-type]
    assert "the poll failed (OSError)" in caplog.text and "/secret" not in caplog.text


async def test_announcement_links_follow_link_domain(fake: FakeTelegram, tmp_path: Path) -> None:
    site = FeedSite()
    site.add("tg", article("tg-1", "Мақолаи нав"))
    await site.start()
    services, bot = await start_services(fake, tmp_path, site, link_domain="telegram.dog")
    try:
        await services.articles.poll()
        row = await services.db.fetchone("SELECT id FROM articles")
        stored = await services.articles.get(int(row[0]))
        assert stored is not None
        message = services.articles.announcement(stored)
    finally:
        await stop_services(services, bot)
        await site.stop()
    (read,), (share,) = message.url_buttons
    assert read == ("📖 Дар бот хонед", f"https://telegram.dog/notorturetj_bot?start=art_{row[0]}")
    assert share[0] == "📤 Фиристед"
    assert share[1].startswith("https://telegram.dog/share/url?url=https%3A%2F%2Ftelegram.dog%2F")
    assert message.text.startswith("<b>Мақолаи нав</b>")
