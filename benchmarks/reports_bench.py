"""Anonymous reports benchmark: Argon2id cost, confirmation → receipt latency, DB growth, and
the memory of a crowd (wrong receipts and submissions at once).

Run: .venv/bin/python benchmarks/reports_bench.py [--reports 20] [--crowd 20]
The real bot runs in-process against the fake Bot API (rate limits off) with the PRODUCTION
Argon2id parameters; each report carries one 1 MB photo. The crowd: `--crowd` people type a
wrong receipt and `--crowd` others press «Send report», all at once (tests/reports_load.py);
peak RSS of this process (which runs the bot) is sampled every 3 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.reports.costs import KDF_DERIVATIONS_IN_FLIGHT, WRONG_RECEIPTS_PER_MINUTE
from bot.reports.receipt import PRODUCTION_KDF, TEST_SALTS, derive, derive_lookup
from devtools.fake_telegram import FakeTelegram, RateLimits
from devtools.fake_telegram.models import BotEvent
from tests.conftest import TOKEN, start_bot
from tests.reports_helpers import RECEIPT_RE, answer_questions, new_trustee
from tests.reports_load import crowd

MiB = 1024 * 1024

PHOTO_1MB = os.urandom(1024 * 1024)  # random bytes: incompressible, like a real JPEG


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def kdf_times(rounds: int = 5) -> tuple[float, float]:
    single, both = [], []
    for n in range(rounds):
        digits = f"{n:016d}"
        start = time.perf_counter()
        derive_lookup(digits, PRODUCTION_KDF, TEST_SALTS)
        single.append(time.perf_counter() - start)
        start = time.perf_counter()
        await derive(digits, PRODUCTION_KDF, TEST_SALTS)
        both.append(time.perf_counter() - start)
    return statistics.median(single), statistics.median(both)


def db_size(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


async def crowd_memory(people: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        async with FakeTelegram(token=TOKEN, rate_limits=RateLimits(enabled=False)) as fake:
            bot = await start_bot(fake, Path(folder), report_public_keys=new_trustee().config_line)
            try:
                result = await crowd(bot, checkers=people, submitters=people)
            finally:
                await bot.stop()
    bound = KDF_DERIVATIONS_IN_FLIGHT * PRODUCTION_KDF.memlimit
    print(
        f"Crowd: {people} wrong receipts + {people} submissions at once: peak RSS"
        f" {result.peak_rss / MiB:.0f} MiB (idle {result.idle_rss / MiB:.0f} MiB,"
        f" +{(result.peak_rss - result.idle_rss) / MiB:.0f} MiB; KDF bound {bound // MiB} MiB);"
        f" derivations in flight at most {result.most_derivations}, {result.derivations} in all"
        f" ({WRONG_RECEIPTS_PER_MINUTE} wrong receipts a minute for the whole bot)"
    )
    every = [v * 1000 for v in result.check_answers + result.receipts]
    receipts = [v * 1000 for v in result.receipts]
    print(
        f"Crowd answer times: median {statistics.median(every):.0f} ms, max {max(every):.0f} ms;"
        f" receipts median {statistics.median(receipts):.0f} ms, max {max(receipts):.0f} ms;"
        f" all answered in {result.seconds:.1f} s"
    )


async def run(reports: int, people: int) -> None:
    single, both = await kdf_times()
    print(
        f"Argon2id: opslimit={PRODUCTION_KDF.opslimit} memlimit={PRODUCTION_KDF.memlimit // 2**20}"
        f" MiB; one derivation {single * 1000:.0f} ms; both (parallel threads) {both * 1000:.0f} ms"
    )
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        async with FakeTelegram(token=TOKEN, rate_limits=RateLimits(enabled=False)) as fake:
            keys = new_trustee().config_line
            await (await start_bot(fake, tmp, report_public_keys=keys)).stop()  # create the DB
            await fake.wait_idle()
            db_path = tmp / "bot.sqlite3"
            before = db_size(db_path)
            bot = await start_bot(fake, tmp, report_public_keys=keys)
            assert bot.services.reports is not None
            bot.services.reports.kdf = PRODUCTION_KDF
            shown_at: dict[int, float] = {}

            def on_event(event: BotEvent) -> None:
                text = str((event.params or {}).get("text") or "")
                if event.method == "sendMessage" and RECEIPT_RE.search(text):
                    shown_at[int(event.chat_id or 0)] = event.at

            fake.on_event(on_event)
            latencies = []
            try:
                for n in range(reports):
                    user = 900_000 + n
                    await answer_questions(bot, user)
                    await bot.say(user, "A benchmark description of what happened, long enough.")
                    await fake.send_photo(user, PHOTO_1MB)
                    await fake.next_bot_message(user, timeout=30)
                    await bot.tap(user, "Continue")
                    pressed = time.perf_counter()
                    await bot.tap(user, "Send report")
                    await fake.wait_for(lambda u=user: u in shown_at, 30)
                    latencies.append(shown_at[user] - pressed)
            finally:
                await bot.stop()  # closing the database checkpoints the WAL into the file
            after = db_size(db_path)
    ms = [v * 1000 for v in latencies]
    print(
        f"Confirmation → receipt shown ({reports} reports): p50 {percentile(ms, 0.5):.0f} ms,"
        f" p99 {percentile(ms, 0.99):.0f} ms, max {max(ms):.0f} ms"
    )
    growth = (after - before) / reports
    print(
        f"Database growth per report with one 1 MB photo: {growth / 1024:.0f} KiB"
        f" ({growth / len(PHOTO_1MB):.2f}× the photo; Padmé padding)"
    )
    if people:
        await crowd_memory(people)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--crowd", type=int, default=20, help="0 skips the crowd")
    args = parser.parse_args()
    asyncio.run(run(args.reports, args.crowd))


if __name__ == "__main__":
    main()
