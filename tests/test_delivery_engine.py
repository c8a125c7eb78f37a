"""Delivery engine end to end through the fake Bot API: limits, 429/502/403, idempotency, cancel."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import App, build_bot, create_app
from bot.delivery import Audience, DeliveryEngine, OutgoingMessage
from devtools.fake_telegram import FakeTelegram, RateLimits
from tests.conftest import TOKEN, make_settings, quiet_clock

# Time-scaled: Telegram's limits run 10 times faster in the fake (30 messages per 0.1 s) and the
# engine runs at 250/s.
SCALE = 10
LOCALES = ("tg", "ru", "en")


async def add_users(services: App, n: int, *, start: int = 10_000, subscribed=True) -> list[int]:
    ids = list(range(start, start + n))
    async with services.db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO users (user_id, locale, subscribed, first_seen) VALUES (?, ?, ?, ?)",
            [(uid, LOCALES[uid % 3], int(subscribed), "2025-01-01") for uid in ids],
        )
    return ids


def bot_texts(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [m.text or "" for m in fake.bot_messages(chat_id)]


@pytest.fixture
async def scaled_fake():
    limits = RateLimits(time_scale=SCALE)  # 30 per tenth of a second
    async with FakeTelegram(token=TOKEN, rate_limits=limits) as server:
        yield server


@pytest.fixture
async def env(scaled_fake: FakeTelegram, tmp_path: Path):
    settings = make_settings(
        tmp_path, scaled_fake.base_url, channels="ru:@coalition_ru,en:@coalition_en"
    )
    services = await create_app(settings, clock=quiet_clock())
    bot = build_bot(settings)
    engine = DeliveryEngine(
        services.db, services.users, settings, services.now, rate=25 * SCALE, backoff_base=0.05
    )
    services.delivery = engine
    await engine.start(bot)
    yield services, engine, scaled_fake
    await engine.stop()
    await bot.session.close()
    await services.db.close()


VERSIONS = {
    "tg": OutgoingMessage(text="<b>Хабар</b> барои шумо"),
    "ru": OutgoingMessage(text="<b>Новость</b> для вас"),
    "en": OutgoingMessage(text="<b>News</b> for you"),
}


async def test_thousand_subscribers_with_blocked_429_and_502(env) -> None:
    services, engine, fake = env
    ids = await add_users(services, 1000)
    blocked = set(ids[::20])  # 5 %
    for uid in blocked:
        fake.block_user(uid)
    fake.inject("sendMessage", 429, count=2, retry_after=1)
    fake.inject("sendMessage", 502, count=5)
    fake.set_faults("error502", 0.02, methods=["sendMessage"])

    delivery_id = await engine.enqueue(
        kind="broadcast", dedupe_key="t1", versions=VERSIONS, audience=Audience(subscribers=True)
    )
    progress = await engine.wait_finished(delivery_id, timeout=40)

    assert progress.state == "done"
    assert (progress.sent, progress.blocked, progress.failed, progress.left) == (950, 50, 0, 0)
    # A send already on its way when a 429 is answered arrives inside the pause (as on the real
    # server); the engine starts none once it knows. On a loaded machine the round trip grows and
    # so may the sends in flight (bounded by the gate): at most those, per 429 answered.
    in_flight_besides = engine.in_flight.peak - 1
    assert fake.stats.sent_during_retry_after <= in_flight_besides * fake.stats.rate_limited
    assert fake.stats.rate_limited >= 2 and engine.stats_429 == fake.stats.rate_limited
    for uid in ids:
        texts = bot_texts(fake, uid)
        if uid in blocked:
            assert texts == []
        else:
            assert len(texts) == 1, (uid, texts)
            assert (
                texts[0]
                == {"tg": "Хабар барои шумо", "ru": "Новость для вас", "en": "News for you"}[
                    LOCALES[uid % 3]
                ]
            )
    marked = await services.db.fetchone("SELECT COUNT(*) FROM users WHERE blocked = 1")
    assert marked[0] == 50
    assert (await services.users.get(ids[0])).blocked


async def test_enqueue_is_idempotent_and_audience_filters(env) -> None:
    services, engine, fake = env
    ids = await add_users(services, 30)
    await add_users(services, 5, start=50_000, subscribed=False)
    fake.add_channel(-1001, username="coalition_ru")
    fake.add_channel(-1002, username="coalition_en")
    await services.db.execute(
        "INSERT INTO campaign_optouts (user_id, campaign_id) VALUES (?, 'june26')", (ids[1],)
    )
    audience = Audience(
        subscribers=True, locales=("ru", "en"), channels=("ru",), campaign_id="june26"
    )
    first = await engine.enqueue(
        kind="campaign", dedupe_key="june26:1", versions=VERSIONS, audience=audience
    )
    again = await engine.enqueue(
        kind="campaign", dedupe_key="june26:1", versions=VERSIONS, audience=audience
    )
    assert first == again
    progress = await engine.wait_finished(first, timeout=10)
    expected = {u for u in ids if LOCALES[u % 3] in ("ru", "en")} - {ids[1]}
    got = {u for u in ids if bot_texts(fake, u)}
    assert got == expected and progress.sent == len(expected) + 1
    assert bot_texts(fake, -1001) == ["Новость для вас"] and bot_texts(fake, -1002) == []
    assert not any(bot_texts(fake, u) for u in range(50_000, 50_005))
    count = await services.db.fetchone("SELECT COUNT(*) FROM deliveries")
    assert count[0] == 1


async def test_scheduled_delivery_waits_and_cancel_stops(env) -> None:
    services, engine, fake = env
    ids = await add_users(services, 20)
    later = services.now() + timedelta(hours=1)
    scheduled = await engine.enqueue(
        kind="broadcast",
        dedupe_key="later",
        versions=VERSIONS,
        audience=Audience(subscribers=True),
        not_before=later,
    )
    await engine.cancel(scheduled)
    progress = await engine.progress(scheduled)
    assert progress.state == "cancelled"
    assert not any(bot_texts(fake, u) for u in ids)

    due = await engine.enqueue(
        kind="broadcast",
        dedupe_key="now",
        versions=VERSIONS,
        audience=Audience(all_users=True),
        not_before=services.now() - timedelta(seconds=1),
    )
    progress = await engine.wait_finished(due, timeout=10)
    assert progress.sent == 20


async def test_copy_of_media_and_album_with_caption(env) -> None:
    services, engine, fake = env
    ids = await add_users(services, 3)
    admin = 777
    photo = await fake.send_photo(admin, b"\x89PNG fake", caption="old")
    doc1 = await fake.send_document(admin, b"a", file_name="a.pdf")
    doc2 = await fake.send_document(admin, b"b", file_name="b.pdf")
    single = await engine.enqueue(
        kind="broadcast",
        dedupe_key="photo",
        versions={
            "ru": OutgoingMessage(
                text="<i>new caption</i>",
                copy_from_chat=admin,
                copy_message_ids=(photo["message_id"],),
            )
        },
        audience=Audience(subscribers=True),
    )
    album = await engine.enqueue(
        kind="broadcast",
        dedupe_key="album",
        versions={
            "ru": OutgoingMessage(
                copy_from_chat=admin, copy_message_ids=(doc1["message_id"], doc2["message_id"])
            )
        },
        audience=Audience(subscribers=True),
    )
    await engine.wait_finished(single, timeout=10)
    await engine.wait_finished(album, timeout=10)
    for uid in ids:
        shown = fake.bot_messages(uid)
        assert [m.media for m in shown] == ["photo", "document", "document"]
        assert shown[0].text == "new caption"
    assert not any(name == "forwardMessage" for name, _ in fake.calls)
    assert Counter(name for name, _ in fake.calls)["copyMessages"] == 3
