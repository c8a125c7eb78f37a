"""`python -m bot backup` and `python -m bot restore`: consistent online copies of the databases.

A backup is a folder `<target>/backup-YYYYMMDDTHHMMSSZ/` holding the main database and the sealed
reports' file, each copied with SQLite's online backup API (a consistent snapshot while the bot
runs), checked with `PRAGMA integrity_check`, readable by the owner only. Copies older than
`--keep-days` are removed by the same run, and `--keep-days` may not exceed
REPORT_RETENTION_DAYS: a sealed report deleted at the end of its retention does not live on in a
backup for longer than that.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import ConfigError, load_settings
from bot.instance import InstanceLock
from bot.reports.storage import REPORTS_FILE

BACKUP_RE = re.compile(r"^backup-(\d{8}T\d{6}Z)$")
STAMP = "%Y%m%dT%H%M%SZ"
DEFAULT_KEEP_DAYS = 7
SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    files: tuple[str, ...]
    removed: tuple[Path, ...]


def _copy(source: Path, target: Path) -> None:
    """SQLite's online backup of one database file into `target`, then an integrity check."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            (result,) = dst.execute("PRAGMA integrity_check").fetchone()
            if result != "ok":
                raise RuntimeError(f"the copy of {source.name} failed its integrity check")
            dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
        finally:
            dst.close()
    finally:
        src.close()
    target.chmod(0o600)


def backup(database_path: Path, target: Path, *, keep_days: int, now: datetime) -> BackupResult:
    sources = [p for p in (database_path, database_path.with_name(REPORTS_FILE)) if p.exists()]
    if not sources:
        raise ConfigError(f"DATABASE_PATH: there is no database at {database_path} to back up")
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder = target / f"backup-{now.astimezone(UTC).strftime(STAMP)}"
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(mode=0o700)
    try:
        for source in sources:
            _copy(source, partial / source.name)
        partial.rename(folder)  # a folder named backup-… is always complete
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return BackupResult(folder, tuple(p.name for p in sources), rotate(target, keep_days, now))


def backups(target: Path) -> list[tuple[datetime, Path]]:
    """The complete backups in `target`, oldest first."""
    found = []
    for entry in target.iterdir() if target.is_dir() else ():
        match = BACKUP_RE.match(entry.name)
        if match and entry.is_dir():
            found.append((datetime.strptime(match[1], STAMP).replace(tzinfo=UTC), entry))
    return sorted(found)


def rotate(target: Path, keep_days: int, now: datetime) -> tuple[Path, ...]:
    """Remove backups older than `keep_days` (and unfinished ones left by a crash)."""
    removed = []
    limit = now - timedelta(days=keep_days)
    for made, folder in backups(target):
        if made < limit:
            shutil.rmtree(folder)
            removed.append(folder)
    for leftover in target.glob("backup-*.partial"):
        shutil.rmtree(leftover, ignore_errors=True)
    return tuple(removed)


def _sound(path: Path) -> bool:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as check:
            return check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        return False


def restore(source: Path, database_path: Path) -> list[Path]:
    """Put a backup's files in place of the current ones (the bot must be stopped); the current
    files are kept beside them as `*.before-restore`. Returns the restored paths."""
    if not BACKUP_RE.match(source.name) or not source.is_dir():
        raise ConfigError(f"{source} is not a backup folder (backup-YYYYMMDDTHHMMSSZ)")
    copies = [source / n for n in (database_path.name, REPORTS_FILE) if (source / n).exists()]
    if not copies:
        raise ConfigError(f"{source} holds no database file")
    for copy in copies:  # every file checked before any is replaced
        if not _sound(copy):
            raise ConfigError(f"{copy} failed its integrity check; nothing was restored")
    restored = []
    for copy in copies:
        live = database_path.with_name(copy.name)
        if live.exists():
            _copy(live, live.with_name(copy.name + ".before-restore"))
        for suffix in SIDE_FILES:
            live.with_name(copy.name + suffix).unlink(missing_ok=True)
        tmp = live.with_name(copy.name + ".restoring")
        shutil.copyfile(copy, tmp)
        tmp.chmod(0o600)
        os.replace(tmp, live)
        restored.append(live)
    return restored


def backup_command(args: argparse.Namespace) -> int:
    settings = load_settings()
    keep = args.keep_days
    if keep > settings.report_retention_days:
        raise ConfigError(
            f"--keep-days {keep} is longer than REPORT_RETENTION_DAYS"
            f" ({settings.report_retention_days}): a deleted report would live on in a backup"
        )
    result = backup(settings.database_path, Path(args.to), keep_days=keep, now=datetime.now(UTC))
    print(
        f"backup {result.folder} ({', '.join(result.files)}); removed {len(result.removed)}"
        f" older than {keep} days"
    )
    return 0


def restore_command(args: argparse.Namespace) -> int:
    settings = load_settings()
    with InstanceLock(settings.database_path).acquire(purpose="restore"):
        restored = restore(Path(args.backup), settings.database_path)
    print(f"restored {', '.join(str(p) for p in restored)}; start the bot again")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("backup", help="copy the databases to a backup folder")
    parser.add_argument("--to", required=True, help="folder that holds the backups")
    parser.add_argument(
        "--keep-days",
        type=int,
        default=DEFAULT_KEEP_DAYS,
        help=f"remove backups older than this (default {DEFAULT_KEEP_DAYS}; at most"
        " REPORT_RETENTION_DAYS)",
    )
    parser.set_defaults(func=backup_command)
    parser = subparsers.add_parser("restore", help="put a backup in place (stop the bot first)")
    parser.add_argument("backup", help="a backup-YYYYMMDDTHHMMSSZ folder")
    parser.set_defaults(func=restore_command)
