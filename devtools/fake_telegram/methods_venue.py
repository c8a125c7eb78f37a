"""sendVenue and sendLocation, with Telegram's checks: coordinates in range, title and address
given (Telegram answers a missing or empty one with 400)."""

from __future__ import annotations

from typing import Any

from devtools.fake_telegram.limits import Limits
from devtools.fake_telegram.models import BotEvent
from devtools.fake_telegram.rules import bad, check_reply_markup


def _coordinate(p: dict, name: str, limit: float) -> float:
    value: Any = p.get(name)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise bad(f"{name} is empty") from None
    if not -limit <= number <= limit:
        raise bad("wrong latitude" if name == "latitude" else "wrong longitude")
    return number


class VenueMethods(Limits):
    """A venue or a location is stored as the message's `venue` / `location` (no text)."""

    def _location(self, p: dict) -> dict:
        return {
            "latitude": _coordinate(p, "latitude", 90),
            "longitude": _coordinate(p, "longitude", 180),
        }

    async def _m_sendVenue(self, p, files, token):
        chat = self._chat_for_send(p)
        location = self._location(p)
        for field in ("title", "address"):
            if not str(p.get(field) or "").strip():
                raise bad(f"venue {field} is empty")
        rows = check_reply_markup(p.get("reply_markup"))
        self._flood(token, chat)
        venue = {"location": location, "title": str(p["title"]), "address": str(p["address"])}
        shown = self._store(chat, token, media=("venue", venue), rows=rows)
        shown.raw["location"] = location
        self._emit(BotEvent("send", "sendVenue", chat.id, shown, p))
        return shown.raw

    async def _m_sendLocation(self, p, files, token):
        chat = self._chat_for_send(p)
        location = self._location(p)
        rows = check_reply_markup(p.get("reply_markup"))
        self._flood(token, chat)
        shown = self._store(chat, token, media=("location", location), rows=rows)
        self._emit(BotEvent("send", "sendLocation", chat.id, shown, p))
        return shown.raw
