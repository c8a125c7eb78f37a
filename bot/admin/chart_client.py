"""Draws the /stats chart in a short-lived worker process (bot/admin/chart.py), never in the bot.

The spec goes in as JSON on stdin, the PNG comes back on stdout; a worker that fails, answers
something that is not a PNG, or takes longer than the timeout raises ChartError (and is killed),
so the handler can answer with words instead of silence.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent.parent  # where the `bot` package lives
WORKER: tuple[str, ...] = (sys.executable, "-m", "bot.admin.chart")
TIMEOUT_S = 20.0  # a cold start on a slow server takes ~2 s; anything past this is stuck
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_WORKERS = 2  # staff asking at once wait their turn instead of starting ~60 MB each

_gate: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None


class ChartError(Exception):
    """The worker gave no picture (its reason is logged, without any of the chart's data)."""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH"))))
    env["MPLBACKEND"] = "Agg"
    return env


def _workers() -> asyncio.Semaphore:
    """One semaphore per event loop (tests run many loops in one process)."""
    global _gate
    loop = asyncio.get_running_loop()
    if _gate is None or _gate[0] is not loop:
        _gate = (loop, asyncio.Semaphore(MAX_WORKERS))
    return _gate[1]


async def render(spec: dict[str, Any], timeout: float | None = None) -> bytes:  # noqa: ASYNC109
    """The PNG for `spec`, drawn by a fresh worker; at most MAX_WORKERS at a time."""
    async with _workers():
        return await _render(spec, timeout)


async def _render(spec: dict[str, Any], timeout: float | None) -> bytes:  # noqa: ASYNC109
    process = await asyncio.create_subprocess_exec(
        *WORKER,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=_env(),
    )
    payload = json.dumps(spec, ensure_ascii=False).encode()
    limit = TIMEOUT_S if timeout is None else timeout
    try:
        out, err = await asyncio.wait_for(process.communicate(payload), limit)
    except TimeoutError:
        log.warning("stats chart worker killed after %.1f s", limit)
        raise ChartError("timeout") from None
    finally:
        if process.returncode is None:  # timed out, or the handler was cancelled
            process.kill()
            await process.wait()
    if process.returncode != 0 or not out.startswith(PNG_MAGIC):
        last = (err or b"").decode(errors="replace").strip().splitlines()[-1:] or [""]
        # The class of the worker's error only, never its message (the logging rule).
        kind = last[0].split(":", 1)[0][:80]
        log.warning("stats chart worker failed (exit %s): %s", process.returncode, kind)
        raise ChartError(f"exit {process.returncode}")
    return out
