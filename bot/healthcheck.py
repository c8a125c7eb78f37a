"""`python -m bot healthcheck`: for Docker's HEALTHCHECK: the webhook answers, or the database opens."""

from __future__ import annotations

import argparse
import asyncio
import urllib.request
from pathlib import Path

from bot.config import load_settings
from bot.db import Database


def command(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings.webhook_url:
        host, port = settings.listen_host_port
        host = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host
        with urllib.request.urlopen(f"http://{host}:{port}/healthz", timeout=5) as response:
            return 0 if response.status == 200 else 1

    return asyncio.run(probe(settings.database_path))


async def probe(database_path: Path) -> int:
    """Open the database and read from it, without migrating: only the bot itself migrates
    (an upgrade moves the sealed reports to their own file before the old tables go)."""
    db = Database(database_path)
    await db.open(migrate_to=0)
    try:
        return 0 if await db.fetchone("SELECT 1") else 1
    finally:
        await db.close()


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("healthcheck", help="exit 0 when the bot is healthy")
    parser.set_defaults(func=command)
