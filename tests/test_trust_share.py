"""Sharing that spreads: a campaign post (channel and subscriber) carries "📤 Share" made on
LINK_DOMAIN, in the post's language, whose link opens the daily posts; the share button of
every answer follows LINK_DOMAIN too."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

from bot.app import build_bot, create_app
from bot.delivery.models import OutgoingMessage, versions_from_json, versions_to_json
from bot.telegram_html import teaser
from devtools.fake_telegram import FakeTelegram, RateLimits
from jobs.campaigns import run_campaigns
from tests.conftest import RunningBot, make_settings, quiet_clock, start_bot

TZ = ZoneInfo("Asia/Dushanbe")
SHARE = {"tg": "Фиристед", "ru": "Поделиться", "en": "Share"}
CHANNEL_IDS = {"tg": -1002001, "ru": -1002002, "en": -1002003}


def test_buttons_survive_the_delivery_rows_json() -> None:
    message = OutgoingMessage(
        text="<b>x</b>", url_buttons=((("📤 Share", "https://telegram.dog/s"),),)
    )
    again = versions_from_json(versions_to_json({"ru": message}))["ru"]
    assert again == message and again.reply_markup is not None
    assert OutgoingMessage(text="x").reply_markup is None


def test_a_teaser_is_plain_short_and_cut_between_words() -> None:
    text = teaser("<b>Article 5.</b> No one shall be subjected to torture " * 20, 60)
    assert len(text) <= 60 and text.endswith("…") and "<" not in text
    assert teaser("<i>short</i> &amp; sweet", 60) == "short & sweet"


async def test_a_campaign_post_carries_a_share_button_on_link_domain(tmp_path: Path) -> None:
    fake = FakeTelegram(
        token="123456:TEST-token_for-the-fake-server", rate_limits=RateLimits(enabled=False)
    )
    await fake.start()
    for locale, chat_id in CHANNEL_IDS.items():
        fake.add_channel(chat_id, username=f"share_{locale}")
    channels = ",".join(f"{loc}:@share_{loc}" for loc in CHANNEL_IDS)
    settings = make_settings(tmp_path, fake.base_url, channels=channels, link_domain="telegram.dog")
    services = await create_app(settings, clock=quiet_clock())
    services.links.username = fake.bot_username  # start-up learns it from getMe
    bot = build_bot(settings)
    try:
        for user, locale in ((301, "tg"), (302, "ru"), (303, "en")):
            await services.users.get_or_create(user, datetime(2026, 11, 1).date())
            await services.users.set_locale(user, locale)
            await services.users.set_subscribed(user, True)
        await services.delivery.start(bot)
        enqueued = await run_campaigns(
            services.campaigns, datetime(2026, 11, 15, 10, 0, 5, tzinfo=TZ)
        )
        assert enqueued
        await fake.wait_for(
            lambda: all(fake.bot_messages(c) for c in (*CHANNEL_IDS.values(), 301, 302, 303)), 20
        )
        for locale, chat in (*CHANNEL_IDS.items(), ("tg", 301), ("ru", 302), ("en", 303)):
            (post,) = fake.bot_messages(chat)
            (button,) = post.buttons
            assert SHARE[locale] in button["text"], (chat, button)
            url = urlparse(button["url"])
            assert url.netloc == "telegram.dog" and url.path == "/share/url"
            query = parse_qs(url.query)
            assert query["url"] == [f"https://telegram.dog/{fake.bot_username}?start=daily"]
            assert query["text"][0] and query["text"][0][:15] in (post.text or "")
    finally:
        await services.delivery.stop()
        await services.close()
        await bot.session.close()
        await fake.stop()


async def test_the_answer_share_button_follows_link_domain(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    harness: RunningBot = await start_bot(fake, tmp_path, link_domain="telegram.me")
    try:
        await harness.say(6801, "/start", language_code="en")
        await harness.tap(6801, "English")
        fake.advance(5)
        shown = await harness.say(6801, "/start faq_torture_crime")
        share = next(b["url"] for b in shown.buttons if "url" in b)
        assert urlparse(share).netloc == "telegram.me"
        inner = parse_qs(urlparse(share).query)["url"][0]
        assert inner.startswith("https://telegram.me/")
    finally:
        await harness.stop()


def test_on_domain_moves_only_telegram_links() -> None:
    from bot.links import DeepLinks

    html = '<a href="https://t.me/notorturetj">t.me/notorturetj</a> at.me/x notorturetj.org/tj/'
    assert DeepLinks(domain="t.me").on_domain(html) == html
    moved = DeepLinks(domain="telegram.dog").on_domain(html)
    assert moved.count("telegram.dog/notorturetj") == 2
    assert "at.me/x" in moved and "notorturetj.org/tj/" in moved and "//t.me" not in moved


async def test_pages_answers_and_inline_texts_follow_link_domain(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    harness: RunningBot = await start_bot(
        fake, tmp_path, link_domain="telegram.dog", inline_mode=True
    )
    try:
        user = 6901
        await harness.say(user, "/start", language_code="en")
        await harness.tap(user, "English")
        for command in ("/help", "/about", "/start faq_cont_regions"):
            fake.advance(5)
            shown = await harness.say(user, command)
            assert "t.me/" not in (shown.html or ""), command
            assert "telegram.dog/notorturetj" in (shown.html or ""), command
        query_id = fake.send_inline_query(user, "", language_code="en")
        answer = await fake.wait_for(lambda: fake.inline_answer(query_id))
        text = answer["results"][0]["input_message_content"]["message_text"]
        assert "t.me/" not in text and "telegram.dog/notorturetj" in text
    finally:
        await harness.stop()
