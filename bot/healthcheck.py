"""`python -m bot healthcheck`, Docker's HEALTHCHECK: exit 0 when the running bot reached
Telegram lately (its heartbeat file is fresh), 1 otherwise, with one line saying which.

It runs every minute, so it stays cheap: standard library only (bot/__main__.py starts it
without importing aiogram or the settings model), it reads DATABASE_PATH and HEARTBEAT_SECONDS
from the environment or `.env` as the bot does, and it never opens the database.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bot.heartbeat import heartbeat_path, read_age, stale_after

DEFAULT_DATABASE = "data/bot.sqlite3"
DEFAULT_INTERVAL = 30.0


def _dotenv(path: Path = Path(".env")) -> dict[str, str]:
    values: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return values
    for line in lines:
        name, sep, value = line.strip().partition("=")
        if sep and name and not name.startswith("#"):
            values[name.strip().upper()] = value.strip().strip("'\"")
    return values


def _setting(name: str, dotenv: dict[str, str], default: str) -> str:
    for key, value in os.environ.items():
        if key.upper() == name:
            return value
    return dotenv.get(name, default)


def check() -> tuple[int, str]:
    dotenv = _dotenv()
    database = Path(_setting("DATABASE_PATH", dotenv, DEFAULT_DATABASE))
    try:
        interval = float(_setting("HEARTBEAT_SECONDS", dotenv, str(DEFAULT_INTERVAL)))
    except ValueError:
        interval = DEFAULT_INTERVAL
    age = read_age(heartbeat_path(database))
    limit = stale_after(interval)
    if age is None:
        return 1, "unhealthy: no heartbeat yet (the bot has not reached Telegram since it started)"
    if age > limit:
        return 1, f"unhealthy: Telegram last answered {age:.0f} s ago (limit {limit:.0f} s)"
    return 0, f"healthy: Telegram answered {max(age, 0):.0f} s ago"


def main() -> int:
    code, line = check()
    print(line, file=sys.stdout if code == 0 else sys.stderr)
    return code


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "healthcheck", help="exit 0 when the running bot reached Telegram lately"
    )
    parser.set_defaults(func=lambda _args: main())
