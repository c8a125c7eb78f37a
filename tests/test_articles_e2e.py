"""The article library through the fake Bot API: the menu, the list, reading pages, photos, the
deep link, search hits after the guide's answers, stale buttons; the bot answers meanwhile."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.telegram_html import parse_html, utf16_len
from devtools.fake_telegram import FakeTelegram
from devtools.feed_site import FeedSite, SiteArticle
from tests.articles_helpers import article
from tests.conftest import RunningBot, start_bot

LANG_BUTTON = {"tg": "Тоҷикӣ", "ru": "Русский", "en": "English"}
ARTICLES_BUTTON = {"tg": "📰 Мақолаҳо", "ru": "📰 Статьи", "en": "📰 Articles"}
NEXT = {"tg": "Саҳифаи навбатӣ", "ru": "Следующая страница", "en": "Next page"}


@pytest.fixture
async def site() -> AsyncIterator[FeedSite]:
    server = FeedSite()
    server.add("tg", article("tg-1", "Шиканҷа дар боздоштгоҳ"))
    server.add("ru", article("ru-1", "Пытки в изоляторе: новое дело"))
    for number in range(1, 9):
        server.add("en", article(f"en-{number}", f"English report number {number}"))
    server.add(
        "en",
        article(
            "en-long",
            "Long report on detention monitoring",
            paragraphs=60,
            images=("/img/1.png", "/img/2.png"),
        ),
    )
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def bot(fake: FakeTelegram, tmp_path: Path, site: FeedSite) -> AsyncIterator[RunningBot]:
    harness = await start_bot(fake, tmp_path, feed_urls=site.feed_urls(), feed_poll_minutes=600)
    try:
        await harness.services.articles.poll()
        yield harness
    finally:
        await harness.stop()


async def start_in(bot: RunningBot, user: int, locale: str) -> None:
    await bot.say(user, "/start", language_code="en")
    await bot.tap(user, LANG_BUTTON[locale])


def rest(bot: RunningBot) -> None:
    bot.fake.advance(5)


@pytest.mark.parametrize("locale", ["tg", "ru", "en"])
async def test_the_menu_lists_the_articles_of_the_readers_language(
    bot: RunningBot, locale: str
) -> None:
    user = 5100 + ord(locale[0])
    await start_in(bot, user, locale)
    assert ARTICLES_BUTTON[locale] in bot.buttons(user)
    shown = await bot.tap(user, ARTICLES_BUTTON[locale])
    parse_html(shown.html)
    titles = [b for b in bot.buttons(user) if b.startswith("📰 ") and b != ARTICLES_BUTTON[locale]]
    if locale == "tg":
        assert "📰 Шиканҷа дар боздоштгоҳ" in titles
    elif locale == "ru":
        assert "📰 Пытки в изоляторе: новое дело" in titles
    else:
        assert titles[0] == "📰 Long report on detention monitoring"  # the newest first
        assert len([t for t in titles if "report" in t]) == 6  # one page of the list
        rest(bot)
        older = await bot.tap(user, "▶️")
        assert older.message_id == shown.message_id
        assert "📰 English report number 1" in bot.buttons(user)


async def test_reading_pages_photos_and_share(bot: RunningBot, site: FeedSite) -> None:
    user = 5200
    await start_in(bot, user, "en")
    await bot.tap(user, "📰 Articles")
    rest(bot)
    first = await bot.tap(user, "Long report on detention")
    assert first.text.startswith("Long report on detention monitoring")
    assert "Page 1 of" in first.text
    total = int(first.text.rsplit("Page 1 of ", 1)[1].split()[0])
    assert total >= 2
    seen = [first.text]
    for _page in range(total - 1):
        rest(bot)
        shown = await bot.tap(user, NEXT["en"])
        assert utf16_len(shown.text) <= 4096
        seen.append(shown.text)
    assert f"Page {total} of {total}" in seen[-1]
    for text in seen:
        body = text.split("\n\n", 1)[1].rsplit("\n\n", 1)[0]
        assert body.rstrip().endswith("."), body[-60:]  # never cut mid-sentence
    message = [m for m in bot.fake.chat(user).messages if m.from_bot][-1]
    urls = {b["text"]: b.get("url") for row in message.reply_markup for b in row}
    assert urls["🌐 On the website"] == f"{site.base_url}/a/en-long.html"
    assert urls["📤 Share"].startswith("https://t.me/share/url?url=")
    assert "start%3Dart_" in urls["📤 Share"]
    rest(bot)
    photo = await bot.tap(user, "🖼 Photos (2)")
    assert photo.caption == "Long report on detention monitoring (1/2)"
    await bot.settle()
    photos = [m for m in bot.fake.chat(user).messages if m.from_bot and m.caption]
    assert len(photos) == 2
    assert [c for c, _p in bot.fake.calls].count("sendPhoto") == 2


async def test_deep_link_opens_the_article_and_a_stale_one_the_menu(bot: RunningBot) -> None:
    user = 5300
    await start_in(bot, user, "ru")
    row = await bot.services.db.fetchone("SELECT id FROM articles WHERE guid = 'ru-1'")
    shown = await bot.say(user, f"/start art_{row[0]}")
    assert shown.text.startswith("Пытки в изоляторе: новое дело")
    assert "The monitors recorded case 1" in shown.text
    stale = await bot.say(user, "/start art_999999")
    assert "📰 Статьи" in [b["text"] for r in stale.reply_markup for b in r]
    junk = await bot.say(user, "/start art_1_x'; DROP")
    assert junk.reply_markup is not None


async def test_forged_photo_buttons_get_the_out_of_date_answer(bot: RunningBot) -> None:
    user = 5400
    await start_in(bot, user, "en")
    await bot.settle()
    message = [m for m in bot.fake.chat(user).messages if m.from_bot][-1]
    before = len(bot.fake.calls)
    for forged in ("ar1:p:999999", "ar1:p:-1", "ar1:x:1", "ar0:p:1"):
        await bot.fake.press(user, message.message_id, forged, force=True)
        await bot.settle()
    answers = [p for c, p in bot.fake.calls[before:] if c == "answerCallbackQuery"]
    assert len(answers) == 4  # every forged tap is answered, none is left spinning
    assert "sendPhoto" not in [c for c, _p in bot.fake.calls]


async def test_search_shows_article_hits_after_the_guides_answers(bot: RunningBot) -> None:
    user = 5500
    await start_in(bot, user, "en")
    shown = await bot.say(user, "detention monitoring report")
    buttons = [b["text"] for row in shown.reply_markup for b in row]
    assert "📰 Long report on detention monitoring" in buttons
    assert "Articles of the Coalition on this are below" in shown.text
    article_at = buttons.index("📰 Long report on detention monitoring")
    assert all(not b.startswith("📰") for b in buttons[:article_at])  # guide answers first
    rest(bot)
    opened = await bot.tap(user, "📰 Long report on detention monitoring")
    assert opened.text.startswith("Long report on detention monitoring")


async def test_the_bot_keeps_answering_while_a_feed_is_slow(
    bot: RunningBot, site: FeedSite, caplog: pytest.LogCaptureFixture
) -> None:
    site.add("en", article("en-slow", "A page that takes its time"))
    site.slow["en-slow"] = 3.0
    user = 5600
    await start_in(bot, user, "en")
    with caplog.at_level(logging.WARNING):
        polling = asyncio.create_task(bot.services.articles.poll())
        await asyncio.sleep(0.3)
        started = asyncio.get_running_loop().time()
        answer = await bot.say(user, "/help")
        assert answer.text and asyncio.get_running_loop().time() - started < 2.0
        assert not polling.done()
        result = await polling
    assert result.stored == 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_page_with_only_a_broken_body_still_reads(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    site = FeedSite()
    site.add("en", SiteArticle("en-empty", "Only a title & <nothing> else", "", summary=""))
    await site.start()
    harness = await start_bot(fake, tmp_path, feed_urls=site.feed_urls())
    try:
        await harness.services.articles.poll()
        user = 5700
        await start_in(harness, user, "en")
        await harness.tap(user, "📰 Articles")
        harness.fake.advance(5)
        shown = await harness.tap(user, "Only a title")
        assert "Only a title & <nothing> else" in shown.text
    finally:
        await harness.stop()
        await site.stop()
