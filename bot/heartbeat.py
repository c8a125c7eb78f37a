"""The bot's heartbeat: a small file beside the database that says Telegram answered lately.

The running bot notes each successful contact with Telegram (a getUpdates that returned, in
polling; a getWebhookInfo it asks for itself, with a webhook) in memory, and a writer rewrites
`<DATABASE_PATH>.heartbeat` every HEARTBEAT_SECONDS while the last contact is recent. The file
holds the writer's own time on a fixed cadence, not the time of any update: it says nothing about
when a person wrote. `python -m bot healthcheck` only reads it (bot/healthcheck.py).

Standard library only: the health check imports this module and must stay cheap.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

STALE_AFTER_BEATS = 4  # the check fails when the file is older than this many intervals
MIN_STALE_SECONDS = 1.0


def heartbeat_path(database_path: Path) -> Path:
    return database_path.with_name(database_path.name + ".heartbeat")


def stale_after(interval: float) -> float:
    return max(MIN_STALE_SECONDS, STALE_AFTER_BEATS * interval)


class Heartbeat:
    def __init__(self, path: Path, interval: float) -> None:
        self.path = path
        self.interval = interval
        self._last_contact: float | None = None  # time.monotonic()
        self._writing: asyncio.Future[None] | None = None  # the write in its thread, if any

    def contact(self) -> None:
        """Telegram answered (called by the Bot API session middleware)."""
        self._last_contact = time.monotonic()

    def recent(self) -> bool:
        last = self._last_contact
        return last is not None and time.monotonic() - last < stale_after(self.interval)

    def write(self) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(f"{time.time():.0f}\n", encoding="ascii")
        os.replace(tmp, self.path)

    async def run(self, probe: Callable[[], Awaitable[object]] | None = None) -> None:
        """Every interval: ask Telegram (`probe`, webhook mode) and write the file if it
        answered lately. Runs until cancelled."""
        while True:
            if probe is not None:
                with contextlib.suppress(Exception):  # no answer: the file ages, the check fails
                    await probe()
                    self.contact()
            if self.recent():
                self._writing = asyncio.ensure_future(asyncio.to_thread(self.write))
                await asyncio.shield(self._writing)  # cancelling `run` does not stop the thread
            await asyncio.sleep(self.interval)

    async def written(self) -> None:
        """Wait for a write still going on in its thread: a cancelled `run` leaves it running,
        and a file it renames into place after the stop removed it would outlive the bot."""
        if self._writing is not None:
            await asyncio.gather(self._writing, return_exceptions=True)


def read_age(path: Path, now: float | None = None) -> float | None:
    """Seconds since the last heartbeat, or None when there is none (or it is unreadable)."""
    try:
        written = float(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
    return (time.time() if now is None else now) - written
