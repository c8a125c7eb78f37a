"""Buttons of the "Daily posts" screen. Never trusted: handlers re-check the campaign id."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class CampaignChoice(CallbackData, prefix="c1"):
    """action: "on" subscribe, "off" unsubscribe, "tog" include/exclude one campaign."""

    action: str
    campaign: str = ""
