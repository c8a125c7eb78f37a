"""A seized server, tried as an attacker would: copies of every database file taken at several
moments while people chat, change language and report; and the logs of a whole report with
every logger at DEBUG."""

from __future__ import annotations

import io
import logging
import re
import shutil
import sqlite3
import struct
from pathlib import Path

from bot.logging_setup import setup_logging
from bot.reports.storage import REPORTS_FILE
from devtools.fake_telegram import FakeTelegram
from tests.conftest import TOKEN, RunningBot
from tests.reports_helpers import (
    DESCRIPTION,
    PHOTO,
    Trustee,
    full_report,
    start_reports_bot,
)

REPORTER, CHATTER = 5_550_007_001, 5_550_007_002
FIRST_UPDATE_ID = 731_000_000  # distinctive, so a leaked update id would be found


def identity_patterns(user_id: int) -> list[bytes]:
    return [str(user_id).encode(), struct.pack("<q", user_id), struct.pack(">q", user_id)]


def wal_commits(path: Path) -> int:
    """Commit frames in a SQLite WAL file (frame header: page number, then the database size
    after the commit, which is non-zero only on a commit frame)."""
    if not path.exists() or path.stat().st_size < 32:
        return 0
    data = path.read_bytes()
    page_size = struct.unpack(">I", data[8:12])[0]
    salt = data[16:24]
    commits, offset = 0, 32
    while offset + 24 + page_size <= len(data):
        _page, size_after = struct.unpack(">II", data[offset : offset + 8])
        if data[offset + 8 : offset + 16] != salt:
            break  # frames of an older WAL generation
        commits += size_after != 0
        offset += 24 + page_size
    return commits


class Seizures:
    """Copies of the data folder, as the security service would take them."""

    def __init__(self, bot: RunningBot, into: Path) -> None:
        self.folder = Path(bot.settings.database_path).parent
        self.into = into
        self.taken: list[Path] = []

    def take(self) -> Path:
        copy = self.into / f"seizure-{len(self.taken)}"
        copy.mkdir(parents=True)
        for path in self.folder.iterdir():
            if ".sqlite3" in path.name:
                shutil.copy2(path, copy / path.name)
        self.taken.append(copy)
        return copy


async def test_seized_files_at_any_moment_link_no_user_to_a_report(
    unlimited_fake: FakeTelegram, tmp_path: Path, trustee: Trustee
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    bot = await start_reports_bot(unlimited_fake, data, trustee)
    seizures = Seizures(bot, tmp_path / "seized")
    try:
        # Both people are known to the bot before anything happens.
        for user in (REPORTER, CHATTER):
            await bot.say(user, "/start")
            await bot.tap(user, "English")
        seizures.take()
        main_wal = data / "bot.sqlite3-wal"
        before = bot.services.db.conn.total_changes, wal_commits(main_wal)
        # The chatter changes language and asks questions while the reporter reports.
        await bot.say(CHATTER, "/language")
        await bot.tap(CHATTER, "Русский")
        seizures.take()
        changed_by_chatter = bot.services.db.conn.total_changes - before[0]
        assert changed_by_chatter == 1  # the language choice: one row, written once
        mid = bot.services.db.conn.total_changes, wal_commits(main_wal)
        receipt = await full_report(bot, REPORTER)
        seizures.take()
        await bot.say(REPORTER, receipt)
        await bot.say(CHATTER, "what is torture")
        seizures.take()
        # A known person's whole report wrote nothing to the main database, not even their row.
        assert bot.services.db.conn.total_changes == mid[0]
        assert wal_commits(main_wal) == mid[1]
        refs = [r.ref for r in await bot.services.reports.store.list()]
        assert len(refs) == 1
    finally:
        await bot.stop()
    seizures.take()  # after shutdown too

    for copy in seizures.taken:
        main = b"".join(p.read_bytes() for p in copy.glob("bot.sqlite3*"))
        reports = b"".join(p.read_bytes() for p in copy.glob(REPORTS_FILE + "*"))
        # The main database (and its WAL) holds nothing of a report, not even its reference
        # or its tables; the reports' file holds no user, and never a WAL.
        assert refs[0].encode() not in main
        conn = sqlite3.connect(copy / "bot.sqlite3")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        conn.close()
        assert not {"reports", "report_entries"} & tables
        for user in (REPORTER, CHATTER):
            for pattern in identity_patterns(user):
                assert pattern not in reports, (copy.name, user)
        assert not (copy / (REPORTS_FILE + "-wal")).exists()
        for secret in (DESCRIPTION.encode(), PHOTO[:64], receipt.encode()):
            assert secret not in main and secret not in reports
    # After the last commit no journal is left beside the reports.
    assert not (seizures.taken[-1] / (REPORTS_FILE + "-journal")).exists()


async def test_every_logger_at_debug_through_a_whole_report_names_nobody(
    unlimited_fake: FakeTelegram, tmp_path: Path, trustee: Trustee
) -> None:
    unlimited_fake._queue(TOKEN).next_id = FIRST_UPDATE_ID
    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.level, list(root.handlers)
    setup_logging("DEBUG", stream=stream)  # LOG_LEVEL=DEBUG, as an operator may set it
    try:
        bot = await start_reports_bot(unlimited_fake, tmp_path, trustee)
        try:
            receipt = await full_report(bot, REPORTER)
            await bot.say(REPORTER, receipt)
            await bot.say(REPORTER, "/menu")
            refs = [r.ref for r in await bot.services.reports.store.list()]
        finally:
            await bot.stop()
    finally:
        root.handlers[:] = saved[1]
        root.setLevel(saved[0])
    logged = stream.getvalue()
    assert "bot started" in logged  # the bot's own DEBUG/INFO lines are there
    assert "aiosqlite" not in logged and "INSERT" not in logged  # SQL with values: never
    assert "Update id" not in logged and "is handled" not in logged  # aiogram's timing lines
    assert "Zebrasafari" not in logged and DESCRIPTION[:30] not in logged
    assert receipt not in logged and receipt[:4] + " " + receipt[4:8] not in logged
    assert str(REPORTER) not in logged
    assert not re.search(rf"{FIRST_UPDATE_ID // 1000}\d{{3}}", logged)
    assert refs and refs[0] not in logged
