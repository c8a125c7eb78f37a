"""Dates and numbers in the reader's language (Babel / CLDR), e.g. «10 декабря 2026 г.», «10 Декабр 2026»."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal


def format_day(day: date, locale: str) -> str:
    """A calendar day in long form, in the locale's own words."""
    return _babel_date(day, format="long", locale=locale)


def format_moment(moment: datetime, locale: str) -> str:
    """A date and time (already in the Coalition's time zone), medium length."""
    return _babel_datetime(moment, format="d MMM y, HH:mm", locale=locale, tzinfo=moment.tzinfo)


def format_number(value: int | float, locale: str) -> str:
    """Thousands separated the local way: 1 234 567 (tg, ru) or 1,234,567 (en)."""
    return format_decimal(value, locale=locale)
