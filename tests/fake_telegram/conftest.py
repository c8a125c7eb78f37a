"""Fixtures for the fake Telegram's own tests: a started fake and a real aiogram Bot on it."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from devtools.fake_telegram import FakeTelegram, RateLimits


@pytest.fixture
async def fake():
    async with FakeTelegram(rate_limits=RateLimits(enabled=False)) as server:
        yield server


@pytest.fixture
async def limited_fake():
    async with FakeTelegram() as server:
        yield server


def make_bot(fake: FakeTelegram, token: str | None = None) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url))
    return Bot(
        token or fake.token, session=session, default=DefaultBotProperties(parse_mode="HTML")
    )


@pytest.fixture
async def bot(fake):
    b = make_bot(fake)
    yield b
    await b.session.close()


@pytest.fixture
async def limited_bot(limited_fake):
    b = make_bot(limited_fake)
    yield b
    await b.session.close()
