"""Shared fixtures: settings for tests, and the real bot running against the fake Bot API server."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app import App, build_bot, build_dispatcher, create_app
from bot.clock import Clock, running_from
from bot.config import Settings, load_settings
from devtools.fake_telegram import FakeTelegram, RateLimits

TOKEN = "123456:TEST-token_for-the-fake-server"
ADMIN_ID = 777
TIMEZONE = "Asia/Dushanbe"
# The bot under test lives at this moment unless a test chooses another: mid-April, outside
# every campaign (UDHR 10 Nov-10 Dec, 20-26 June, the rights days), so no post interferes.
QUIET_MOMENT = datetime(2026, 4, 15, 12, 0, tzinfo=ZoneInfo(TIMEZONE))


def quiet_clock() -> Clock:
    """The bot's clock for tests that are not about dates: starts at QUIET_MOMENT, then runs."""
    return running_from(QUIET_MOMENT)


def make_settings(
    tmp_path: Path, base_url: str = "http://127.0.0.1:9", **overrides: Any
) -> Settings:
    values: dict[str, Any] = {
        "_env_file": None,
        "bot_token": TOKEN,
        "telegram_api_base": base_url,
        "database_path": tmp_path / "bot.sqlite3",
        "admin_ids": str(ADMIN_ID),
        "default_locale": "ru",
        "timezone": TIMEZONE,
    }
    values.update(overrides)
    return load_settings(**values)


@dataclass
class RunningBot:
    """The real dispatcher polling the fake server over HTTP, as in production."""

    fake: FakeTelegram
    services: App
    settings: Settings
    dp: Any
    bot: Any
    task: asyncio.Task | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    async def start(self) -> None:
        self.task = asyncio.create_task(
            self.dp.start_polling(
                self.bot,
                handle_signals=False,
                polling_timeout=1,
                allowed_updates=self.dp.resolve_used_update_types(),
            )
        )
        await self.fake.wait_for(lambda: any(m == "getUpdates" for m, _ in self.fake.calls), 5)

    async def stop(self) -> None:
        if self.task is not None and not self.task.done():
            with contextlib.suppress(RuntimeError):
                await self.dp.stop_polling()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self.task, 10)

    async def settle(self, timeout: float = 60) -> None:  # noqa: ASYNC109 - per wait, not overall
        """Wait until every queued update was fetched and fully handled (a handler may think
        for a while without talking to Telegram, so quiet on the wire alone is not enough)."""
        if self.dp is None:  # the bot runs in another process: only the wire can tell
            await self.fake.wait_idle(quiet=0.2, timeout=timeout)
            return
        tracker = self.dp["in_flight"]
        for _round in range(50):
            await self.fake.wait_idle(quiet=0.05, timeout=timeout)
            if tracker.count == 0:
                await self.fake.wait_idle(quiet=0.1, timeout=timeout)
                if tracker.count == 0:
                    return
            await tracker.drain(timeout)

    async def say(self, user_id: int, text: str, **kwargs: Any) -> dict:
        """The user sends a text once the bot is done with what came before; returns the bot's
        next message in that chat."""
        await self.settle()
        await self.fake.send_text(user_id, text, **kwargs)
        return await self.fake.next_bot_message(user_id, timeout=5)

    async def send_file(self, user_id: int, kind: str, data: bytes, **kwargs: Any) -> Any:
        """The user sends a photo, document, voice or video once the bot is done with what came
        before (like ``say``); returns the bot's next message in that chat."""
        await self.settle()
        await getattr(self.fake, f"send_{kind}")(user_id, data, **kwargs)
        return await self.fake.next_bot_message(user_id, timeout=5)

    async def tap(self, user_id: int, button_text: str, **kwargs: Any) -> Any:
        """Press the button with this text (substring) on the bot's latest message that has it."""
        await self.settle()
        for message in reversed(self.fake.chat(user_id).messages):
            for row in message.reply_markup or []:
                for button in row:
                    if button_text in button["text"] and "callback_data" in button:
                        await self.fake.press(user_id, message.message_id, button["callback_data"])
                        return await self.fake.next_bot_message(user_id, timeout=5)
        raise AssertionError(f"no button {button_text!r} in the chat")

    def last_text(self, user_id: int) -> str:
        bots = [m for m in self.fake.chat(user_id).messages if m.from_bot]
        return (bots[-1].text or bots[-1].caption or "") if bots else ""

    def buttons(self, user_id: int) -> list[str]:
        bots = [m for m in self.fake.chat(user_id).messages if m.from_bot and m.reply_markup]
        if not bots:
            return []
        return [b["text"] for row in bots[-1].reply_markup for b in row]


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram(token=TOKEN)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def unlimited_fake() -> AsyncIterator[FakeTelegram]:
    """The fake with Telegram's flood limits off, for tests about something else than flooding
    (privacy, state under load); flood behaviour has tests of its own."""
    server = FakeTelegram(token=TOKEN, rate_limits=RateLimits(enabled=False))
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def trustee() -> Any:
    """A trustee key pair for the report tests (tests.reports_helpers.Trustee)."""
    from tests.reports_helpers import new_trustee  # it imports this module

    return new_trustee()


@pytest.fixture
def bot_clock() -> Clock:
    """The clock of `running_bot`; a test module may override this fixture (tests/test_any_day.py
    runs the main flows again at moments when campaigns post)."""
    return quiet_clock()


@pytest.fixture
async def running_bot(
    fake: FakeTelegram, tmp_path: Path, bot_clock: Clock
) -> AsyncIterator[RunningBot]:
    harness = await start_bot(fake, tmp_path, clock=bot_clock)
    try:
        yield harness
    finally:
        await harness.stop()


async def start_bot(
    fake: FakeTelegram, tmp_path: Path, *, clock: Clock | None = None, **overrides: Any
) -> RunningBot:
    settings = make_settings(tmp_path, fake.base_url, **overrides)
    services = await create_app(settings, clock=clock or quiet_clock())
    harness = RunningBot(fake, services, settings, build_dispatcher(services), build_bot(settings))
    await harness.start()
    return harness


def fixed_clock(moment: datetime):
    return lambda: moment
