"""Faults on Telegram's side: 500, 502, hanging requests and reset connections.

The bot must keep polling through them, lose no update (every person who wrote gets an answer
once Telegram is back) and recover by itself. Client timeouts and the polling back-off are short
here so the test runs in seconds; production uses aiogram's defaults.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiogram.utils.backoff import BackoffConfig

from bot.app import build_bot, build_dispatcher, create_app
from devtools.fake_telegram import FakeTelegram, RateLimits
from tests.conftest import TOKEN, RunningBot, make_settings, quiet_clock

HOTLINE = "98 708 76 76"
EVERY_CALL = ("getUpdates", "sendMessage", "editMessageText", "answerCallbackQuery")
FAST_BACKOFF = BackoffConfig(min_delay=0.05, max_delay=0.3, factor=1.5, jitter=0.1)


@pytest.fixture
async def faulty_fake() -> AsyncIterator[FakeTelegram]:
    # A hang lasts longer than the bot's client timeout below, so the client gives up first.
    server = FakeTelegram(token=TOKEN, rate_limits=RateLimits(enabled=False), hang_seconds=4)
    await server.start()
    try:
        yield server
    finally:
        server.set_faults(None)
        await server.stop()


async def start_impatient_bot(fake: FakeTelegram, tmp_path: Path) -> RunningBot:
    settings = make_settings(tmp_path, fake.base_url)
    services = await create_app(settings, clock=quiet_clock())
    bot = build_bot(settings)
    bot.session.timeout = 1.0  # seconds: a hanging request fails fast
    dp = build_dispatcher(services)
    harness = RunningBot(fake, services, settings, dp, bot)
    harness.task = asyncio.create_task(
        dp.start_polling(
            bot,
            handle_signals=False,
            polling_timeout=1,
            backoff_config=FAST_BACKOFF,
            allowed_updates=dp.resolve_used_update_types(),
        )
    )
    await fake.wait_for(lambda: any(m == "getUpdates" for m, _ in fake.calls), 5)
    return harness


async def returning_users(harness: RunningBot, users: range) -> None:
    """People who chose English before, so /help answers with one screen."""
    for user in users:
        await harness.services.users.get_or_create(user, harness.services.now().date())
        await harness.services.users.set_locale(user, "en")


def answered(fake: FakeTelegram, users: range) -> list[int]:
    return [u for u in users if any(HOTLINE in (m.text or "") for m in fake.bot_messages(u))]


@pytest.mark.parametrize("mode", ["error500", "error502", "hang", "reset"])
async def test_polling_survives_random_faults_and_loses_no_update(
    faulty_fake: FakeTelegram, tmp_path: Path, mode: str
) -> None:
    fake = faulty_fake
    harness = await start_impatient_bot(fake, tmp_path)
    users = range(7000, 7012)
    try:
        await returning_users(harness, users)
        fake.set_faults(mode, probability=0.5, methods=["getUpdates"])
        for user in users:
            await fake.send_text(user, "/help")
            await asyncio.sleep(0.05)
        await fake.wait_for(lambda: fake.stats.injected >= 2, 20)
        await fake.wait_for(lambda: len(answered(fake, users)) == len(users), 30)
        fake.set_faults(None)
        assert len(answered(fake, users)) == len(users)
        assert all(len(fake.bot_messages(u)) == 1 for u in users), "each update handled once"
    finally:
        await harness.stop()


async def test_outage_then_recovery_answers_everyone(
    faulty_fake: FakeTelegram, tmp_path: Path
) -> None:
    fake = faulty_fake
    harness = await start_impatient_bot(fake, tmp_path)
    users = range(8000, 8020)
    try:
        await returning_users(harness, users)
        for phase, mode in enumerate(("error502", "reset", "hang", "error500")):
            fake.set_faults(mode, probability=1.0, methods=EVERY_CALL)  # Telegram is down
            if phase == 0:
                await asyncio.sleep(1.5)  # the long poll already under way ends empty
            for user in users[phase * 5 : phase * 5 + 5]:
                await fake.send_text(user, "/help")
            await asyncio.sleep(1.5)
        assert answered(fake, users) == []
        fake.set_faults(None)  # Telegram is back: the bot recovers on its own
        await fake.wait_for(lambda: len(answered(fake, users)) == len(users), 30)

        # A send that fails on Telegram's side (JSON 500, nginx's HTML 502, a reset, a hang)
        # is repeated and still reaches the person.
        await returning_users(harness, range(8100, 8101))
        for mode in ("error500", "error502", "reset", "hang"):
            fake.set_faults(mode, probability=1.0, methods=["sendMessage"])
            before = fake.stats.injected
            await fake.send_text(8100, "/help")
            await fake.wait_for(lambda: fake.stats.injected > before, 10)  # noqa: B023
            fake.set_faults(None)
            shown = await fake.next_bot_message(8100, timeout=15)
            assert HOTLINE in (shown.text or ""), mode
    finally:
        await harness.stop()
