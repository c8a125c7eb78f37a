"""Peak RSS of the bot with 100,000 users in the database under the throughput load.

The database is seeded with executemany before the bot starts; the load's users are among the
seeded ones (so each first visit misses the in-memory user cache and reads the database). Peak
is the kernel's high-water mark (VmHWM) of the bot process, read just before it stops.

    python -m benchmarks.memory [--seed-users 100000 --updates 5000 --users 1000 --json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

import psutil

from benchmarks.harness import seed_users
from benchmarks.throughput import BOT, run_load

FIRST_SEEDED_ID = 1_000_000
GOAL_MB = 120


def peak_rss_mb(pid: int) -> float:
    """VmHWM: the most resident memory the process ever had."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return psutil.Process(pid).memory_info().rss / 2**20


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    pid: list[int] = []
    samples: dict[str, float] = {}

    async def prepare(database: Path) -> None:
        await seed_users(database, args.seed_users, FIRST_SEEDED_ID)

    def started(child: int) -> None:
        pid.append(child)
        samples["idle_rss_mb"] = psutil.Process(child).memory_info().rss / 2**20

    async def sample_peak() -> None:
        while True:
            if pid:
                try:
                    peak = peak_rss_mb(pid[0])
                    samples["peak_rss_mb"] = max(samples.get("peak_rss_mb", 0.0), peak)
                except (FileNotFoundError, ProcessLookupError):
                    return
            await asyncio.sleep(0.05)

    sampler = asyncio.create_task(sample_peak())
    figures = await run_load(
        BOT,
        users=args.users,
        updates=args.updates,
        rate=args.rate,
        paced_updates=args.paced_updates,
        screen_complete=True,
        scenario="faq",
        prepare_db=prepare,
        first_user_id=FIRST_SEEDED_ID,
        on_started=started,
    )
    sampler.cancel()
    result = samples | {"seeded_users": args.seed_users, "load": figures["saturated"]}
    result["goal_met"] = result.get("peak_rss_mb", 1e9) < GOAL_MB
    return result


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed-users", type=int, default=100_000)
    parser.add_argument("--updates", type=int, default=5000)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--paced-updates", type=int, default=1000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args))
    print(
        f"memory: {args.seed_users} users in the database; idle RSS "
        f"{result.get('idle_rss_mb', float('nan')):.1f} MB, peak RSS under load "
        f"{result.get('peak_rss_mb', float('nan')):.1f} MB (goal < {GOAL_MB} MB); "
        f"load {result['load']['updates']} updates at {result['load']['updates_per_s']:.0f}/s"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
