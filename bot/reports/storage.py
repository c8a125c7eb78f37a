"""The reports' own SQLite file, and opening the main database around it.

Reports live in `reports.sqlite3` beside `DATABASE_PATH`: a file no other feature writes, with a
rollback journal (no WAL keeps old page images after a commit; the journal exists only while a
transaction runs), `synchronous=FULL` (a report whose receipt was shown survives a power loss)
and `secure_delete`. A seized copy of the main database, its WAL, and this file, taken at any
moment, therefore holds no order between a user's writes and a report's: they are never in
the same file or log. Stored times stay coarse (the week).
"""

from __future__ import annotations

import logging
from pathlib import Path

from bot.db import Database
from bot.reports.receipt import LEGACY_SALTS, SALT_BYTES, ReceiptSalts

log = logging.getLogger(__name__)

REPORT_MIGRATIONS = Path(__file__).with_name("migrations")
REPORTS_FILE = "reports.sqlite3"
LAST_MAIN_VERSION_WITH_REPORTS = 5  # main migration 0006 drops the old tables
_REPORT_COLUMNS = (
    "report_id, ref, lookup, reporter_key, category, oblast, urgency, status, stats_consent,"
    " week, active_week"
)
_ENTRY_COLUMNS = "entry_id, report_id, seq, kind, week, sealed_keys, body"


def reports_path(database_path: Path) -> Path:
    return database_path.with_name(REPORTS_FILE)


async def open_reports_db(path: Path) -> Database:
    return await Database(
        path, migrations=REPORT_MIGRATIONS, journal_mode="DELETE", synchronous="FULL"
    ).open()


async def open_main_db(database_path: Path) -> Database:
    """The main database, migrated; reports an older version held are moved to their own file
    first (with the salts their receipts were made with)."""
    main = await Database(database_path).open(migrate_to=LAST_MAIN_VERSION_WITH_REPORTS)
    if await main.version() <= LAST_MAIN_VERSION_WITH_REPORTS and await _has_reports(main):
        reports_db = await open_reports_db(reports_path(database_path))
        try:
            moved = await _move_reports(main, reports_db)
        finally:
            await reports_db.close()
        log.info("moved %d sealed reports to %s", moved, REPORTS_FILE)
    await main.migrate(main.latest())
    return main


async def _has_reports(main: Database) -> bool:
    if await main.fetchone("SELECT 1 FROM sqlite_master WHERE name = 'reports'") is None:
        return False
    return await main.fetchone("SELECT 1 FROM reports LIMIT 1") is not None


async def _move_reports(main: Database, reports_db: Database) -> int:
    """Copy every report with its entries, one transaction each (memory: one report at a time)."""
    await _store_salts(reports_db, LEGACY_SALTS)
    moved = 0
    for (report_id,) in await main.fetchall("SELECT report_id FROM reports"):
        report = await main.fetchone(
            f"SELECT {_REPORT_COLUMNS} FROM reports WHERE report_id = ?", (report_id,)
        )
        entries = await main.fetchall(
            f"SELECT {_ENTRY_COLUMNS} FROM report_entries WHERE report_id = ?", (report_id,)
        )
        async with reports_db.transaction() as tx:
            await tx.execute(
                f"INSERT OR IGNORE INTO reports ({_REPORT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                tuple(report),
            )
            await tx.executemany(
                f"INSERT OR IGNORE INTO report_entries ({_ENTRY_COLUMNS}) VALUES (?,?,?,?,?,?,?)",
                [tuple(entry) for entry in entries],
            )
        moved += 1
    return moved


async def _store_salts(reports_db: Database, salts: ReceiptSalts) -> None:
    """Keep these salts unless the file has its own already (never replaced once drawn)."""
    async with reports_db.transaction() as tx:
        for item, value in (("lookup_salt", salts.lookup), ("keypair_salt", salts.keypair)):
            await tx.execute(
                "INSERT OR IGNORE INTO report_meta (item, value) VALUES (?, ?)", (item, value)
            )


async def deployment_salts(reports_db: Database) -> ReceiptSalts:
    """This deployment's receipt salts: drawn at random on first start, then kept."""
    await _store_salts(reports_db, ReceiptSalts.random())
    rows = dict(await reports_db.fetchall("SELECT item, value FROM report_meta"))
    lookup, keypair = bytes(rows["lookup_salt"]), bytes(rows["keypair_salt"])
    if len(lookup) != SALT_BYTES or len(keypair) != SALT_BYTES:
        raise RuntimeError(f"{REPORTS_FILE}: the receipt salts are damaged")
    return ReceiptSalts(lookup, keypair)
