"""Two processes polling with one token (e.g. a copy started on another server): the newcomer
stops with one line, the established bot keeps serving, and the newcomer posts nothing."""

from __future__ import annotations

import asyncio

import pytest

from bot.app import build_bot, build_dispatcher, create_app
from tests.processes import CHILD_START_S, spawn_bot

pytestmark = pytest.mark.timeout(120)


async def test_the_newcomer_stops_and_the_established_bot_keeps_serving(fake, tmp_path) -> None:
    first_dir, second_dir = tmp_path / "first", tmp_path / "second"
    first_dir.mkdir()
    second_dir.mkdir()
    first = await spawn_bot(fake.base_url, first_dir, poll_settle_seconds="0.5")
    try:
        await fake.wait_for(
            lambda: sum(m == "getUpdates" for m, _ in fake.calls) >= 2, CHILD_START_S
        )
        await asyncio.sleep(1.0)  # the first bot is established
        second = await spawn_bot(fake.base_url, second_dir, poll_settle_seconds="5")
        _out, err = await asyncio.wait_for(second.communicate(), 60)
        lines = [line for line in err.decode().splitlines() if line.strip()]
        assert second.returncode == 2, err.decode()[-2000:]
        assert lines[-1] == (
            "Configuration error: BOT_TOKEN: another process already receives this bot's"
            " updates (Telegram answered Conflict); stop it first: one bot process per token"
        )
        assert not [line for line in lines if "Conflict" in line and "aiogram" in line]
        assert "Traceback" not in err.decode()
        await fake.send_text(7001, "/start")
        assert "Choose your language" in (await fake.next_bot_message(7001, timeout=20)).text
    finally:
        first.kill()
        await first.wait()


async def test_nothing_is_scheduled_before_polling_is_established(fake, tmp_path) -> None:
    """The campaign scheduler (which posts) starts only once polling is this process's."""
    from tests.conftest import RunningBot, make_settings, quiet_clock

    settings = make_settings(tmp_path, fake.base_url)
    app = await create_app(settings, clock=quiet_clock())
    dp = build_dispatcher(app)
    established = asyncio.Event()
    dp["polling_established"] = established
    bot = RunningBot(fake, app, settings, dp, build_bot(settings))
    await bot.start()
    try:
        await bot.settle()
        assert "scheduler" not in dp.workflow_data
        established.set()
        await fake.wait_for(lambda: "scheduler" in dp.workflow_data, 5)
        assert dp["scheduler"].running
    finally:
        await bot.stop()
