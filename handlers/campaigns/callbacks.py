"""Buttons of the "Daily posts" screen ("c1"). Never trusted: handlers re-check the campaign id."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class ChoiceAction(StrEnum):
    SUBSCRIBE = "on"
    UNSUBSCRIBE = "off"
    TOGGLE = "tog"  # include or exclude `campaign`


class CampaignChoice(CallbackData, prefix="c1"):
    action: ChoiceAction
    campaign: str = ""
