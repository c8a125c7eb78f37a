"""One bot process per database: a second start, or a restore, while the bot runs is refused in
one line; the lock goes with the process, also after kill -9."""

from __future__ import annotations

import argparse
import asyncio
import signal

import pytest

from bot.backup import restore_command
from bot.config import ConfigError
from bot.instance import InstanceLock
from tests.processes import CHILD_START_S, spawn_bot

pytestmark = pytest.mark.timeout(90)


async def test_a_second_process_on_the_same_data_is_refused(fake, tmp_path, monkeypatch) -> None:
    first = await spawn_bot(fake.base_url, tmp_path)
    try:
        await fake.wait_for(lambda: any(m == "getUpdates" for m, _ in fake.calls), CHILD_START_S)
        second = await spawn_bot(fake.base_url, tmp_path)
        _out, err = await asyncio.wait_for(second.communicate(), 40)
        assert second.returncode == 2
        assert err.decode().strip().splitlines() == [
            f"Configuration error: DATABASE_PATH: another bot process is running on {tmp_path};"
            " stop it before you run (one bot process per database)"
        ]
        monkeypatch.setenv("BOT_TOKEN", "123456:ABCdef")
        monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "bot.sqlite3"))
        monkeypatch.chdir(tmp_path)
        with pytest.raises(ConfigError, match="before you restore"):
            restore_command(argparse.Namespace(backup=str(tmp_path / "backup-20260101T000000Z")))
    finally:
        first.send_signal(signal.SIGKILL)
        await first.wait()
    # kill -9 left the lock file, but not the lock.
    assert (tmp_path / "bot.sqlite3.lock").exists()
    with InstanceLock(tmp_path / "bot.sqlite3").acquire():
        pass
