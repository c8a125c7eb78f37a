"""Bounded cost through the fake Bot API: draft caps answered clearly, the bot-wide budget of
wrong receipts (in addition to the per-account delays), and its unit behaviour on a set clock."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.reports.costs import (
    MAX_DRAFT_BYTES,
    MAX_DRAFT_FILES,
    WRONG_RECEIPTS_PER_MINUTE,
    WrongReceiptBucket,
)
from devtools.fake_telegram import FakeTelegram
from tests.reports_helpers import full_report, new_trustee, start_reports_bot
from tests.reports_load import WRONG, press, to_check_screen, to_files_screen

MiB = 1024 * 1024
USER = 5_550_007_001


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def _send_file(fake: FakeTelegram, user: int, data: bytes, name: str) -> str:
    """Send a file; the bot's answer after its short "✓ … received" acknowledgement."""
    await fake.send_document(user, data, file_name=name)
    while True:
        text = (await fake.next_bot_message(user, timeout=30)).text or ""
        if "received and encrypted" not in text:
            return text


async def test_a_draft_takes_at_most_ten_files_and_keeps_them(
    unlimited_fake: FakeTelegram, tmp_path: Path
) -> None:
    bot = await start_reports_bot(unlimited_fake, tmp_path, new_trustee())
    try:
        await to_files_screen(unlimited_fake, USER)
        for n in range(MAX_DRAFT_FILES):
            assert f"Files received: {n + 1}" in await _send_file(
                unlimited_fake, USER, b"scan %d" % n, f"scan{n}.pdf"
            )
        refused = await _send_file(unlimited_fake, USER, b"one too many", "extra.pdf")
        assert "at most 10 files" in refused and "10 files already received are kept" in refused
        await unlimited_fake.wait_idle()
        chat = unlimited_fake.chat(USER)
        assert not any(m.media for m in chat.messages)  # the refused file was deleted too
        draft = bot.services.reports.sessions.get(USER).draft
        assert len(draft.sealed_files) == MAX_DRAFT_FILES
        summary = await press(unlimited_fake, USER, "Continue")
        assert "Files: 10" in (summary.text or "")
    finally:
        await bot.stop()


async def test_a_draft_takes_at_most_sixty_megabytes_of_files(
    unlimited_fake: FakeTelegram, tmp_path: Path
) -> None:
    bot = await start_reports_bot(unlimited_fake, tmp_path, new_trustee())
    try:
        await to_files_screen(unlimited_fake, USER)
        big = bytes(19 * MiB)
        for n in range(3):  # 57 MiB
            assert f"Files received: {n + 1}" in await _send_file(
                unlimited_fake, USER, big, f"video{n}.mp4"
            )
        refused = await _send_file(unlimited_fake, USER, bytes(4 * MiB), "more.mp4")
        assert "at most 60 MB of files" in refused and "already received are kept" in refused
        assert "Files received: 4" in await _send_file(
            unlimited_fake, USER, bytes(2 * MiB), "fits.mp4"
        )
        draft = bot.services.reports.sessions.get(USER).draft
        assert sum(draft.file_sizes) == 59 * MiB <= MAX_DRAFT_BYTES
    finally:
        await bot.stop()


async def test_wrong_receipts_have_one_budget_for_the_whole_bot(
    unlimited_fake: FakeTelegram, tmp_path: Path
) -> None:
    clock = Clock()
    bot = await start_reports_bot(unlimited_fake, tmp_path, new_trustee(), clock=clock)
    try:
        receipt = await full_report(bot, USER)
        await bot.say(USER, receipt)
        await bot.settle()
        people = [6_100_000 + n for n in range(WRONG_RECEIPTS_PER_MINUTE + 1)]
        await asyncio.gather(*(to_check_screen(unlimited_fake, p) for p in people))
        await bot.say(USER, "/menu")
        await bot.tap(USER, "Check my report")
        # Each account tries one wrong code (well within its own three free tries) …
        for person in people[:-1]:
            assert "No report was found" in (await bot.say(person, WRONG)).text
        # … and the whole bot's budget is spent: the next person waits, even with a right code.
        assert "paused for everyone" in (await bot.say(people[-1], WRONG)).text
        assert "paused for everyone" in (await bot.say(USER, receipt)).text
        assert bot.services.reports.receipt_limits.wait_seconds(people[-1]) == 0
        clock.now += timedelta(seconds=60 / WRONG_RECEIPTS_PER_MINUTE)  # one token back
        shown = await bot.say(USER, receipt)
        assert "Your report" in shown.text  # a right code gives its token back …
        assert "No report was found" in (await bot.say(people[-1], WRONG)).text  # … for him
    finally:
        await bot.stop()


def test_the_wrong_receipt_bucket_refills_with_the_clock_only() -> None:
    clock = Clock()
    bucket = WrongReceiptBucket(clock, per_minute=3)
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
    bucket.give_back()
    assert bucket.take() and not bucket.take()
    clock.now += timedelta(seconds=20)
    assert bucket.take() and not bucket.take()
    clock.now += timedelta(hours=5)  # never more than a minute's worth at once
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
