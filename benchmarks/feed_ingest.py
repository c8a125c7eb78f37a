"""The feed job's cost: 100 articles from a local website, ingested (fetch, extract, clean,
page, store, index) against a baseline in the same run: fetching the same feed and pages with
the same client and concurrency, without extraction or storing.

Each mode runs in a fresh child process (the same imports in both), the website in this one;
the child reports its wall time for the work and its peak RSS.

    .venv/bin/python -m benchmarks.feed_ingest [--articles 100] [--runs 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from devtools.feed_site import FeedSite, SiteArticle

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import asyncio, contextlib, json, resource, sys, time
import psutil
from pathlib import Path
import aiohttp
from bot.app import create_app
from bot.articles.extract import parse_feed
from bot.articles.fetch import FEED_LIMIT, PAGE_LIMIT
from bot.articles.service import FETCH_CONCURRENCY
from bot.clock import system_clock
from bot.config import load_settings

mode, feed_url, folder = sys.argv[1], sys.argv[2], Path(sys.argv[3])

async def main():
    settings = load_settings(_env_file=None, bot_token="1:x", database_path=folder / "b.sqlite3",
                             feed_urls=f"en={feed_url}")
    app = await create_app(settings, clock=system_clock)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    lag = 0.0
    worker = 0
    me = psutil.Process()
    async def watch():  # how late a 10 ms timer fires: what an update would wait meanwhile
        nonlocal lag, worker
        ticks = 0
        while True:
            at = time.perf_counter()
            await asyncio.sleep(0.01)
            lag = max(lag, time.perf_counter() - at - 0.01)
            ticks += 1
            if ticks % 5 == 0:  # the extractor's worker process, sampled every 50 ms
                with contextlib.suppress(psutil.Error):
                    worker = max(worker, sum(c.memory_info().rss for c in me.children()))
    watcher = asyncio.create_task(watch())
    started = time.perf_counter()
    if mode == "ingest":
        result = await app.articles.poll()
        count = result.stored
    else:  # baseline: the same requests, nothing else
        fetcher = app.articles.fetcher
        async with fetcher.session() as http:
            feed = parse_feed(await fetcher.get(http, feed_url, FEED_LIMIT))
            gate = asyncio.Semaphore(FETCH_CONCURRENCY)
            async def one(item):
                async with gate:
                    return len(await fetcher.get(http, item.url, PAGE_LIMIT))
            sizes = await asyncio.gather(*(one(item) for item in feed.items))
        count = len(sizes)
    seconds = time.perf_counter() - started
    watcher.cancel()
    await app.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"count": count, "seconds": seconds, "peak_mb": peak / 1024,
                      "before_mb": before / 1024, "lag_ms": lag * 1000,
                      "worker_mb": worker / 1024 / 1024}))

asyncio.run(main())
"""


def paragraph(article: int, number: int) -> str:
    return (
        f"<p>Report {article}, part {number}: the monitors of the Coalition visited the detention"
        " facility, spoke with the detainees and their families, and recorded what they saw."
        " <b>The lawyer</b> filed a complaint with the prosecutor, asking for a medical"
        " examination and an <a href='/docs/complaint.pdf'>independent investigation</a>."
        " The family was informed, and the case remains open.</p>"
    )


def website(articles: int) -> FeedSite:
    site = FeedSite()
    for number in range(articles):
        body = "".join(paragraph(number, part) for part in range(12))  # ~5,000 characters
        site.add(
            "en",
            SiteArticle(
                slug=f"report-{number}",
                title=f"Monitoring report number {number}",
                body_html=body,
                summary="A monitoring report.",
                images=(f"/img/{number}.jpg",),
            ),
        )
    return site


def run_child(mode: str, feed_url: str) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, mode, feed_url, folder],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


async def measure(articles: int, runs: int) -> dict:
    site = website(articles)
    await site.start()
    try:
        feed_url = site.feed_url("en")
        results: dict[str, list[dict]] = {"baseline": [], "ingest": []}
        for _run in range(runs):
            for mode in ("baseline", "ingest"):
                results[mode].append(await asyncio.to_thread(run_child, mode, feed_url))
    finally:
        await site.stop()
    summary = {}
    for mode, rows in results.items():
        summary[mode] = {
            "count": rows[0]["count"],
            "seconds_median": statistics.median(r["seconds"] for r in rows),
            "peak_mb_max": max(r["peak_mb"] for r in rows),
            "worker_mb_max": max(r["worker_mb"] for r in rows),
            "total_mb_max": max(r["peak_mb"] + r["worker_mb"] for r in rows),
            "work_mb_max": max(r["peak_mb"] - r["before_mb"] for r in rows),
            "loop_lag_ms_max": max(r["lag_ms"] for r in rows),
        }
    base, ingest = summary["baseline"], summary["ingest"]
    summary["time_ratio"] = ingest["seconds_median"] / base["seconds_median"]
    summary["peak_ratio"] = ingest["total_mb_max"] / base["total_mb_max"]
    summary["articles"] = articles
    return summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json")
    args = parser.parse_args()
    summary = asyncio.run(measure(args.articles, args.runs))
    base, ingest = summary["baseline"], summary["ingest"]
    print(
        f"{args.articles} articles: ingest {ingest['seconds_median']:.2f} s"
        f" ({ingest['count']} stored), baseline fetch only {base['seconds_median']:.2f} s"
        f" → time ×{summary['time_ratio']:.1f}; peak RSS bot {ingest['peak_mb_max']:.0f} MB +"
        f" extractor worker {ingest['worker_mb_max']:.0f} MB vs {base['total_mb_max']:.0f} MB"
        f" → ×{summary['peak_ratio']:.2f}"
        f" (work: +{ingest['work_mb_max']:.0f} MB vs +{base['work_mb_max']:.0f} MB);"
        f" event loop late by at most {ingest['loop_lag_ms_max']:.0f} ms"
        f" (baseline {base['loop_lag_ms_max']:.0f} ms)"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
