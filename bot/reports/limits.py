"""Rate limits keyed on HMAC(pepper, user id), in memory only, with expiry.

The pepper is random per process: the keys cannot be linked to a Telegram account by anyone
who later reads a memory dump without the pepper, and nothing here is ever written to disk.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

FREE_ATTEMPTS = 3
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)
FORGET_AFTER = timedelta(hours=24)


class UserKeys:
    def __init__(self) -> None:
        self._pepper = secrets.token_bytes(32)

    def key(self, user_id: int) -> bytes:
        return hmac.new(self._pepper, str(user_id).encode(), hashlib.sha256).digest()[:16]


@dataclass
class _Failures:
    count: int
    last: datetime


class ReceiptLimiter:
    """Growing delays after wrong receipts: 3 free tries, then 30 s, 60 s, 120 s … up to 1 h."""

    def __init__(self, keys: UserKeys, clock: Callable[[], datetime]) -> None:
        self._keys = keys
        self._clock = clock
        self._failures: dict[bytes, _Failures] = {}

    def _current(self, user_id: int) -> _Failures | None:
        key = self._keys.key(user_id)
        record = self._failures.get(key)
        if record is not None and self._clock() - record.last > FORGET_AFTER:
            del self._failures[key]
            return None
        return record

    def wait_seconds(self, user_id: int) -> int:
        """Seconds until this person may try another receipt (0 = now)."""
        record = self._current(user_id)
        if record is None or record.count < FREE_ATTEMPTS:
            return 0
        delay = min(FIRST_DELAY * 2 ** (record.count - FREE_ATTEMPTS), MAX_DELAY)
        left = record.last + delay - self._clock()
        return max(0, int(left.total_seconds() + 0.999))

    def failed(self, user_id: int) -> None:
        record = self._current(user_id)
        count = record.count + 1 if record else 1
        self._failures[self._keys.key(user_id)] = _Failures(count, self._clock())

    def succeeded(self, user_id: int) -> None:
        self._failures.pop(self._keys.key(user_id), None)

    def forget_expired(self) -> None:
        now = self._clock()
        for key in [k for k, r in self._failures.items() if now - r.last > FORGET_AFTER]:
            del self._failures[key]


class SubmissionLimiter:
    """At most `limit` submitted reports per person per day (flooding protection)."""

    def __init__(self, keys: UserKeys, clock: Callable[[], datetime], limit: int = 3) -> None:
        self._keys = keys
        self._clock = clock
        self.limit = limit
        self._times: dict[bytes, list[datetime]] = {}

    def _recent(self, user_id: int) -> list[datetime]:
        key = self._keys.key(user_id)
        now = self._clock()
        times = [t for t in self._times.get(key, []) if now - t < FORGET_AFTER]
        if times:
            self._times[key] = times
        else:
            self._times.pop(key, None)
        return times

    def allowed(self, user_id: int) -> bool:
        return len(self._recent(user_id)) < self.limit

    def record(self, user_id: int) -> None:
        self._times[self._keys.key(user_id)] = [*self._recent(user_id), self._clock()]
