"""The suite passes on any day: the main flows again, with the bot's clock at moments when
campaigns post (10 December, Human Rights Day; 26 June; 1 March, Zero Discrimination Day).

The flows are the same test functions as in their own modules, collected here a second time
with this module's `bot_clock`. A fresh deployment does not open with posts that were due hours
earlier, so these flows see no campaign post; the last tests make the campaigns post (a
deployment that was already running that morning) and the broadcast still goes out, once.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import create_app
from bot.clock import Clock, running_from
from tests.conftest import ADMIN_ID, TIMEZONE, make_settings, start_bot
from tests.test_admin_flow import (  # noqa: F401 - collected again here, at campaign moments
    subscribe,
    tap,
    test_broadcast_flow_preview_audience_confirm_progress_and_summary,
    test_crafted_admin_callbacks_from_a_non_admin_do_nothing,
    test_scheduled_broadcast_then_cancel,
)
from tests.test_demo import run_demo_script
from tests.test_e2e_foundation import (  # noqa: F401
    test_first_start_picks_language_then_menu_then_help,
    test_get_help_now_is_one_tap_from_every_screen,
)

TZ = ZoneInfo(TIMEZONE)
CAMPAIGN_MOMENTS = {
    "human-rights-day": datetime(2026, 12, 10, 12, 0, tzinfo=TZ),
    "june-26": datetime(2026, 6, 26, 15, 30, tzinfo=TZ),
    "march-1": datetime(2026, 3, 1, 20, 0, tzinfo=TZ),
}


@pytest.fixture(params=list(CAMPAIGN_MOMENTS.values()), ids=list(CAMPAIGN_MOMENTS))
def moment(request: pytest.FixtureRequest) -> datetime:
    return request.param


@pytest.fixture
def bot_clock(moment: datetime) -> Clock:
    return running_from(moment)


def test_each_moment_is_a_campaign_day() -> None:
    """Guard: the moments above really are days on which a shipped campaign posts."""
    from bot.campaigns.content import load_campaigns
    from bot.campaigns.schedule import day_post, due_at

    campaigns = load_campaigns().values()
    for name, when in CAMPAIGN_MOMENTS.items():
        due = [due_at(p, TZ) for c in campaigns if (p := day_post(c, when.date())) is not None]
        assert due and all(d < when for d in due), name


def test_admin_demo_on_campaign_days(moment: datetime) -> None:
    transcript = run_demo_script("admin.txt", "--admin", now=moment.isoformat())
    assert "Забонро интихоб кунед · Выберите язык · Choose your language" in transcript
    assert "Broadcast 1 finished" in transcript
    assert "channel ru> News for all subscribers" in transcript


async def test_campaign_posts_and_a_broadcast_both_go_out_once(
    fake, tmp_path: Path, moment: datetime, bot_clock: Clock
) -> None:
    """A deployment that was already running that morning: today's post is caught up at start
    (before the evening limit), and an admin's broadcast still finishes, each sent once."""
    earlier = await create_app(make_settings(tmp_path, fake.base_url), clock=bot_clock)
    await earlier.campaigns.ledger.set_first_start(moment.replace(hour=6, minute=0))
    await earlier.users.get_or_create(9001, moment.date())
    await earlier.users.get_or_create(9002, moment.date())
    await earlier.db.execute("UPDATE users SET subscribed = 1, locale = 'ru'")
    await earlier.db.close()

    bot = await start_bot(fake, tmp_path, clock=running_from(moment))
    try:
        ledger = bot.services.campaigns.ledger
        for _ in range(100):  # the start-up catch-up runs in the scheduler, right after start
            if any(row[4] == "enqueued" for row in await ledger.rows()):
                break
            await asyncio.sleep(0.1)
        posted = {row[0] for row in await ledger.rows() if row[4] == "enqueued"}
        assert posted, await ledger.rows()
        await bot.say(ADMIN_ID, "/broadcast", language_code="en")
        await bot.say(ADMIN_ID, "Общая новость", language_code="en")
        await tap(bot, ADMIN_ID, "Preview")
        await bot.fake.wait_for(lambda: "Who receives" in bot.last_text(ADMIN_ID), 15)
        await tap(bot, ADMIN_ID, "All subscribers")
        await tap(bot, ADMIN_ID, "Next")
        await tap(bot, ADMIN_ID, "Now")
        await tap(bot, ADMIN_ID, "Send")
        await bot.fake.wait_for(lambda: "Broadcast 1 finished" in bot.last_text(ADMIN_ID), 30)
        for uid in (9001, 9002):
            texts = [m.text for m in bot.fake.bot_messages(uid)]
            assert texts.count("Общая новость") == 1, texts
            assert len(texts) == 1 + len(posted), texts  # and each campaign post once
    finally:
        await bot.stop()
