"""Every CallbackData of the core in one place. Short versioned prefixes keep old buttons parseable.

Never trust these values: handlers re-check everything a button claims (roles, ids, states).
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class Nav(CallbackData, prefix="n1"):
    """Open a screen by name, with an optional argument (e.g. an FAQ entry id and a page)."""

    screen: str
    arg: str = ""


class PickLanguage(CallbackData, prefix="l1"):
    locale: str
