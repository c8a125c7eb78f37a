"""`python -m bot healthcheck`: true (the running bot's heartbeat says Telegram answered lately)
and cheap (no aiogram, no settings model, no database)."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import pytest

from bot.heartbeat import Heartbeat, heartbeat_path, read_age
from tests.processes import ROOT, bot_env, run_captured, spawn_bot

pytestmark = pytest.mark.timeout(90)
INTERVAL = "0.2"  # HEARTBEAT_SECONDS: stale after 4 × 0.2 s, at least 1 s


def healthcheck(env: dict[str, str], cwd: Path) -> tuple[int, str]:
    result = run_captured(
        [sys.executable, "-m", "bot", "healthcheck"],
        cwd=cwd,
        env=env,
        timeout=30,
    )
    return result.returncode, (result.stdout + result.stderr).strip()


async def test_the_check_follows_the_bots_contact_with_telegram(fake, tmp_path) -> None:
    env = bot_env(fake.base_url, tmp_path, heartbeat_seconds=INTERVAL)
    assert healthcheck(env, tmp_path) == (
        1,
        "unhealthy: no heartbeat yet (the bot has not reached Telegram since it started)",
    )
    process = await spawn_bot(fake.base_url, tmp_path, heartbeat_seconds=INTERVAL)
    beat = heartbeat_path(tmp_path / "bot.sqlite3")
    try:
        await fake.wait_for(beat.exists, 40)
        code, line = healthcheck(env, tmp_path)
        assert code == 0 and line.startswith("healthy: Telegram answered"), line
        fake.set_faults("error502", methods=["getUpdates"])  # Telegram is gone for the bot
        # A message ends the long poll in flight (its last good answer); then the beat ages.
        await fake.send_text(5002, "/start")
        await fake.wait_for(lambda: (read_age(beat) or 0) > 1.5, 40)
        code, line = healthcheck(env, tmp_path)
        assert code == 1 and line.startswith("unhealthy: Telegram last answered"), line
        fake.set_faults(None)
        await fake.wait_for(lambda: (read_age(beat) or 99) < 0.5, 30)
        assert healthcheck(env, tmp_path)[0] == 0  # back
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 30)
    finally:
        if process.returncode is None:
            process.kill()
    assert not beat.exists()  # a stopped bot leaves no heartbeat behind
    assert healthcheck(env, tmp_path)[0] == 1


def test_the_check_imports_no_heavy_library_and_opens_no_database(tmp_path) -> None:
    code = (
        "import runpy, sys\n"
        "sys.argv = ['bot', 'healthcheck']\n"
        "try:\n"
        "    runpy.run_module('bot', run_name='__main__', alter_sys=True)\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'aiogram', 'aiohttp', 'pydantic', 'pydantic_settings', 'aiosqlite', 'sqlite3',"
        " 'yaml', 'nacl', 'babel', 'matplotlib'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    result = run_captured(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DATABASE_PATH": "x.sqlite3"},
        timeout=30,
    )
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr
    assert not (tmp_path / "x.sqlite3").exists()


async def test_with_a_webhook_the_bot_asks_telegram_itself(tmp_path) -> None:
    answers = [True, True]
    silent = asyncio.Event()

    async def probe() -> None:
        if answers:
            answers.pop(0)
            return
        silent.set()
        raise ConnectionError("no answer")

    heartbeat = Heartbeat(tmp_path / "bot.sqlite3.heartbeat", interval=0.05)
    task = asyncio.create_task(heartbeat.run(probe))
    try:
        for _ in range(100):
            if heartbeat.path.exists():
                break
            await asyncio.sleep(0.01)
        assert heartbeat.recent() and read_age(heartbeat.path) is not None
        await asyncio.wait_for(silent.wait(), 5)
        await asyncio.sleep(1.1)  # longer than the stale limit (at least 1 s)
        assert not heartbeat.recent()
    finally:
        task.cancel()


async def test_a_write_under_way_when_the_bot_stops_leaves_no_heartbeat(tmp_path) -> None:
    """The writer's thread can be mid-write when the stop cancels the heartbeat task: the stop
    waits for it before removing the file, so no heartbeat survives the bot."""
    import threading

    started, release = threading.Event(), threading.Event()
    heartbeat = Heartbeat(tmp_path / "bot.sqlite3.heartbeat", interval=0.05)
    real_write = heartbeat.write

    def slow_write() -> None:
        started.set()
        release.wait(10)
        real_write()

    heartbeat.write = slow_write  # type: ignore[method-assign]
    heartbeat.contact()
    task = asyncio.create_task(heartbeat.run())
    assert await asyncio.to_thread(started.wait, 10)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    waited = asyncio.create_task(heartbeat.written())
    await asyncio.sleep(0)
    assert not waited.done()  # the write is still in its thread
    release.set()
    await waited
    heartbeat.path.unlink(missing_ok=True)  # as the stop does, after waiting
    assert not heartbeat.path.exists()
