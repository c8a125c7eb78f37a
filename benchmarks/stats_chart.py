"""The /stats chart's cost to the bot: RSS of the bot process after /stats, with the chart drawn
in a worker process (now) against drawn in the bot itself (before: matplotlib imported and kept),
and the chart's wall time (from /stats sent to the photo at the fake Bot API, and the worker alone).

    .venv/bin/python -m benchmarks.stats_chart [--runs 5 --users 10000 --json out.json]

Both variants are the real bot (`python -m bot`) against the fake Bot API; "in-process" replaces
`bot.admin.chart_client.render` by the old way (draw in a thread of the bot) before it starts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

from benchmarks.harness import ROOT, seed_users, spawn, start_fake, stop, wait_polling

ADMIN = 777_000_001
IN_PROCESS = (
    "import asyncio, runpy, sys\n"
    "import bot.admin.chart_client as client\n"
    "async def render(spec, timeout=None):\n"
    "    from bot.admin.chart import draw\n"
    "    return await asyncio.to_thread(draw, spec)\n"
    "client.render = render\n"
    "sys.argv = ['bot']\n"
    "runpy.run_module('bot', run_name='__main__', alter_sys=True)\n"
)


def rss_mb(pid: int) -> float:
    return psutil.Process(pid).memory_info().rss / 2**20


async def one_variant(in_process: bool, runs: int, users: int) -> dict[str, Any]:
    fake = await start_fake()
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "bench.sqlite3"
        await seed_users(database, users)
        args = ("-c", IN_PROCESS) if in_process else ()
        process = await spawn(fake, database, *args, ADMIN_IDS=str(ADMIN))
        try:
            await wait_polling(fake)
            await asyncio.sleep(1.0)  # start-up work settles
            idle = rss_mb(process.pid)
            seconds, after = [], []
            for _ in range(runs):
                photos = sum(1 for method, _ in fake.calls if method == "sendPhoto")
                started = time.perf_counter()
                await fake.send_text(ADMIN, "/stats")
                await fake.wait_for(
                    lambda n=photos: sum(1 for m, _ in fake.calls if m == "sendPhoto") > n, 60
                )
                seconds.append(time.perf_counter() - started)
                await asyncio.sleep(0.5)  # the worker (if any) has exited; the bot is idle again
                after.append(rss_mb(process.pid))
        finally:
            await stop(process)
            await fake.stop()
    return {
        "idle_rss_mb": round(idle, 1),
        "rss_after_stats_mb": round(max(after), 1),
        "first_stats_s": round(seconds[0], 3),
        "later_stats_median_s": round(statistics.median(seconds[1:] or seconds), 3),
    }


def worker_alone(runs: int) -> float:
    """Median wall time of `python -m bot.admin.chart` on a spec with every panel."""
    spec = {
        "panels": [
            {
                "title": "Корбарон",
                "kind": "barh",
                "labels": ["Тоҷикӣ", "Русский", "English"],
                "values": [6000, 3000, 1000],
            },
            {"title": "Обуна", "kind": "barh", "labels": ["a", "b"], "values": [4000, 6000]},
            {"title": "Манъ", "kind": "barh", "labels": ["a", "b"], "values": [300, 9700]},
            {
                "title": "Ҳафта",
                "kind": "stacked",
                "labels": [f"{d:02d}.11" for d in range(1, 9)],
                "series": [
                    {"name": f"ҷой {i}", "values": [i + w for w in range(8)]} for i in range(5)
                ],
            },
            {
                "title": "Минтақа",
                "kind": "barh",
                "labels": list("abcdef"),
                "values": [5, 4, 3, 2, 1, 1],
            },
        ]
    }
    payload = json.dumps(spec).encode()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "bot.admin.chart"],
            input=payload,
            capture_output=True,
            cwd=ROOT,
            check=True,
        )
        times.append(time.perf_counter() - started)
        assert done.stdout.startswith(b"\x89PNG")
    return statistics.median(times)


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    before = await one_variant(True, args.runs, args.users)
    after = await one_variant(False, args.runs, args.users)
    return {
        "in_process": before,
        "worker": after,
        "rss_ratio_worker_to_in_process": round(
            after["rss_after_stats_mb"] / before["rss_after_stats_mb"], 2
        ),
        "worker_alone_median_s": round(worker_alone(args.runs), 3),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    figures = asyncio.run(measure(args))
    b, w = figures["in_process"], figures["worker"]
    print(
        f"bot RSS after /stats: in-process chart {b['rss_after_stats_mb']} MB (idle"
        f" {b['idle_rss_mb']}), worker {w['rss_after_stats_mb']} MB (idle {w['idle_rss_mb']})"
        f" → ratio {figures['rss_ratio_worker_to_in_process']}\n"
        f"/stats to photo: in-process first {b['first_stats_s']} s, then"
        f" {b['later_stats_median_s']} s; worker first {w['first_stats_s']} s, then"
        f" {w['later_stats_median_s']} s; worker alone {figures['worker_alone_median_s']} s"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
