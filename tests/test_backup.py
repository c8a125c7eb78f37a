"""Backups: a consistent copy while the bot runs, a restore that brings every report back, and
rotation so that no copy outlives REPORT_RETENTION_DAYS."""

from __future__ import annotations

import argparse
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.backup import backup, backup_command, backups, restore, rotate
from bot.config import ConfigError
from bot.reports.storage import REPORTS_FILE
from tests.conftest import TOKEN
from tests.reports_helpers import Trustee, full_report, start_reports_bot

USER = 5_550_100_001
MOMENT = datetime(2026, 4, 15, 8, 0, tzinfo=UTC)


async def test_backup_while_running_then_restore_brings_the_report_back(
    unlimited_fake, tmp_path: Path, trustee: Trustee
) -> None:
    data, target = tmp_path / "data", tmp_path / "backups"
    bot = await start_reports_bot(unlimited_fake, data, trustee)
    try:
        receipt = await full_report(bot, USER)
        await bot.say(USER, receipt)
        result = backup(bot.settings.database_path, target, keep_days=7, now=MOMENT)
    finally:
        await bot.stop()
    assert result.files == ("bot.sqlite3", REPORTS_FILE)
    assert stat.S_IMODE(result.folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in result.folder.iterdir())
    assert sorted(p.name for p in result.folder.iterdir()) == ["bot.sqlite3", REPORTS_FILE]

    for leftover in data.iterdir():  # the server's disk is lost
        leftover.unlink()
    restored = restore(result.folder, data / "bot.sqlite3")
    assert {p.name for p in restored} == {"bot.sqlite3", REPORTS_FILE}

    bot = await start_reports_bot(unlimited_fake, data, trustee)
    try:
        await bot.say(USER, "/start")
        assert "English" not in bot.buttons(USER)  # the person's language came back too
        await bot.tap(USER, "Check my report")
        shown = await bot.say(USER, receipt)
        assert "Status" in shown.text
    finally:
        await bot.stop()


def _make(target: Path, made: datetime) -> Path:
    folder = target / f"backup-{made.strftime('%Y%m%dT%H%M%SZ')}"
    folder.mkdir(parents=True)
    sqlite3.connect(folder / "bot.sqlite3").close()
    return folder


def test_rotation_keeps_only_the_last_days_and_drops_unfinished_copies(tmp_path) -> None:
    for days in (0, 1, 6, 7.5, 30):
        _make(tmp_path, MOMENT - timedelta(days=days))
    (tmp_path / "backup-20260101T000000Z.partial").mkdir()
    (tmp_path / "notes.txt").write_text("operator's file")
    removed = rotate(tmp_path, 7, MOMENT)
    assert len(removed) == 2
    assert [made for made, _ in backups(tmp_path)] == [
        MOMENT - timedelta(days=6),
        MOMENT - timedelta(days=1),
        MOMENT,
    ]
    assert (tmp_path / "notes.txt").exists()
    assert not list(tmp_path.glob("*.partial"))


def test_keep_days_cannot_outlive_the_reports_retention(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "bot.sqlite3"))
    monkeypatch.setenv("REPORT_RETENTION_DAYS", "30")
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    args = argparse.Namespace(to=str(tmp_path / "b"), keep_days=31)
    with pytest.raises(ConfigError, match="longer than REPORT_RETENTION_DAYS"):
        backup_command(args)
    with pytest.raises(ConfigError, match="no database"):
        backup_command(argparse.Namespace(to=str(tmp_path / "b"), keep_days=30))


def test_restore_refuses_what_is_not_a_sound_backup(tmp_path) -> None:
    with pytest.raises(ConfigError, match="not a backup folder"):
        restore(tmp_path, tmp_path / "data" / "bot.sqlite3")
    broken = _make(tmp_path / "b", MOMENT)
    (broken / "bot.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    live = tmp_path / "data" / "bot.sqlite3"
    live.parent.mkdir()
    sqlite3.connect(live).execute("CREATE TABLE kept (x)").connection.close()
    with pytest.raises(ConfigError, match="failed its integrity check"):
        restore(broken, live)
    with sqlite3.connect(live) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("kept",)]
