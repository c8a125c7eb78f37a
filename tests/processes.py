"""The real bot in a child process against the fake Bot API (SIGTERM and kill -9 tests)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.conftest import TOKEN

ROOT = Path(__file__).resolve().parent.parent


def bot_env(base_url: str, folder: Path, **settings: str) -> dict[str, str]:
    """The environment of a bot process: the fake's URL, a database in `folder`, and
    `settings` by their names in lower case (report_public_keys="…")."""
    return {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": base_url,
        "DATABASE_PATH": str(folder / "bot.sqlite3"),
        "PYTHONPATH": str(ROOT),
        **{name.upper(): value for name, value in settings.items()},
    }


async def spawn_bot(
    base_url: str,
    folder: Path,
    *argv: str,
    stdout: int = asyncio.subprocess.DEVNULL,
    **settings: str,
) -> asyncio.subprocess.Process:
    """`python -m bot run` (or `python ARGV…`, e.g. `-c CODE`) with `bot_env`, in `folder`."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        *(argv or ("-m", "bot", "run")),
        cwd=folder,
        env=bot_env(base_url, folder, **settings),
        stdout=stdout,
        stderr=asyncio.subprocess.PIPE,
    )
