"""Buttons of the receptions ("rc1") and of the staff's announcement ("ra1").

Never trusted: handlers re-check the region code, that the reception exists and is upcoming,
and (for "ra1") the tapper's role, from the role table on every tap."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from bot.receptions.content import Reception
from bot.receptions.service import ReceptionService


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


async def upcoming_or_refuse(
    query: CallbackQuery, receptions: ReceptionService, reception_id: str, now: datetime
) -> Reception | None:
    """The button's reception if it is still upcoming; otherwise the tap is answered with why."""
    reception = receptions.get(reception_id)
    if reception is None or not receptions.is_upcoming(reception, now):
        await query.answer(_("This reception is over or no longer planned."))
        return None
    return reception
