"""Campaign controls through the fake Bot API: /campaigns names the next post not yet posted,
/unskip undoes /skip (hidden from non-staff, audited), on dates set through the bot's clock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from devtools.fake_telegram import FakeTelegram
from tests.conftest import ADMIN_ID, RunningBot, start_bot

DUSHANBE = ZoneInfo("Asia/Dushanbe")
NOV_15_0900 = datetime(2026, 11, 15, 9, 0, tzinfo=DUSHANBE)  # udhr day 6, posted at 10:00


class MovableClock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


async def _say(bot: RunningBot, fake: FakeTelegram, user: int, text: str) -> str:
    fake.advance(5)  # the fake's private-chat flood limit: 1 message/s after a burst
    return (await bot.say(user, text)).text or ""


async def test_campaigns_shows_the_next_unposted_post_and_unskip_undoes_skip(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    bot = await start_bot(fake, tmp_path, clock=MovableClock(NOV_15_0900))
    try:
        await bot.say(ADMIN_ID, "/start")
        await bot.tap(ADMIN_ID, "English")
        listing = await _say(bot, fake, ADMIN_ID, "/campaigns")
        assert "next post: 15.11.2026 (day 6) at 10:00 (Asia/Dushanbe)" in listing

        skipped = await _say(bot, fake, ADMIN_ID, "/skip udhr 6")
        assert "will not be posted" in skipped and "/unskip udhr 6" in skipped
        listing = await _say(bot, fake, ADMIN_ID, "/campaigns")
        assert "next post: 16.11.2026 (day 7) at 10:00 (Asia/Dushanbe)" in listing
        assert "skipped before it: 15.11.2026 (day 6)" in listing

        stranger = 3102
        await bot.say(stranger, "/start")
        await bot.tap(stranger, "English")
        assert "don't know this command" in await _say(bot, fake, stranger, "/unskip udhr 6")
        assert await bot.services.campaigns.ledger.is_skipped("udhr", 2026, "6")

        undone = await _say(bot, fake, ADMIN_ID, "/unskip udhr 6")
        assert "Day 6 (15.11.2026) of udhr will be posted again" in undone
        assert not await bot.services.campaigns.ledger.is_skipped("udhr", 2026, "6")
        listing = await _say(bot, fake, ADMIN_ID, "/campaigns")
        assert "next post: 15.11.2026 (day 6) at 10:00" in listing
        assert "skipped before it" not in listing
        again = await _say(bot, fake, ADMIN_ID, "/unskip udhr 6")
        assert "was not skipped" in again

        audit = await bot.services.admins.audit_entries()
        actions = [(a.admin_id, a.action, a.target) for a in audit if "skip" in a.action]
        assert sorted(actions) == [
            (ADMIN_ID, "campaign_skip", "udhr:2026:6"),
            (ADMIN_ID, "campaign_unskip", "udhr:2026:6"),
        ]
    finally:
        await bot.stop()


async def test_unskip_after_the_skipped_time_posts_today_and_the_list_moves_on(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    clock = MovableClock(NOV_15_0900)
    bot = await start_bot(fake, tmp_path, clock=clock)
    ledger, runner = bot.services.campaigns.ledger, bot.services.campaigns.runner
    try:
        await bot.say(ADMIN_ID, "/start")
        await bot.tap(ADMIN_ID, "English")
        await _say(bot, fake, ADMIN_ID, "/skip udhr 6")
        clock.moment = NOV_15_0900.replace(hour=10, minute=20)
        await runner.run_due(clock())  # the 10:00 run: the day is recorded as skipped
        assert {row[4] for row in await ledger.rows("udhr") if row[2] == "6"} == {"skipped"}

        undone = await _say(bot, fake, ADMIN_ID, "/unskip udhr 6")
        assert "will be posted again" in undone
        assert {row[4] for row in await ledger.rows("udhr") if row[2] == "6"} == {
            "enqueued"
        }  # posted late, now
        listing = await _say(bot, fake, ADMIN_ID, "/campaigns")
        assert "next post: 16.11.2026 (day 7) at 10:00 (Asia/Dushanbe)" in listing

        # A past day: no longer skipped, but nothing is posted for it.
        await _say(bot, fake, ADMIN_ID, "/skip udhr 2")
        late = await _say(bot, fake, ADMIN_ID, "/unskip udhr 2")
        assert "its time has passed" in late and "/postnow" in late
        assert not await ledger.is_skipped("udhr", 2026, "2")
    finally:
        await bot.stop()
