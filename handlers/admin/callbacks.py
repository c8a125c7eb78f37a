"""Callback data of the broadcast composer's buttons ("a2"; "a1" buttons are stale) and of
the /admin overview's buttons ("ad1").

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


class AdminAction(StrEnum):
    OVERVIEW = "home"  # the /admin overview itself (from the staff's help page)
    BROADCAST = "bc"  # starts the composer, as /broadcast
    BROADCASTS = "list"  # as /broadcasts
    STATS = "stats"
    CAMPAIGNS = "camp"  # answered in handlers/campaigns/admin.py
    REPORTS = "rep"  # answered in handlers/reports/staff.py, only when reports are configured
    ADMINS = "admins"
    AUDIT = "audit"


class AdminCb(CallbackData, prefix="ad1"):
    """Each action is re-checked against the tapper's role where it is answered."""

    action: AdminAction
