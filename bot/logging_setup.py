"""Logging that cannot name anyone, at any level and from any library's logger.

- `LOG_LEVEL` applies to the bot's own loggers (`bot`, `handlers`, `jobs`), which are never given
  message text, receipts or ids. Every other logger — aiosqlite (it prints each SQL statement with
  its values at DEBUG), aiogram (update ids and handling times at INFO), aiohttp, APScheduler
  (every job run at INFO) — is held at WARNING whatever `LOG_LEVEL` says.
- The formatter is the last line of defence for what still gets through: runs of 5 or more
  digits (user, chat, update and message ids; receipts) and report references are masked, and
  an exception is printed as its class and the frames where it happened, never its message
  (a validation error's message can quote the update it failed on, text included).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from typing import TextIO

OWN_LOGGERS = ("bot", "handlers", "jobs", "__main__")
LIBRARY_FLOOR = logging.WARNING
DIGITS_RE = re.compile(r"\d(?:[\s\-]?\d){4,}")  # 5+ digits, also grouped like "1234 5678"
REF_RE = re.compile(r"\bR-[0-9A-Z]{6}\b")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def redact(text: str) -> str:
    return REF_RE.sub("R-······", DIGITS_RE.sub("<n>", text))


class RedactingFormatter(logging.Formatter):
    """Masks ids, receipts and references; exceptions without their messages."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))

    def formatException(self, ei) -> str:
        exc_type, _exc, tb = ei
        frames = traceback.extract_tb(tb)
        lines = [f"  at {frame.filename}:{frame.lineno} in {frame.name}" for frame in frames]
        name = exc_type.__qualname__ if exc_type is not None else "Exception"
        return "\n".join([f"{name} (message not logged)", *lines])


class JsonLinesFormatter(RedactingFormatter):
    """One JSON object a line (`LOG_FORMAT=json`) for log collectors; redacted the same way."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        if record.exc_info:
            entry["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class QuietConflicts(logging.Filter):
    """aiogram logs every Conflict of two processes polling with one token, and the back-off
    after it; bot/api_session.py PollWatch says it once in the bot's own words instead."""

    def __init__(self) -> None:
        super().__init__()
        self._skip_backoff = False

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name != "aiogram.dispatcher":
            return True
        if "TelegramConflictError" in str(record.args):
            self._skip_backoff = True
            return False
        if self._skip_backoff and record.msg.startswith("Sleep for"):
            self._skip_backoff = False
            return False
        return True


def setup_logging(
    level: str = "INFO", stream: TextIO | None = None, log_format: str = "text"
) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        JsonLinesFormatter() if log_format == "json" else RedactingFormatter(FORMAT)
    )
    handler.addFilter(QuietConflicts())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(LIBRARY_FLOOR)  # every library logger that has no level of its own
    numeric = logging.getLevelName(level.upper())
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(numeric)
    # Libraries that set levels of their own, or that a caller may have lowered: held anyway.
    for name in ("aiosqlite", "aiogram", "aiohttp", "apscheduler", "asyncio", "matplotlib"):
        logging.getLogger(name).setLevel(LIBRARY_FLOOR)
