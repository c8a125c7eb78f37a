"""A local website for the article tests: a few articles per language, and a helper that runs
the bot's services (no dispatcher) against it and the fake Bot API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.app import App, build_bot, create_app
from devtools.fake_telegram import FakeTelegram
from devtools.feed_site import FeedSite, SiteArticle
from tests.conftest import make_settings, quiet_clock

CHANNEL_IDS = {"tg": -1002000000010, "ru": -1002000000011, "en": -1002000000012}
CHANNELS = "tg:@ntj_tg,ru:@ntj_ru,en:@ntj_en"


def paragraph(topic: str, number: int) -> str:
    return (
        f"<p>The monitors recorded case {number} about {topic} in Dushanbe. "
        f"The lawyer of the Coalition met the family on day {number}. "
        "Nobody has been held responsible so far.</p>"
    )


def article(slug: str, title: str, paragraphs: int = 3, **kwargs: Any) -> SiteArticle:
    body = "".join(paragraph(title.lower(), n) for n in range(1, paragraphs + 1))
    return SiteArticle(slug=slug, title=title, body_html=body, summary=f"{title}.", **kwargs)


def add_channels(fake: FakeTelegram) -> None:
    for locale, chat_id in CHANNEL_IDS.items():
        fake.add_channel(chat_id, username=f"ntj_{locale}")


def channel_posts(fake: FakeTelegram, locale: str) -> list[Any]:
    return fake.bot_messages(CHANNEL_IDS[locale])


async def start_services(
    fake: FakeTelegram, tmp_path: Path, site: FeedSite, **overrides: Any
) -> tuple[App, Any]:
    values: dict[str, Any] = {"channels": CHANNELS, "feed_urls": site.feed_urls()}
    values.update(overrides)
    settings = make_settings(tmp_path, fake.base_url, **values)
    services = await create_app(settings, clock=quiet_clock())
    bot = build_bot(settings)
    await services.delivery.start(bot)
    return services, bot


async def stop_services(services: App, bot: Any) -> None:
    await services.delivery.stop()
    await services.close()
    await bot.session.close()


async def announced(services: App) -> None:
    """Wait until every enqueued announcement was delivered."""
    rows = await services.db.fetchall(
        "SELECT delivery_id FROM article_announcements WHERE status = 'enqueued'"
    )
    for row in rows:
        await services.delivery.wait_finished(int(row[0]), timeout=20)
