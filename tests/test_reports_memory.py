"""Bounded cost: a crowd of wrong receipts and submissions cannot exhaust the server's memory.

20 wrong receipts and 20 submissions arrive at once at the running bot (fake Bot API, the bot
in this process) with the production Argon2id parameters (256 MiB per derivation). One global
limit keeps at most KDF_DERIVATIONS_IN_FLIGHT derivations running, so peak RSS stays within the
bound stated in the README: idle RSS + KDF_DERIVATIONS_IN_FLIGHT × 256 MiB + the drafts (here a
short text each) + a working margin.
"""

from __future__ import annotations

from pathlib import Path

from bot.reports.costs import KDF_DERIVATIONS_IN_FLIGHT, WRONG_RECEIPTS_PER_MINUTE
from bot.reports.receipt import PRODUCTION_KDF
from devtools.fake_telegram import FakeTelegram
from tests.reports_helpers import new_trustee, start_reports_bot
from tests.reports_load import crowd

MiB = 1024 * 1024
MARGIN = 128 * MiB  # the event loop's working memory under 40 updates at once (README)


async def test_twenty_wrong_receipts_and_twenty_submissions_stay_within_the_memory_bound(
    unlimited_fake: FakeTelegram, tmp_path: Path
) -> None:
    bot = await start_reports_bot(unlimited_fake, tmp_path, new_trustee())
    try:
        result = await crowd(bot, checkers=20, submitters=20)
        stored = await bot.services.reports.store.list()
    finally:
        await bot.stop()
    kdf_bound = KDF_DERIVATIONS_IN_FLIGHT * PRODUCTION_KDF.memlimit
    assert result.most_derivations <= KDF_DERIVATIONS_IN_FLIGHT
    # Every submission derived its receipt; the wrong receipts beyond the global budget were
    # told to wait, without any derivation.
    assert result.derivations == 2 * (20 + WRONG_RECEIPTS_PER_MINUTE)
    assert result.peak_rss <= result.idle_rss + kdf_bound + MARGIN, (
        f"peak {result.peak_rss / MiB:.0f} MiB, idle {result.idle_rss / MiB:.0f} MiB"
    )
    told = result.check_texts
    assert sum("No report was found" in t for t in told) == WRONG_RECEIPTS_PER_MINUTE
    paused = sum("checking is paused for everyone" in t for t in told)
    assert paused == 20 - WRONG_RECEIPTS_PER_MINUTE
    assert len(stored) == 20
