"""Update throughput and latency end to end, as ratios to two bare aiogram bots: the echo bot,
and the same-work baseline (benchmarks/replay_bot.py: the very Bot API calls our bot made for
each step, recorded in the same run, and no logic), whose ratio is our own overhead.

The bot runs as in production (`python -m bot`, long polling over HTTP) in a child process; the
fake Bot API server runs in this process on 127.0.0.1 with its flood limits OFF. Virtual users
each wait for the answer before their next step. Two measurements per bot:
- saturation: N updates from M users as fast as the bot answers → updates/s, p50/p99;
- paced: updates at a fixed rate (default 200/s) → p50/p99 latency.
The echo bot (benchmarks/echo_bot.py) runs the same steps on the same fake.

    python -m benchmarks.throughput [--updates 5000 --users 1000 --rate 200 --json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from benchmarks.harness import (
    SCRIPTS,
    Driver,
    Recorder,
    User,
    cpu_s,
    make_users,
    menu_script,
    spawn,
    start_fake,
    stop,
    wait_polling,
)

WARM_UP_USERS = 100
BOT = ("-m", "bot")
ECHO = ("-m", "benchmarks.echo_bot")
REPLAY = ("-m", "benchmarks.replay_bot")


async def run_load(
    command: tuple[str, ...],
    *,
    users: int,
    updates: int,
    rate: float,
    paced_updates: int,
    screen_complete: bool,
    scenario: str = "menu",
    prepare_db: Callable[[Path], Awaitable[None]] | None = None,
    first_user_id: int = 1,
    on_started: Callable[[int], None] | None = None,
    recorder: Recorder | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Start `command` against a fresh fake, warm it up, run saturation and paced loads."""
    fake = await start_fake()
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "bench.sqlite3"
        if prepare_db is not None:
            await prepare_db(database)
        process = await spawn(fake, database, *command, **(env or {}))
        try:
            await wait_polling(fake)
            if on_started is not None:
                on_started(process.pid)
            driver = Driver(fake, screen_complete=screen_complete, recorder=recorder)
            await driver.closed_loop(make_users(WARM_UP_USERS, 9_000_000, menu_script), 3)
            script = SCRIPTS[scenario]
            loaded = make_users(users, first_user_id, script)
            paced_users = make_users(users, 5_000_000, script)
            if script(0)[0][0] != "text":  # taps only: everyone first has a screen to tap on
                await prelude(driver, loaded + paced_users)
            cpu_before = cpu_s(process.pid)
            saturated = await driver.closed_loop(loaded, max(1, updates // users))
            cpu_ms = (
                (cpu_s(process.pid) - cpu_before) * 1000 / max(saturated.summary()["updates"], 1)
            )
            paced = await driver.paced(paced_users, rate, paced_updates)
        finally:
            stderr = await stop(process)
            await fake.stop()
    return {
        "saturated": saturated.summary() | {"cpu_ms_per_update": cpu_ms},
        "paced": paced.summary() | {"rate": rate},
        "child_error_lines": sum("ERROR" in line for line in stderr.splitlines()),
    }


async def prelude(driver: Driver, users: list[User]) -> None:
    """Each user sends /start once, unmeasured, so their taps land on a screen of the bot."""
    scripts = [(u.steps, u.position) for u in users]
    for user in users:
        user.steps, user.position = [("text", "/start")], 0
    await driver.closed_loop(users, 1)
    for user, (steps, position) in zip(users, scripts, strict=True):
        user.steps, user.position = steps, position


def report(name: str, figures: dict[str, Any]) -> None:
    s, p = figures["saturated"], figures["paced"]
    print(
        f"{name:<10} saturated: {s['updates']:>6} updates  {s['updates_per_s']:8.1f} upd/s  "
        f"p50 {s['p50_ms']:7.1f} ms  p99 {s['p99_ms']:7.1f} ms  timeouts {s['timeouts']}  "
        f"CPU {s['cpu_ms_per_update']:.2f} ms/update"
    )
    print(
        f"{'':<10} paced {p['rate']:.0f}/s: {p['updates']:>5} updates  "
        f"p50 {p['p50_ms']:7.1f} ms  p99 {p['p99_ms']:7.1f} ms  late {p['late_starts']}  "
        f"timeouts {p['timeouts']}  child ERROR lines {figures['child_error_lines']}"
    )


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    common = dict(
        users=args.users, updates=args.updates, rate=args.rate, paced_updates=args.paced_updates
    )
    echo = await run_load(ECHO, screen_complete=False, **common)
    report("echo", echo)
    figures: dict[str, Any] = {"echo": echo}
    for scenario in args.scenarios:
        recorder = Recorder()
        ours = await run_load(
            BOT, screen_complete=True, scenario=scenario, recorder=recorder, **common
        )
        report(f"bot/{scenario}", ours)
        with tempfile.TemporaryDirectory() as tmp:
            calls = Path(tmp) / "calls.json"
            calls.write_text(json.dumps(recorder.finish()))
            same = await run_load(
                REPLAY,
                screen_complete=True,
                scenario=scenario,
                env={"REPLAY_CALLS": str(calls)},
                **common,
            )
        report(f"same-work/{scenario}", same)
        rate_ours = ours["saturated"]["updates_per_s"]
        ratio = rate_ours / same["saturated"]["updates_per_s"]
        echo_ratio = rate_ours / echo["saturated"]["updates_per_s"]
        p99 = ours["paced"]["p99_ms"]
        cpu_ratio = same["saturated"]["cpu_ms_per_update"] / ours["saturated"]["cpu_ms_per_update"]
        print(
            f"{scenario}: ratio to the same-work baseline {ratio:.2f} (goal ≥ 0.8; by CPU per"
            f" update {cpu_ratio:.2f}), "
            f"to the echo bot {echo_ratio:.2f}; p99 at {args.rate:.0f}/s {p99:.1f} ms "
            f"(goal < 50 ms); calls per step recorded for {len(recorder.calls)} kinds of step"
        )
        figures[scenario] = ours | {
            "same_work": same,
            "ratio_same_work": ratio,
            "cpu_ratio_same_work": cpu_ratio,
            "ratio_echo": echo_ratio,
            "goals": {"ratio_ge_0_8": ratio >= 0.8, "paced_p99_lt_50ms": p99 < 50},
        }
    return figures


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--updates", type=int, default=5000)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--paced-updates", type=int, default=2000)
    parser.add_argument("--scenarios", nargs="+", choices=sorted(SCRIPTS), default=["menu", "faq"])
    parser.add_argument("--json", type=Path, help="also write the figures here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    figures = asyncio.run(main_async(args))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
