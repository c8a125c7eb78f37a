"""Flood control for the sender: one global pace, per-chat spacing, and a global pause on 429.

Telegram allows ~30 messages/s per bot, ~1/s per private chat and 20/min per group or channel,
and answers 429 + retry_after beyond that. Sends are spaced evenly at `rate` (no bursts, so a
sliding one-second window never sees more than `rate` + 1), each chat keeps its own minimum
interval, and a 429 stops every sender until retry_after has passed.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable

PRIVATE_INTERVAL = 1.0  # 1 message per second per private chat
CHANNEL_INTERVAL = 3.0  # 20 per minute per group or channel
RETRY_MARGIN = 0.05  # the server's clock started before our answer arrived; stay on the safe side


class FloodLimiter:
    """`window`: besides the even pace, no `window` seconds ever see more than rate × window + 1
    sends start. Pacing alone lets a bunch through when the event loop was held up (a garbage
    collection, a busy moment): every sender whose slot passed meanwhile wakes at once."""

    def __init__(
        self, rate: float, clock: Callable[[], float] = time.monotonic, window: float = 1.0
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.window = window
        self._clock = clock
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._chat_next: dict[str, float] = {}
        # Evenly paced sends put rate × window + 1 starts in a closed window (both ends): that
        # one more keeps a start that came a little late from pushing every later one back.
        self._starts: deque[float] = deque(maxlen=math.floor(rate * window + 1e-9) + 1)

    @property
    def paused_for(self) -> float:
        return max(0.0, self._paused_until - self._clock())

    def pause(self, seconds: float) -> None:
        """A 429: nothing is sent by anyone until `seconds` have passed."""
        until = self._clock() + seconds + RETRY_MARGIN
        self._paused_until = max(self._paused_until, until)
        self._next_slot = max(self._next_slot, self._paused_until)

    def recharge(self, cost: int = 1) -> None:
        """A send the server handled only now (it was held in a stall): take its slot again, so
        the sends released together with it do not add up to a burst over `rate`."""
        self._next_slot = max(self._next_slot, self._clock()) + cost / self.rate

    async def acquire(self, chat: str, *, channel: bool, cost: int = 1) -> None:
        """Wait for the right to send `cost` messages to `chat` now.

        Each caller reserves the next free slot (no await between reading and writing the
        schedule, so no lock is needed), sleeps until it, and re-reserves if a 429 arrived
        while it slept.
        """
        interval = CHANNEL_INTERVAL if channel else PRIVATE_INTERVAL
        while True:
            now = self._clock()
            previous_chat_slot = self._chat_next.get(chat, 0.0)
            slot = max(now, self._next_slot, self._paused_until, previous_chat_slot)
            self._next_slot = slot + cost / self.rate
            self._chat_next[chat] = slot + interval * cost
            if len(self._chat_next) > 4096:
                self._forget_old(now)
            if slot > now:
                await asyncio.sleep(slot - now)
            now = self._clock()
            if self._paused_until <= now:
                wait = self._window_wait(now, cost)
                if wait <= 0:
                    self._starts.extend([now] * cost)
                    return
                self._next_slot = max(self._next_slot, now + wait)  # the window is full
            self._chat_next[chat] = previous_chat_slot

    def _window_wait(self, now: float, cost: int) -> float:
        """Seconds until `cost` more sends fit in the last `window` seconds (0: they fit)."""
        starts = self._starts
        free = starts.maxlen - len(starts)  # type: ignore[operator]
        if cost <= free or not starts:
            return 0.0
        # The start that must leave the window first (all of them for a bigger batch).
        oldest = starts[min(cost - free, len(starts)) - 1]
        return max(0.0, oldest + self.window - now)

    def _forget_old(self, now: float) -> None:
        self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}


INITIAL_ROUND_TRIP = 0.05  # seconds, until answers are measured: start with little in flight
ROUND_TRIP_SAMPLES = 64
HEADROOM = 1.5  # in flight: what the rate needs at the median round trip, and half again
LATE_FACTOR = 3.0  # an answer this many times slower than the median came through a stall


class InFlightGate:
    """How many sends may be unanswered at once: what `rate` needs at the measured round trip.

    Pacing when sends start is not enough: if the server stalls, a sender that only paces keeps
    starting requests into the stall, and when the server wakes it handles them all at once, a
    burst Telegram answers with 429s. Here at most `rate` × (median round trip) × HEADROOM + 1
    requests are unanswered (Little's law: that keeps `rate` going), so a stall holds only that
    handful; and an answer that came `LATE_FACTOR` times slower than the median is counted
    again by the limiter when it arrives (`FloodLimiter.recharge`), because the server handled it
    just now, together with the others held in the stall.
    """

    def __init__(self, rate: float, ceiling: int) -> None:
        self.rate = rate
        self.ceiling = max(2, ceiling)
        self.active = 0
        self.peak = 0
        self._samples: deque[float] = deque(maxlen=ROUND_TRIP_SAMPLES)
        self._median = INITIAL_ROUND_TRIP
        self._changed = asyncio.Condition()

    @property
    def limit(self) -> int:
        needed = math.ceil(self.rate * self._median * HEADROOM) + 1
        return max(2, min(self.ceiling, needed))

    @property
    def round_trip(self) -> float:
        return self._median

    async def enter(self) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: self.active < self.limit)
            self.active += 1
            self.peak = max(self.peak, self.active)

    async def leave(self, round_trip: float | None) -> bool:
        """One send answered (`round_trip` seconds; None if no answer came). True if it was
        late, i.e. held in a stall."""
        late = False
        if round_trip is not None:
            late = len(self._samples) >= 8 and round_trip > LATE_FACTOR * self._median
            self._samples.append(round_trip)
            self._median = sorted(self._samples)[len(self._samples) // 2]
        async with self._changed:
            self.active -= 1
            self._changed.notify(max(1, self.limit - self.active))
        return late
