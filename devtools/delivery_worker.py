"""Run the delivery engine alone until every due delivery is finished (benchmarks, crash tests).

    python -m devtools.delivery_worker --database data/bot.sqlite3 --api-base http://127.0.0.1:8081 \
        --token 123:ABC --rate 25

Prints one JSON line at the end: peak resident memory and 429s seen.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from datetime import datetime
from pathlib import Path

from bot.app import build_bot, create_app
from bot.clock import running_from
from bot.config import load_settings
from bot.delivery.engine import DeliveryEngine
from bot.delivery.limiter import InFlightGate


class UnboundedGate(InFlightGate):
    """The engine before the in-flight bound (benchmarks compare against it): as many sends in
    flight as there are senders, and no second count for an answer held in a stall."""

    @property
    def limit(self) -> int:
        return self.ceiling

    async def leave(self, round_trip: float | None) -> bool:
        await super().leave(round_trip)
        return False


async def spawn_worker(
    database: Path,
    api_base: str,
    token: str,
    rate: float,
    cwd: Path,
    clock_start: datetime,
    *extra: str,
) -> asyncio.subprocess.Process:
    """Start this worker in a child process (stdout piped: "started", then the JSON summary).
    `extra`: more arguments (`--unbounded`, `--stop-after SECONDS`)."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "devtools.delivery_worker",
        "--database",
        str(database),
        "--api-base",
        api_base,
        "--token",
        token,
        "--rate",
        str(rate),
        "--clock-start",
        clock_start.isoformat(),
        *extra,
        stdout=asyncio.subprocess.PIPE,
        cwd=str(cwd),
    )


async def run(args: argparse.Namespace) -> dict:
    settings = load_settings(
        _env_file=None,
        bot_token=args.token,
        telegram_api_base=args.api_base,
        database_path=args.database,
        channels=args.channels,
    )
    services = await create_app(
        settings, clock=running_from(datetime.fromisoformat(args.clock_start))
    )
    bot = build_bot(settings)
    engine = DeliveryEngine(
        services.db,
        services.users,
        settings,
        services.now,
        rate=args.rate,
        limit_window=args.limit_window,
    )
    if args.unbounded:
        engine.in_flight = UnboundedGate(engine.rate, engine.concurrency)
    services.delivery = engine
    await engine.start(bot)
    print("started", flush=True)
    deadline = time.monotonic() + args.stop_after if args.stop_after else float("inf")
    try:
        while await engine.store.active() and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.2)
    finally:
        await engine.stop()
        await bot.session.close()
        await services.db.close()
    return {
        "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "received_429": engine.stats_429,
        "peak_in_flight": engine.in_flight.peak,
        "round_trip_ms": round(engine.in_flight.round_trip * 1000, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--api-base", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--channels", default="")
    parser.add_argument("--unbounded", action="store_true", help="the engine before the bound")
    parser.add_argument("--limit-window", type=float, default=1.0, help="1/scale when scaled")
    parser.add_argument("--stop-after", type=float, default=0, help="stop after these seconds")
    parser.add_argument(
        "--clock-start", required=True, help="ISO moment with a time zone the bot's clock starts at"
    )
    result = asyncio.run(run(parser.parse_args(argv)))
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
