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
import random
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


async def inject_stalls(fake: FakeTelegram, args: argparse.Namespace, rng: random.Random) -> float:
    """Stall the server now and then (0.3-2 s at real speed, scaled); returns seconds stalled."""
    stalled = 0.0
    try:
        while True:
            await asyncio.sleep(rng.uniform(0.5, 1.5) * args.stall_every / args.scale)
            seconds = rng.uniform(args.stall_min, args.stall_max) / args.scale
            fake.stall(seconds)
            stalled += seconds
    except asyncio.CancelledError:
        return stalled


def busiest_second(times: list[float], scale: float) -> int:
    """The most sends in any window of one (scaled) second."""
    window, most, first = 1.0 / scale, 0, 0
    for last, at in enumerate(times):
        while at - times[first] >= window:
            first += 1
        most = max(most, last - first + 1)
    return most


async def bench(n: int, args: argparse.Namespace, *, unbounded: bool) -> dict:
    scale, rate = args.scale, args.rate
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        await prepare(db, n)
        limits = RateLimits(time_scale=scale)
        async with FakeTelegram(token=TOKEN, rate_limits=limits, seed=args.seed) as fake:
            fake.set_latency(args.latency / scale, args.jitter / scale)
            per_chat: Counter[int] = Counter()
            times: list[float] = []

            def on_event(event: BotEvent) -> None:
                if event.kind == "send":
                    per_chat[event.chat_id] += 1
                    times.append(time.monotonic())

            fake.on_event(on_event)
            # The engine's one-second window runs as fast as the fake's limits (time-scaled);
            # the engine before this change had no window.
            extra = ["--unbounded"] if unbounded else ["--limit-window", str(1 / scale)]
            if args.stop_after:
                extra += ["--stop-after", str(args.stop_after)]
            proc = await spawn_worker(
                db, fake.base_url, TOKEN, rate * scale, ROOT, system_clock(), *extra
            )
            assert proc.stdout is not None
            await proc.stdout.readline()  # "started"
            stalls = None
            if args.stall_every:
                stalls = asyncio.create_task(inject_stalls(fake, args, random.Random(args.seed)))
            out, _ = await proc.communicate()
            stalled = 0.0
            if stalls is not None:
                stalls.cancel()
                stalled = await stalls
            worker = json.loads(out.decode().strip().splitlines()[-1])
    elapsed = times[-1] - times[0] if len(times) > 1 else float("nan")
    achieved = (len(times) - 1) / elapsed / scale
    answering = (len(times) - 1) / max(elapsed - stalled, 1e-9) / scale
    done = args.stop_after == 0
    return {
        "engine": "unbounded (before)" if unbounded else "bounded in flight",
        "subscribers": n,
        "scale": scale,
        "configured_rate": rate,
        "achieved_rate": round(achieved, 2),
        "ratio": round(achieved / rate, 3),
        "ratio_while_answering": round(answering / rate, 3),
        "stalled_share": round(stalled / elapsed, 3) if elapsed == elapsed else 0,
        "busiest_second_ratio": round(busiest_second(times, scale) / rate, 2),
        "received_429": worker["received_429"],
        "violations": fake.stats.sent_during_retry_after + fake.stats.rate_limited,
        "peak_in_flight": worker["peak_in_flight"],
        "round_trip_ms": worker["round_trip_ms"],
        "duplicates": sum(c - 1 for c in per_chat.values() if c > 1),
        "losses": sum(1 for uid in range(FIRST_ID, FIRST_ID + n) if per_chat[uid] == 0)
        if done
        else "n/a (stopped early)",
        "sent": len(times),
        "peak_rss_mb": round(worker["peak_rss_kb"] / 1024, 1),
        "wall_seconds": round(elapsed, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of subscribers")
    parser.add_argument("--scale", type=float, default=10.0, help="time-scale factor (1 = real)")
    parser.add_argument("--rate", type=float, default=25.0, help="BROADCAST_RATE to test")
    parser.add_argument("--latency", type=float, default=0.0, help="server latency, s (real)")
    parser.add_argument("--jitter", type=float, default=0.0, help="+ up to this, s (real)")
    parser.add_argument("--stall-every", type=float, default=0.0, help="mean s between stalls")
    parser.add_argument("--stall-min", type=float, default=0.3)
    parser.add_argument("--stall-max", type=float, default=2.0)
    parser.add_argument("--stop-after", type=float, default=0.0, help="stop the engine after s")
    parser.add_argument("--compare", action="store_true", help="also run the engine before")
    parser.add_argument("--before-only", action="store_true", help="only the engine before")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    # The fake server keeps every message it was sent; Python's full garbage collections over
    # that growing heap stall its event loop for long enough to bunch requests into one
    # second. The fake is the measuring instrument, not the system under test: no GC here.
    gc.disable()
    runs = [True] if args.before_only else [False, True] if args.compare else [False]
    results = [asyncio.run(bench(args.n, args, unbounded=unbounded)) for unbounded in runs]
    for key in results[0]:
        print(f"{key:>22}: " + " | ".join(str(r[key]) for r in results))
    first = results[0]
    return 0 if first["losses"] in (0, "n/a (stopped early)") and first["violations"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
