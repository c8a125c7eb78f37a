"""Every CallbackData of the core in one place. Short versioned prefixes keep old buttons parseable.

Never trust these values: handlers re-check everything a button claims (roles, ids, states).
"""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot import LOCALES


class Nav(CallbackData, prefix="n1"):
    """Open a screen by name, with an optional argument (e.g. an FAQ entry id and a page)."""

    screen: str
    arg: str = ""


class Locale(StrEnum):
    """The languages a person can pick (the same as bot.LOCALES)."""

    TG = "tg"
    RU = "ru"
    EN = "en"


if {locale.value for locale in Locale} != set(LOCALES):  # pragma: no cover - a wiring mistake
    raise RuntimeError("callbacks.Locale must list exactly bot.LOCALES")


class PickLanguage(CallbackData, prefix="l2"):
    """Choose a language, then open the screen `then` names (a deep link's payload, or home).

    "l1:<locale>[:<payload>]" buttons (hand-packed before) are out of date: the fallback
    answers them like every stale button."""

    locale: Locale
    then: str = ""
