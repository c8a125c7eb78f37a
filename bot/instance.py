"""One bot process per database: an exclusive lock on `<DATABASE_PATH>.lock`, held while it runs.

A second process on the same data folder would run the scheduler twice (campaign posts from two
processes) and race on the same files; `restore` needs the bot stopped. The lock is an OS lock
(flock): it goes with the process, also after kill -9, so no stale lock file can block a start.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from bot.config import ConfigError


class InstanceLock:
    def __init__(self, database_path: Path) -> None:
        self.path = database_path.with_name(database_path.name + ".lock")
        self._fd: int | None = None

    def acquire(self, *, purpose: str = "run") -> InstanceLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise ConfigError(
                f"DATABASE_PATH: another bot process is running on {self.path.parent}; stop it"
                f" before you {purpose} (one bot process per database)"
            ) from None
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()
