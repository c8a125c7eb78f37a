"""Clocks: the real one, and one that starts at a chosen moment and then runs (tests, demo)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now().astimezone()


def running_from(start: datetime) -> Clock:
    """A clock that reads `start` now and advances with real (monotonic) time from here on."""
    if start.tzinfo is None:
        raise ValueError("the start moment needs a time zone")
    origin = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - origin)
