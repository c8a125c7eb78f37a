"""Flood control for the sender: one global pace, per-chat spacing, and a global pause on 429.

Telegram allows ~30 messages/s per bot, ~1/s per private chat and 20/min per group or channel,
and answers 429 + retry_after beyond that. Sends are spaced evenly at `rate` (no bursts, so a
sliding one-second window never sees more than `rate` + 1), each chat keeps its own minimum
interval, and a 429 stops every sender until retry_after has passed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

PRIVATE_INTERVAL = 1.0  # 1 message per second per private chat
CHANNEL_INTERVAL = 3.0  # 20 per minute per group or channel
RETRY_MARGIN = 0.05  # the server's clock started before our answer arrived; stay on the safe side


class FloodLimiter:
    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self._clock = clock
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._chat_next: dict[str, float] = {}

    @property
    def paused_for(self) -> float:
        return max(0.0, self._paused_until - self._clock())

    def pause(self, seconds: float) -> None:
        """A 429: nothing is sent by anyone until `seconds` have passed."""
        until = self._clock() + seconds + RETRY_MARGIN
        self._paused_until = max(self._paused_until, until)
        self._next_slot = max(self._next_slot, self._paused_until)

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
            if self._paused_until <= self._clock():
                return
            self._chat_next[chat] = previous_chat_slot

    def _forget_old(self, now: float) -> None:
        self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}
