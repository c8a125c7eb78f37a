"""Buttons of the report flow and of "Check my report". Values are re-checked against the session."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class ReportCb(CallbackData, prefix="r1"):
    """action: go | a (answer) | t (toggle) | skip | done | send | x (exit) | add | fin."""

    action: str
    value: str = ""
