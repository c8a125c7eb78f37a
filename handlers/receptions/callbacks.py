"""Buttons of the receptions ("rc1") and of the staff's announcement ("ra1").

Never trusted: handlers re-check the region code, that the reception exists and is upcoming,
and (for "ra1") the tapper's role, read from the database on every tap."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class ReceptionAction(StrEnum):
    REGION = "reg"  # arg: a region code, or "" to forget the region
    PLACE = "map"  # arg: reception id → the map, the .ics file, the copy-address button
    REMIND = "rem"
    UNREMIND = "unrem"


class ReceptionCb(CallbackData, prefix="rc1"):
    action: ReceptionAction
    arg: str = ""


class AnnounceAction(StrEnum):
    CONFIRM = "ok"


class AnnounceCb(CallbackData, prefix="ra1"):
    action: AnnounceAction
    reception: str
