"""Logging: one line per event, no message text and no user ids (the code never passes them)."""

from __future__ import annotations

import logging


def setup_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    # aiohttp's access log would record request paths of the webhook; it is not needed.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
