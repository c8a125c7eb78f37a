"""Broadcasts as the admin sees them: numbered, watched by one progress message, one summary.

A watcher task per unfinished broadcast edits its progress message (at most every 3 s); the
message's id is stored, so after a restart `start()` picks every watcher up again and edits the
same message. The summary is claimed in the database before it is sent: it comes once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.admin.broadcast_store import BroadcastRow, BroadcastStore
from bot.admin.broadcast_text import ended_text, progress_text, summary_text
from bot.config import Settings
from bot.db import Database
from bot.delivery import Audience, DeliveryEngine, DeliveryProgress, OutgoingMessage
from bot.i18n import Translator

log = logging.getLogger(__name__)

PROGRESS_EDIT_INTERVAL = 3.0  # Telegram tolerates ~20 edits/min per chat; one per 3 s stays below
IDLE_CHECK_INTERVAL = 60.0  # how often a broadcast scheduled for later is looked at
SETTLE_TIMEOUT = 10.0  # after a cancel, messages already in flight are still being recorded


class BroadcastDesk:
    def __init__(
        self,
        db: Database,
        delivery: DeliveryEngine,
        i18n: Translator,
        settings: Settings,
        clock: Callable[[], datetime],
    ) -> None:
        self.store = BroadcastStore(db)
        self.delivery = delivery
        self.i18n = i18n
        self.settings = settings
        self.clock = clock
        self.bot: Bot | None = None
        self._watchers: dict[int, asyncio.Task] = {}
        self._wake: dict[int, asyncio.Event] = {}

    async def create(
        self,
        *,
        dedupe_key: str,
        versions: dict[str, OutgoingMessage],
        audience: Audience,
        not_before: datetime | None,
        admin_id: int,
        chat_id: int,
        locale: str,
    ) -> int:
        """Queue the broadcast, number it, and start watching it; returns its number."""
        delivery_id = await self.delivery.enqueue(
            kind="broadcast",
            dedupe_key=dedupe_key,
            versions=versions,
            audience=audience,
            not_before=not_before,
            created_by=admin_id,
        )
        row = await self.store.add(delivery_id, chat_id, locale)
        log.info("broadcast %d queued (%s)", row.number, "scheduled" if not_before else "now")
        self._watch(row.number)
        return row.number

    async def start(self, bot: Bot) -> None:
        """Resume the watchers of broadcasts whose summary has not been sent (after a restart)."""
        self.bot = bot
        for row in await self.store.unsummarised():
            self._watch(row.number)

    async def stop(self) -> None:
        tasks = list(self._watchers.values())
        self._watchers.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def cancel(self, number: int | None) -> BroadcastRow | None:
        """Stop the newest active broadcast (or `number`); returns it once its summary is sent."""
        row = await self.store.latest_active(number)
        if row is None:
            return None
        await self.delivery.cancel(row.delivery_id)
        self._watch(row.number)
        self._wake.setdefault(row.number, asyncio.Event()).set()
        task = self._watchers.get(row.number)
        if task is not None:
            await asyncio.wait([task], timeout=SETTLE_TIMEOUT + PROGRESS_EDIT_INTERVAL)
        return row

    async def recent(self, limit: int = 10) -> list[tuple[int, DeliveryProgress]]:
        return [
            (row.number, await self.delivery.progress(row.delivery_id))
            for row in await self.store.recent(limit)
        ]

    # ------------------------------------------------------------------ the watcher

    def _watch(self, number: int) -> None:
        if self.bot is None:  # not started yet: start() picks it up
            return
        running = self._watchers.get(number)
        if running is not None and not running.done():
            return
        task = asyncio.create_task(self._run(number), name=f"broadcast-watch-{number}")
        self._watchers[number] = task
        task.add_done_callback(lambda t: self._forget(number, t))

    def _forget(self, number: int, task: asyncio.Task) -> None:
        if self._watchers.get(number) is task:
            del self._watchers[number]
            self._wake.pop(number, None)
        if not task.cancelled() and task.exception() is not None:
            log.error(
                "broadcast %d: the progress watcher failed", number, exc_info=task.exception()
            )

    def _in_locale(self, row: BroadcastRow, build: Callable[..., str], *args: object) -> str:
        with self.i18n.use_locale(row.locale or self.settings.default_locale):
            return build(*args)

    def _progress(self, row: BroadcastRow, progress: DeliveryProgress) -> str:
        return self._in_locale(
            row, progress_text, row.number, progress, self.clock(), self.settings
        )

    async def _run(self, number: int) -> None:
        assert self.bot is not None
        row = await self.store.get(number)
        if row is None or row.summary_sent:
            return
        progress = await self.delivery.progress(row.delivery_id)
        shown = None
        if row.message_id is None and not progress.finished:
            shown = self._progress(row, progress)
            message = await self.bot.send_message(row.chat_id, shown)
            await self.store.set_message(number, message.message_id)
            row = await self.store.get(number) or row
        wake = self._wake.setdefault(number, asyncio.Event())
        while not progress.finished:
            if shown is not None:  # after a restart: edit the stored message at once
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), self._pause(progress))
            wake.clear()
            progress = await self.delivery.progress(row.delivery_id)
            if progress.finished:
                break
            text = self._progress(row, progress)
            if text != shown and row.message_id is not None:
                with contextlib.suppress(TelegramAPIError):
                    await self.bot.edit_message_text(
                        text, chat_id=row.chat_id, message_id=row.message_id
                    )
            shown = text
        await self._finish(row, progress)

    def _pause(self, progress: DeliveryProgress) -> float:
        """3 s while sending; a broadcast scheduled for later is looked at once a minute (and
        at its time): nothing changes meanwhile but a cancel, which wakes the watcher."""
        due = progress.not_before
        if progress.state != "scheduled" or due is None:
            return PROGRESS_EDIT_INTERVAL
        wait = (due - self.clock()).total_seconds()
        return min(IDLE_CHECK_INTERVAL, max(PROGRESS_EDIT_INTERVAL, wait))

    async def _finish(self, row: BroadcastRow, progress: DeliveryProgress) -> None:
        assert self.bot is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_TIMEOUT
        while progress.left and loop.time() < deadline:  # cancelled: wait for those in flight
            await asyncio.sleep(0.1)
            progress = await self.delivery.progress(row.delivery_id)
        if not await self.store.claim_summary(row.number):
            return
        if row.message_id is not None:
            with contextlib.suppress(TelegramAPIError):
                await self.bot.edit_message_text(
                    self._in_locale(row, ended_text, row.number),
                    chat_id=row.chat_id,
                    message_id=row.message_id,
                )
        with contextlib.suppress(TelegramAPIError):
            await self.bot.send_message(
                row.chat_id, self._in_locale(row, summary_text, row.number, progress)
            )
        log.info("broadcast %d %s", row.number, progress.state)
