"""Polling under a backlog: thousands of updates waiting when the bot starts (after downtime).

Queues N `/start`s from N different people on the fake before the bot process starts, then
measures the time until every one was answered, and the bot's peak RSS, with the handler tasks
bounded at the default (`UPDATE_CONCURRENCY=64`) against the largest setting (1,000, close to
aiogram's unbounded default: every update of a getUpdates batch at once) in the same run.

    .venv/bin/python -m benchmarks.backlog [--updates 3000] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

import psutil

from benchmarks.harness import spawn, start_fake, stop


async def catch_up(updates: int, concurrency: int) -> dict[str, float]:
    fake = await start_fake()
    try:
        for user in range(updates):
            await fake.send_text(8_000_000 + user, "/start", language_code="ru")
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            process = await spawn(
                fake,
                Path(tmp) / "bot.sqlite3",
                UPDATE_CONCURRENCY=str(concurrency),
                POLL_SETTLE_SECONDS="0",
            )
            peak = 0.0
            watcher = psutil.Process(process.pid)
            answered = 0
            deadline = started + 600
            while time.perf_counter() < deadline:
                answered = sum(1 for m, _ in fake.calls if m == "sendMessage")
                try:
                    peak = max(peak, watcher.memory_info().rss / 2**20)
                except psutil.NoSuchProcess:
                    break
                if answered >= updates:
                    break
                await asyncio.sleep(0.05)
            elapsed = time.perf_counter() - started
            await stop(process)
    finally:
        await fake.stop()
    return {"answered": answered, "seconds": round(elapsed, 2), "peak_rss_mb": round(peak, 1)}


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--json")
    args = parser.parse_args()
    bounded = await catch_up(args.updates, 64)
    unbounded = await catch_up(args.updates, 1000)
    figures = {
        "updates": args.updates,
        "bounded_64": bounded,
        "bounded_1000": unbounded,
        "time_ratio": round(bounded["seconds"] / unbounded["seconds"], 2),
        "memory_ratio": round(bounded["peak_rss_mb"] / unbounded["peak_rss_mb"], 2),
    }
    for name in ("bounded_64", "bounded_1000"):
        f = figures[name]
        print(
            f"{name}: {f['answered']}/{args.updates} answered in {f['seconds']} s"
            f" (from process start), peak RSS {f['peak_rss_mb']} MB"
        )
    print(f"64 / 1000: time {figures['time_ratio']}×, peak memory {figures['memory_ratio']}×")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))  # noqa: ASYNC240 (once, at the end)


if __name__ == "__main__":
    asyncio.run(main())
