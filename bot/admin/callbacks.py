"""Callback data of admin buttons ("a1" prefix). Never trusted: handlers re-check role and state."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class AdminCb(CallbackData, prefix="a1"):
    action: str  # lang | next | aud | when | confirm | abort
    value: str = ""
