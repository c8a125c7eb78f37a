"""The delivery engine: a persistent queue drained at Telegram's limits, resumable after a crash.

Pipeline: a feeder claims pending rows (pending → sending, committed *before* any request),
`concurrency` senders pace themselves through one FloodLimiter and send, and a recorder commits
the outcomes in small batches. Rows in state `sending` never exceed `window`; after a kill they
go back to pending, so a recipient is never lost and at most the messages that were sent but not
yet recorded at the kill (≤ concurrency + RECORD_BATCH) can arrive twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import math
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import InputPollOption

from bot.api_session import CALLER_PACES
from bot.config import Settings
from bot.db import Database
from bot.db.users import UserRepo
from bot.delivery.limiter import FloodLimiter, InFlightGate
from bot.delivery.models import (
    Audience,
    DeliveryProgress,
    OutgoingMessage,
    OutgoingPoll,
    pick_version,
)
from bot.delivery.store import DeliveryRow, DeliveryStore, Item, Outcome

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # network errors and 5xx: 5 tries with backoff 1, 2, 4, 8 s, then "failed"
BACKOFF_BASE = 1.0
RECORD_INTERVAL = 0.1  # seconds between commits of outcomes
RECORD_BATCH = 32  # ... or as soon as this many are waiting
IDLE_POLL = 1.0  # how often an idle worker looks for due scheduled deliveries
RATE_WINDOW = 10.0  # seconds over which the current rate is measured


def default_concurrency(rate: float) -> int:
    # Enough requests in flight to keep `rate` going with 2 s round trips (slow networks).
    return max(4, min(400, math.ceil(rate * 2)))


class DeliveryEngine:
    """`clock` reads the time in the Coalition's time zone (scheduled deliveries compare with it)."""

    def __init__(
        self,
        db: Database,
        users: UserRepo,
        settings: Settings,
        clock: Callable[[], datetime],
        bot: Bot | None = None,
        *,
        rate: float | None = None,
        concurrency: int | None = None,
        backoff_base: float = BACKOFF_BASE,
        limit_window: float = 1.0,
    ) -> None:
        self.users = users
        self.settings = settings
        self.bot = bot
        self.rate = float(rate if rate is not None else settings.broadcast_rate)
        self.clock = clock
        self.concurrency = concurrency or default_concurrency(self.rate)
        self.window = 2 * self.concurrency
        self.backoff_base = backoff_base
        self.store = DeliveryStore(db, settings)
        self.limiter = FloodLimiter(self.rate, window=limit_window)
        self.in_flight = InFlightGate(self.rate, self.concurrency)
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task] = []
        self._queue: asyncio.Queue[Item] = asyncio.Queue()
        self._outcomes: list[Outcome] = []
        self._outcome_ready = asyncio.Event()
        self._claimed = 0  # rows this process marked `sending` and has not recorded yet
        self._slot_free = asyncio.Event()
        self._cancelled: set[int] = set()
        self._versions: dict[int, DeliveryRow] = {}
        self._recent: dict[int, deque[float]] = {}
        self.stats_429 = 0

    # ------------------------------------------------------------------ public API

    async def enqueue(
        self,
        *,
        kind: str,
        dedupe_key: str,
        versions: dict[str, OutgoingMessage],
        audience: Audience,
        not_before: datetime | None = None,
        created_by: int | None = None,
    ) -> int:
        """Store a delivery; idempotent on `dedupe_key` (a repeat returns the existing id)."""
        if not versions:
            raise ValueError("a delivery needs at least one version")
        delivery_id = await self.store.create(
            kind=kind,
            dedupe_key=dedupe_key,
            versions=versions,
            audience=audience,
            not_before=not_before,
            created_by=created_by,
            now=self.clock(),
        )
        self._wake.set()
        return delivery_id

    async def start(self, bot: Bot) -> None:
        """Start the background worker; unfinished deliveries resume where they stopped."""
        if self._tasks:
            return
        self.bot = bot
        recovered = await self.store.recover()
        if recovered:
            log.info("delivery: %d messages in flight at the last stop are queued again", recovered)
        self._tasks = [asyncio.create_task(self._feeder(), name="delivery-feeder")]
        self._tasks.append(asyncio.create_task(self._recorder(), name="delivery-recorder"))
        self._tasks += [
            asyncio.create_task(self._sender(), name=f"delivery-sender-{i}")
            for i in range(self.concurrency)
        ]

    async def stop(self) -> None:
        """Stop sending; what was claimed but not sent goes back to pending at the next start."""
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._flush()

    async def cancel(self, delivery_id: int) -> None:
        self._cancelled.add(delivery_id)
        await self.store.cancel(delivery_id, self.clock())
        self._wake.set()

    async def progress(self, delivery_id: int) -> DeliveryProgress:
        row = await self.store.get(delivery_id)
        if row is None:
            raise LookupError(f"no delivery {delivery_id}")
        counts, reasons = await self.store.counts(delivery_id)
        left = counts.get("pending", 0) + counts.get("sending", 0)
        rate = self._current_rate(delivery_id)
        eta = None
        if row.state in ("expanding", "sending"):
            eta = left / rate if rate > 0 else None
        return DeliveryProgress(
            delivery_id=delivery_id,
            kind=row.kind,
            state=row.state,
            total=sum(counts.values()),
            sent=counts.get("sent", 0),
            blocked=counts.get("blocked", 0),
            failed=counts.get("failed", 0),
            left=left,
            cancelled=counts.get("cancelled", 0),
            rate=rate,
            eta=eta,
            reasons=reasons,
            audience=row.audience,
            not_before=row.not_before,
            started_at=_when(row.started_at),
            created_at=_when(row.created_at),
        )

    async def count_recipients(self, audience: Audience) -> tuple[int, int]:
        """(users, channels) that `audience` reaches if it starts now."""
        users = await self.store.count_audience(audience)
        channels = sum(1 for c in self.settings.channels if c.locale in audience.channels)
        return users, channels

    async def latest_active(self, kind: str, delivery_id: int | None = None) -> int | None:
        """The newest scheduled or running delivery of `kind` (or `delivery_id` if it is one)."""
        return await self.store.latest_active(kind, delivery_id)

    async def count_done(self, kind: str) -> int:
        """How many deliveries of `kind` went out to the end (the admin statistics)."""
        return await self.store.count_done(kind)

    async def wait_finished(self, delivery_id: int, timeout: float) -> DeliveryProgress:  # noqa: ASYNC109
        """Poll until the delivery is done or cancelled; TimeoutError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            progress = await self.progress(delivery_id)
            if progress.finished:
                return progress
            if time.monotonic() >= deadline:
                raise TimeoutError(f"delivery {delivery_id} not finished: {progress}")
            await asyncio.sleep(0.1)

    # ------------------------------------------------------------------ worker

    def _current_rate(self, delivery_id: int) -> float:
        recent = self._recent.get(delivery_id)
        if not recent:
            return 0.0
        now = time.monotonic()
        while recent and recent[0] < now - RATE_WINDOW:
            recent.popleft()
        if len(recent) < 2:
            return 0.0
        return len(recent) / max(now - recent[0], 1.0)

    async def _feeder(self) -> None:
        """Claim rows of the oldest due delivery while the window has room."""
        while True:
            try:
                worked = await self._feed_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("delivery feeder failed; retrying")
                worked = False
                await asyncio.sleep(IDLE_POLL)
            if worked:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), IDLE_POLL)

    async def _feed_once(self) -> bool:
        now = self.clock()
        for delivery in await self.store.active():
            if delivery.not_before is not None and delivery.not_before > now:
                continue
            self._versions[delivery.id] = delivery
            if delivery.state in ("scheduled", "expanding"):
                await self.store.expand_batch(delivery, now)
                return True
            room = self.window - self._claimed
            if room <= 0:
                self._slot_free.clear()
                await self._slot_free.wait()
                return True
            items = await self.store.claim(delivery.id, room)
            if items:
                self._claimed += len(items)
                for item in items:
                    self._queue.put_nowait(item)
                return True
            if self._claimed == 0 and await self.store.finish_if_complete(delivery.id, now):
                self._versions.pop(delivery.id, None)
                log.info("delivery %d finished", delivery.id)
                continue
            # Everything of this delivery is in flight: let later deliveries use the window.
        return False

    async def _sender(self) -> None:
        CALLER_PACES.set(True)  # this task's context only: 429s and errors come to us as they are
        while True:
            item = await self._queue.get()
            try:
                outcome = await self._deliver(item)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a bug must not kill the sender; record why
                log.exception("delivery: unexpected error")
                outcome = Outcome(item, "failed", 1, type(exc).__name__)
            self._outcomes.append(outcome)
            if len(self._outcomes) >= RECORD_BATCH:
                self._outcome_ready.set()

    async def _deliver(self, item: Item) -> Outcome:
        delivery = self._versions.get(item.delivery_id)
        if delivery is None:
            delivery = await self.store.get(item.delivery_id)
            if delivery is None:
                return Outcome(item, "failed", 0, "delivery deleted")
            self._versions[item.delivery_id] = delivery
        message = pick_version(delivery.versions, item.locale, self.settings.default_locale)
        attempts = 0
        while True:
            if item.delivery_id in self._cancelled:
                return Outcome(item, "cancelled", attempts)
            attempts += 1
            try:
                await self._send_paced(item, message)
            except _Cancelled:
                return Outcome(item, "cancelled", attempts - 1)
            except TelegramRetryAfter as exc:
                # The whole sender pauses; this message is tried again after the pause.
                self.stats_429 += 1
                self.limiter.pause(exc.retry_after)
                log.warning("delivery: 429, everybody pauses %s s", exc.retry_after)
                attempts -= 1
                continue
            except TelegramForbiddenError as exc:
                if item.is_channel:
                    return Outcome(item, "failed", attempts, _reason(exc))
                return Outcome(item, "blocked", attempts, None)
            except (TelegramBadRequest, TelegramNotFound, TelegramUnauthorizedError) as exc:
                return Outcome(item, "failed", attempts, _reason(exc))
            except (
                TelegramNetworkError,
                TelegramAPIError,
                ClientDecodeError,
                OSError,
                TimeoutError,
            ) as exc:
                # 5xx, a bad gateway page, a reset connection: retry with backoff.
                if attempts >= MAX_ATTEMPTS:
                    return Outcome(item, "failed", attempts, _reason(exc))
                await asyncio.sleep(self.backoff_base * 2 ** (attempts - 1))
                continue
            self._note_sent(item.delivery_id)
            return Outcome(item, "sent", attempts)

    async def _send_paced(self, item: Item, message: OutgoingMessage) -> None:
        """Wait for room in flight, then for the pace, then send; the answer's round trip tunes
        the room, and an answer held in a stall takes its slot again."""
        await self.in_flight.enter()
        round_trip: float | None = None
        try:
            await self.limiter.acquire(item.target, channel=item.is_channel, cost=message.cost)
            if item.delivery_id in self._cancelled:
                raise _Cancelled
            started = time.monotonic()
            try:
                await self._send(item, message)
            except (
                TelegramRetryAfter,
                TelegramForbiddenError,
                TelegramBadRequest,
                TelegramNotFound,
            ):
                round_trip = time.monotonic() - started  # answered: a round trip all the same
                raise
            round_trip = time.monotonic() - started
        finally:
            if await self.in_flight.leave(round_trip):
                self.limiter.recharge(message.cost)

    def _note_sent(self, delivery_id: int) -> None:
        """Send times of the last RATE_WINDOW seconds, for the progress figures (bounded)."""
        now = time.monotonic()
        recent = self._recent.setdefault(delivery_id, deque())
        recent.append(now)
        while recent[0] < now - RATE_WINDOW:
            recent.popleft()

    async def _send(self, item: Item, message: OutgoingMessage) -> None:
        assert self.bot is not None
        chat: int | str = item.target if item.is_channel else int(item.target)
        if isinstance(chat, str) and chat.lstrip("-").isdigit():
            chat = int(chat)
        if message.poll is not None:
            await self._send_poll(chat, message.poll, message.protect_content)
        elif len(message.copy_message_ids) > 1:
            await self.bot.copy_messages(
                chat_id=chat,
                from_chat_id=message.copy_from_chat,  # type: ignore[arg-type]
                message_ids=list(message.copy_message_ids),
                protect_content=message.protect_content,
            )
        elif message.copy_message_ids:
            await self.bot.copy_message(
                chat_id=chat,
                from_chat_id=message.copy_from_chat,  # type: ignore[arg-type]
                message_id=message.copy_message_ids[0],
                caption=message.text,
                protect_content=message.protect_content,
                reply_markup=message.reply_markup,
            )
        else:
            await self.bot.send_message(
                chat_id=chat,
                text=message.text or "",
                protect_content=message.protect_content,
                reply_markup=message.reply_markup,
            )

    async def _send_poll(self, chat: int | str, poll: OutgoingPoll, protect: bool) -> None:
        assert self.bot is not None
        await self.bot.send_poll(
            chat_id=chat,
            question=html.escape(poll.question, quote=False),
            options=[InputPollOption(text=html.escape(o, quote=False)) for o in poll.options],
            type="quiz",
            is_anonymous=True,
            correct_option_id=poll.correct_option_id,
            explanation=poll.explanation or None,
            protect_content=protect,
        )

    async def _recorder(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._outcome_ready.wait(), RECORD_INTERVAL)
            self._outcome_ready.clear()
            try:
                await self._flush()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("delivery: recording outcomes failed; retrying")
                await asyncio.sleep(RECORD_INTERVAL)

    async def _flush(self) -> None:
        outcomes, self._outcomes = self._outcomes, []
        if not outcomes:
            return
        try:
            await self.store.record(outcomes)
        except BaseException:
            self._outcomes = outcomes + self._outcomes
            raise
        for outcome in outcomes:
            if outcome.state == "blocked":
                self.users.forget_cached(int(outcome.item.target))
        self._claimed -= len(outcomes)
        self._slot_free.set()
        self._wake.set()


class _Cancelled(Exception):
    """The delivery was cancelled while this send waited for its turn."""


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _reason(exc: Exception) -> str:
    """A short failure reason without ids or texts (those could identify a person)."""
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:200]
