"""The real bot in a child process against the fake Bot API (SIGTERM and kill -9 tests)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.conftest import TOKEN

ROOT = Path(__file__).resolve().parent.parent

# How long a child bot process may take to start polling: importing aiogram alone took 6–8 s on
# a loaded 2-CPU CI machine with four test workers (a limit on waiting, not a timed assertion).
CHILD_START_S = 60


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


def run_captured(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """`subprocess.run(args, capture_output=True, text=True, **kwargs)` that also works under
    libfaketime (the any-day check, issue 17): with a timeout, Python waits for the child in
    a loop of `time.sleep`, which libfaketime breaks (EINVAL). So the child is waited for
    without one, its output goes through temporary files, and a hung child is left to the
    test's own timeout (pytest-timeout)."""
    kwargs.pop("timeout", None)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        done = subprocess.run(args, stdout=out, stderr=err, **kwargs)  # type: ignore[call-overload]
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(
            args,
            done.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )
