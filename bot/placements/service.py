"""The placements feature's service, built once by bot/app.py `create_placement_service`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs, urlparse

from bot.db import Database
from bot.links import LINK_DOMAINS, DeepLinks
from bot.placements.content import PREFIX, Placement, load_placements
from bot.placements.store import PlacementCounts

PAYLOAD_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # Telegram's rule for a start payload


@dataclass
class PlacementService:
    placements: dict[str, Placement]
    counts: PlacementCounts
    links: DeepLinks

    async def joined(self, code: str, day: date) -> Placement | None:
        """Someone opened `?start=p_<code>`: count it for the day (unknown codes: nothing)."""
        placement = self.placements.get(code)
        if placement is not None:
            await self.counts.add(code, day)
        return placement

    def link(self, code: str) -> str:
        return self.links.start(PREFIX + code)

    def qr_link(self, argument: str) -> str | None:
        """/qr's argument: a placement code (with or without p_), or a deep link into this bot
        (any LINK_DOMAINS spelling); the link is rebuilt on this bot's LINK_DOMAIN."""
        text = argument.strip()
        code = text.removeprefix(PREFIX)
        if code in self.placements:
            return self.link(code)
        url = urlparse(text if "://" in text else "https://" + text)
        if url.hostname not in LINK_DOMAINS:
            return None
        if url.path.strip("/").lower() != self.links.username.lower():
            return None
        payload = parse_qs(url.query).get("start", [""])[0]
        if not payload:
            return self.links.bot()
        return self.links.start(payload) if PAYLOAD_RE.match(payload) else None


def create_placement_service(db: Database, links: DeepLinks) -> PlacementService:
    """Load content/placements.yaml (errors raise ContentError)."""
    return PlacementService(load_placements(), PlacementCounts(db), links)
