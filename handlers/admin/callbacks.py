"""Callback data of the broadcast composer's buttons ("a2"; "a1" buttons are stale).

Never trusted: the admin routers re-check the role and the FSM step, handlers the value.
"""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class BroadcastAction(StrEnum):
    LANGUAGE = "lang"  # value: the locale whose version comes next
    PREVIEW = "next"
    AUDIENCE = "aud"  # value: "all", a locale, or "done"
    CHANNEL = "ch"  # value: the locale of a configured channel
    WHEN = "when"  # value: "now" | "later"
    CONFIRM = "confirm"
    ABORT = "abort"
    BACK = "back"  # value: the step (Compose state name) the button belongs to


class BroadcastCb(CallbackData, prefix="a2"):
    action: BroadcastAction
    value: str = ""
