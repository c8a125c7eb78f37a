"""SQLite storage: one aiosqlite connection per file, foreign keys, numbered migrations.

The main database (`DATABASE_PATH`: users, admins, deliveries, campaigns) runs in WAL mode. The
sealed reports live in a file of their own (bot/reports/storage.py) with a rollback journal and
`synchronous=FULL`, so no write of the main database ever sits in the same file or log as a
report's, and a committed report survives a power loss.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

_CHECKPOINT_TRIES = 10  # a busy connection frees within milliseconds
log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def migration_files(folder: Path = MIGRATIONS_DIR) -> list[tuple[int, Path]]:
    """The numbered `NNNN_name.sql` files, in order; each number is used once."""
    found = sorted((int(p.name.split("_", 1)[0]), p) for p in folder.glob("[0-9]*_*.sql"))
    numbers = [number for number, _path in found]
    if len(set(numbers)) != len(numbers):
        raise RuntimeError(f"two migrations share a number: {numbers}")
    return found


LATEST_VERSION = migration_files()[-1][0]


class Database:
    """One SQLite file. One connection; writes are serialised by `transaction()`.

    Defaults are the main database's: WAL (readers and the writer apart; NORMAL sync survives a
    killed process, since committed pages are in the WAL). secure_delete overwrites freed pages.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        migrations: Path = MIGRATIONS_DIR,
        journal_mode: str = "WAL",
        synchronous: str = "NORMAL",
    ) -> None:
        self.path = Path(path) if str(path) != ":memory:" else path
        self.migrations = migrations
        self.journal_mode = journal_mode
        self.synchronous = synchronous
        self._conn: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def open(self, *, migrate_to: int | None = None) -> Database:
        if isinstance(self.path, Path):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = await aiosqlite.connect(str(self.path), isolation_level=None)
        self._conn.row_factory = aiosqlite.Row
        for pragma in (
            f"PRAGMA journal_mode={self.journal_mode}",
            "PRAGMA foreign_keys=ON",
            f"PRAGMA synchronous={self.synchronous}",
            "PRAGMA secure_delete=ON",
            "PRAGMA busy_timeout=5000",
        ):
            await self._conn.execute(pragma)
        await self.migrate(self.latest() if migrate_to is None else migrate_to)
        return self

    def latest(self) -> int:
        """The number of this database's newest migration file."""
        return migration_files(self.migrations)[-1][0]

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def version(self) -> int:
        async with self.conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self, target: int) -> None:
        """Apply every migration above the stored `user_version`, each in its own transaction."""
        current = await self.version()
        for number, path in migration_files(self.migrations):
            if current < number <= target:
                async with self.transaction() as conn:
                    await conn.executescript_in_tx(path.read_text(encoding="utf-8"))
                    await conn.execute(f"PRAGMA user_version={number}")
                log.info("database migrated to version %d (%s)", number, path.stem)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_Tx]:
        """BEGIN IMMEDIATE … COMMIT, serialised among this process's writers."""
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield _Tx(self.conn)
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            await self.conn.execute("COMMIT")

    async def checkpoint(self) -> bool:
        """Copy the write-ahead log into the file and truncate it (deleted rows' old copies go
        with it); True if the log is empty now. Outside any transaction of this process.

        A read of another task still stepping on this connection makes SQLite refuse with
        "table is locked": then try again shortly, and report False if it never got through
        (the caller's next run checkpoints again)."""
        for attempt in range(_CHECKPOINT_TRIES):
            try:
                async with (
                    self._write_lock,
                    self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cur,
                ):
                    row = await cur.fetchone()
            except sqlite3.OperationalError:
                await asyncio.sleep(0.02 * (attempt + 1))
                continue
            return row is not None and int(row[0]) == 0
        log.warning("database: the write-ahead log could not be emptied now; tried again later")
        return False

    async def fetchone(self, sql: str, params: tuple | dict = ()) -> aiosqlite.Row | None:
        async with self.conn.execute(sql, params) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: tuple | dict = ()) -> list[aiosqlite.Row]:
        # The statement, its rows and the cursor's end in one trip to SQLite's thread
        # (`execute` as a context manager takes three: the statement, the rows, the close).
        return list(await self.conn.execute_fetchall(sql, params))

    async def write_returning(self, sql: str, params: tuple | dict = ()) -> aiosqlite.Row | None:
        """One write statement with a RETURNING clause, committed on its own (the connection is
        in autocommit mode): one round trip to SQLite's thread instead of BEGIN, the write,
        COMMIT and a read back. Serialised with the transactions like every writer."""
        async with self._write_lock:
            rows = await self.conn.execute_fetchall(sql, params)  # one trip, not three
        return next(iter(rows), None)

    async def execute(self, sql: str, params: tuple | dict = ()) -> int:
        """One write statement in its own transaction; returns the number of changed rows."""
        async with self.transaction() as tx:
            return await tx.execute(sql, params)


class _Tx:
    """The handle given inside `Database.transaction()`."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: tuple | dict = ()) -> int:
        async with self._conn.execute(sql, params) as cur:
            return cur.rowcount

    async def executemany(self, sql: str, rows: list[tuple]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: tuple | dict = ()) -> aiosqlite.Row | None:
        async with self._conn.execute(sql, params) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: tuple | dict = ()) -> list[aiosqlite.Row]:
        async with self._conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def executescript_in_tx(self, script: str) -> None:
        # executescript() would COMMIT first; run statement by statement inside our transaction.
        for statement in _split_sql(script):
            await self._conn.execute(statement)


def _split_sql(script: str) -> list[str]:
    import sqlite3

    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not buffer.strip().startswith("--"):
        statements.append(buffer.strip())
    return statements
