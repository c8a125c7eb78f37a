"""Broadcast to N fake subscribers through the fake Bot API with Telegram's limits on.

    .venv/bin/python benchmarks/broadcast_bench.py 10000 [--scale 10] [--rate 25]

The engine runs in its own process (as in production) against the fake server in this one, so
the memory figure is the engine's alone. Time-scaling: with --scale K the fake enforces K x
Telegram's limits (30 K/s global) and the engine runs at K x --rate; the ratio to the configured
limit is unchanged and a 100k run takes minutes instead of an hour.

Prints: achieved rate / configured rate, 429s, rule violations, duplicates, losses, peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import create_app  # noqa: E402
from bot.clock import system_clock  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.delivery import Audience, DeliveryEngine, OutgoingMessage  # noqa: E402
from devtools.delivery_worker import spawn_worker  # noqa: E402
from devtools.fake_telegram import FakeTelegram, RateLimits  # noqa: E402
from devtools.fake_telegram.models import BotEvent  # noqa: E402

TOKEN = "123456:BENCH-token_for-the-fake-server"
FIRST_ID = 1_000_000


async def prepare(db: Path, n: int) -> None:
    """N subscribers in three languages and one queued broadcast."""
    settings = load_settings(
        _env_file=None, bot_token=TOKEN, database_path=db, telegram_api_base="http://127.0.0.1:9"
    )
    services = await create_app(settings, clock=system_clock)
    locales = ("tg", "ru", "en")
    for start in range(FIRST_ID, FIRST_ID + n, 10_000):
        stop = min(start + 10_000, FIRST_ID + n)
        async with services.db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO users (user_id, locale, subscribed, first_seen) "
                "VALUES (?, ?, 1, '2025-01-01')",
                [
                    (
                        uid,
                        locales[uid % 3],
                    )
                    for uid in range(start, stop)
                ],
            )
    engine = DeliveryEngine(services.db, services.users, settings, services.now)
    await engine.enqueue(
        kind="broadcast",
        dedupe_key="bench",
        versions={loc: OutgoingMessage(text=f"<b>Bench</b> {loc}") for loc in locales},
        audience=Audience(subscribers=True),
    )
    await services.db.close()


async def bench(n: int, scale: float, rate: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        await prepare(db, n)
        limits = RateLimits(global_per_second=int(30 * scale))
        async with FakeTelegram(token=TOKEN, rate_limits=limits) as fake:
            per_chat: Counter[int] = Counter()
            times: list[float] = []

            def on_event(event: BotEvent) -> None:
                if event.kind == "send":
                    per_chat[event.chat_id] += 1
                    times.append(time.monotonic())

            fake.on_event(on_event)
            proc = await spawn_worker(db, fake.base_url, TOKEN, rate * scale, ROOT, system_clock())
            out, _ = await proc.communicate()
            worker = json.loads(out.decode().strip().splitlines()[-1])
    elapsed = times[-1] - times[0] if len(times) > 1 else float("nan")
    achieved = (len(times) - 1) / elapsed / scale
    return {
        "subscribers": n,
        "scale": scale,
        "configured_rate": rate,
        "achieved_rate": round(achieved, 2),
        "ratio": round(achieved / rate, 3),
        "received_429": worker["received_429"],
        "violations": fake.stats.sent_during_retry_after + fake.stats.rate_limited,
        "duplicates": sum(c - 1 for c in per_chat.values() if c > 1),
        "losses": sum(1 for uid in range(FIRST_ID, FIRST_ID + n) if per_chat[uid] == 0),
        "peak_rss_mb": round(worker["peak_rss_kb"] / 1024, 1),
        "wall_seconds": round(elapsed, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of subscribers")
    parser.add_argument("--scale", type=float, default=10.0, help="time-scale factor (1 = real)")
    parser.add_argument("--rate", type=float, default=25.0, help="BROADCAST_RATE to test")
    args = parser.parse_args()
    # The fake server keeps every message it was sent; Python's full garbage collections over
    # that growing heap stall its event loop for long enough to bunch requests into one
    # second. The fake is the measuring instrument, not the system under test: no GC here.
    gc.disable()
    result = asyncio.run(bench(args.n, args.scale, args.rate))
    for key, value in result.items():
        print(f"{key:>16}: {value}")
    return 0 if result["losses"] == 0 and result["violations"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
