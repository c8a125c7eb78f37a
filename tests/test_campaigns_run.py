"""The UDHR countdown run with a controlled clock from 9 November to 11 December, through the real
delivery engine and the fake Bot API: one post per day per target, in the target's language,
across a restart and a kill -9, with an unsubscriber, a blocked user and a broken channel."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from aiogram import Bot

from bot.app import App, build_bot, create_app
from bot.campaigns.content import load_campaigns
from bot.campaigns.schedule import day_post
from bot.delivery.limiter import FloodLimiter
from devtools.fake_telegram import FakeTelegram
from jobs.campaigns import run_campaigns
from tests.conftest import make_settings, quiet_clock

ROOT = Path(__file__).resolve().parent.parent
TZ = ZoneInfo("Asia/Dushanbe")
CHANNEL_IDS = {"tg": -1001001, "ru": -1001002, "en": -1001003}
CHANNELS = "tg:@ntj_tg,ru:@ntj_ru,en:@ntj_en,en:@ntj_gone"  # @ntj_gone does not exist
SUBSCRIBERS = {101: "tg", 102: "ru", 103: "en"}
UNSUBSCRIBER, BLOCKER = 104, 105  # ru; the first leaves on 20 Nov, the second blocks the bot
RESTART_ON, KILL_ON = date(2026, 11, 20), date(2026, 11, 27)
FIRST, LAST = date(2026, 11, 9), date(2026, 12, 11)


class ShiftedClock:
    """time.monotonic() plus whole simulated days, so the engine's per-channel spacing (3 s) is met
    by a simulated day passing instead of real seconds."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset


async def _start(fake: FakeTelegram, tmp_path: Path, clock: ShiftedClock) -> tuple[App, object]:
    settings = make_settings(tmp_path, fake.base_url, channels=CHANNELS)
    services = await create_app(settings, clock=quiet_clock())
    assert services.delivery is not None
    services.delivery.limiter = FloodLimiter(services.delivery.rate, clock=clock)
    bot = build_bot(settings)
    await services.delivery.start(bot)
    return services, bot


async def _stop(services: App, bot: Bot) -> None:
    await services.delivery.stop()
    await services.db.close()
    await bot.session.close()


async def _wait_all(services: App) -> None:
    rows = await services.db.fetchall(
        "SELECT delivery_id FROM campaign_ledger WHERE status = 'enqueued'"
    )
    for row in rows:
        await services.delivery.wait_finished(int(row[0]), timeout=20)


async def _run_day(services: App, fake: FakeTelegram, clock: ShiftedClock, day: date) -> None:
    fake.advance(86_400)
    clock.offset += 86_400
    before = await run_campaigns(
        services.campaigns, datetime.combine(day, datetime.min.time(), TZ).replace(hour=9)
    )
    assert before == 0, f"nothing is due before 10:00 ({day})"
    await run_campaigns(
        services.campaigns, datetime(day.year, day.month, day.day, 10, 0, 5, tzinfo=TZ)
    )
    await _wait_all(services)
    again = await run_campaigns(
        services.campaigns, datetime(day.year, day.month, day.day, 18, tzinfo=TZ)
    )
    assert again == 0, f"a second run the same day posts nothing ({day})"


KILLED_WORKER = r"""
import asyncio, sys
from datetime import datetime
from zoneinfo import ZoneInfo
from bot.app import create_app
from jobs.campaigns import run_campaigns
from tests.conftest import make_settings, quiet_clock
from pathlib import Path

async def main():
    settings = make_settings(Path(sys.argv[1]), sys.argv[2], channels=sys.argv[3])
    services = await create_app(settings, clock=quiet_clock())
    day = datetime.fromisoformat(sys.argv[4]).replace(tzinfo=ZoneInfo("Asia/Dushanbe"))
    # The delivery engine is not started: the posts are enqueued, then the process is killed
    # before it could send them.
    print("enqueued", await run_campaigns(services.campaigns, day), flush=True)
    await asyncio.sleep(60)

asyncio.run(main())
"""


async def _kill_mid_day(fake: FakeTelegram, tmp_path: Path, day: date) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        KILLED_WORKER,
        str(tmp_path),
        fake.base_url,
        CHANNELS,
        datetime(day.year, day.month, day.day, 10, 1).isoformat(),
        stdout=asyncio.subprocess.PIPE,
        cwd=str(ROOT),
    )
    assert proc.stdout is not None
    line = await asyncio.wait_for(proc.stdout.readline(), 30)
    assert line.decode().split() == ["enqueued", "4"], line  # 3 channels + subscribers
    os.kill(proc.pid, signal.SIGKILL)
    await proc.wait()


async def test_udhr_countdown_posts_once_per_day_per_target(tmp_path: Path) -> None:
    udhr = load_campaigns()["udhr"]
    async with FakeTelegram(token=make_settings(tmp_path).bot_token.get_secret_value()) as fake:
        for locale, chat_id in CHANNEL_IDS.items():
            fake.add_channel(chat_id, username=f"ntj_{locale}")
        clock = ShiftedClock()
        services, bot = await _start(fake, tmp_path, clock)
        for user, locale in {**SUBSCRIBERS, UNSUBSCRIBER: "ru", BLOCKER: "ru"}.items():
            await services.users.get_or_create(user, FIRST)
            await services.users.set_locale(user, locale)
            await services.users.set_subscribed(user, True)
        fake.block_user(BLOCKER)

        day = FIRST
        while day <= LAST:
            if day == RESTART_ON:
                await _stop(services, bot)
                services, bot = await _start(fake, tmp_path, clock)
                await services.users.set_subscribed(UNSUBSCRIBER, False)
            if day == KILL_ON:
                await _stop(services, bot)
                await _kill_mid_day(fake, tmp_path, day)
                services, bot = await _start(fake, tmp_path, clock)  # sends what was queued
            await _run_day(services, fake, clock, day)
            day += timedelta(days=1)
        await _stop(services, bot)

    campaigns = load_campaigns()
    udhr_days = [udhr.posts[str(n)] for n in range(1, 32)]
    all_days = [
        post.campaign.posts[post.day_key]
        for offset in range((LAST - FIRST).days + 1)
        for campaign in campaigns.values()
        if (post := day_post(campaign, FIRST + timedelta(days=offset))) is not None
    ]
    udhr_texts = {texts[locale] for texts in udhr_days for locale in texts}

    def check(chat_id: int, locale: str, days: list[dict[str, str]], what: str) -> None:
        got = [m.html for m in fake.bot_messages(chat_id)]
        assert Counter(got) == Counter(texts[locale] for texts in days), what
        assert max(Counter(got).values()) == 1, f"{what}: a post arrived twice"
        in_order = [text for text in got if text in udhr_texts]
        assert in_order == [texts[locale] for texts in udhr_days if texts in days], what

    for locale, chat_id in CHANNEL_IDS.items():
        check(chat_id, locale, all_days, f"channel {locale}")
    for user, locale in SUBSCRIBERS.items():
        check(user, locale, all_days, f"subscriber {locale}")
    # Article 1 on 10 November ... article 11 on 20 November, then the user unsubscribed.
    check(UNSUBSCRIBER, "ru", udhr_days[:10], "unsubscriber")
    assert fake.bot_messages(BLOCKER) == []
