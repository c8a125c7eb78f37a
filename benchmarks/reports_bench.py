"""Anonymous reports benchmark: Argon2id cost, confirmation → receipt latency, DB growth.

Run: /work/venv/bin/python benchmarks/reports_bench.py [--reports 20]
The real bot runs in-process against the fake Bot API (rate limits off) with the PRODUCTION
Argon2id parameters; each report carries one 1 MB photo.
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

from bot.fake_telegram import FakeTelegram, RateLimits
from bot.fake_telegram.models import BotEvent
from bot.reports.receipt import PRODUCTION_KDF, derive, derive_lookup
from tests.conftest import TOKEN, start_bot
from tests.reports_helpers import RECEIPT_RE, answer_questions, new_trustee

PHOTO_1MB = os.urandom(1024 * 1024)  # random bytes: incompressible, like a real JPEG


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def kdf_times(rounds: int = 5) -> tuple[float, float]:
    single, both = [], []
    for n in range(rounds):
        digits = f"{n:016d}"
        start = time.perf_counter()
        derive_lookup(digits, PRODUCTION_KDF)
        single.append(time.perf_counter() - start)
        start = time.perf_counter()
        await derive(digits, PRODUCTION_KDF)
        both.append(time.perf_counter() - start)
    return statistics.median(single), statistics.median(both)


def db_size(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


async def run(reports: int) -> None:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=20)
    asyncio.run(run(parser.parse_args().reports))


if __name__ == "__main__":
    main()
