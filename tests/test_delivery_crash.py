"""kill -9 in the middle of a broadcast: a new process on the same database finishes it,
nobody is lost, and duplicates are at most the messages that were in flight at the kill."""

from __future__ import annotations

import asyncio
import os
import signal
from collections import Counter
from pathlib import Path

from bot.app import create_app
from bot.delivery import Audience, DeliveryEngine, OutgoingMessage
from bot.delivery.engine import RECORD_BATCH, default_concurrency
from devtools.delivery_worker import spawn_worker
from devtools.fake_telegram import FakeTelegram, RateLimits
from tests.conftest import QUIET_MOMENT, TOKEN, make_settings, quiet_clock
from tests.test_delivery_engine import add_users

RATE = 200.0
ROOT = str(Path(__file__).resolve().parent.parent)


async def spawn(db: Path, fake: FakeTelegram) -> asyncio.subprocess.Process:
    proc = await spawn_worker(db, fake.base_url, TOKEN, RATE, Path(ROOT), QUIET_MOMENT)
    assert proc.stdout is not None
    assert (await asyncio.wait_for(proc.stdout.readline(), 20)).strip() == b"started"
    return proc


def delivered(fake: FakeTelegram, ids: list[int]) -> Counter:
    return Counter({uid: len(fake.bot_messages(uid)) for uid in ids})


async def test_kill_9_midway_then_restart_completes_with_bounded_duplicates(tmp_path: Path) -> None:
    limits = RateLimits(global_per_second=300)
    async with FakeTelegram(token=TOKEN, rate_limits=limits) as fake:
        settings = make_settings(tmp_path, fake.base_url)
        services = await create_app(settings, clock=quiet_clock())
        ids = await add_users(services, 1000)
        engine = DeliveryEngine(services.db, services.users, settings, services.now, rate=RATE)
        delivery_id = await engine.enqueue(
            kind="broadcast",
            dedupe_key="crash",
            versions={"ru": OutgoingMessage(text="Hi")},
            audience=Audience(subscribers=True),
        )
        await services.db.close()
        db = settings.database_path

        first = await spawn(db, fake)
        await fake.wait_for(lambda: sum(delivered(fake, ids).values()) >= 300, timeout=20)
        os.kill(first.pid, signal.SIGKILL)
        await first.wait()
        at_kill = sum(delivered(fake, ids).values())
        assert at_kill < 1000, "the kill came too late to test anything"

        second = await spawn(db, fake)
        out, _ = await asyncio.wait_for(second.communicate(), 30)
        assert second.returncode == 0, out

        counts = delivered(fake, ids)
        assert all(counts[uid] >= 1 for uid in ids), "a recipient was lost"
        duplicates = sum(n - 1 for n in counts.values())
        assert duplicates <= default_concurrency(RATE) + RECORD_BATCH
        assert fake.stats.sent_during_retry_after == 0

        services = await create_app(settings, clock=quiet_clock())
        progress = await services.delivery.progress(delivery_id)
        await services.db.close()
        assert (progress.state, progress.sent, progress.left) == ("done", 1000, 0)
