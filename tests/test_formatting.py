"""Dates and numbers follow each locale's conventions (CLDR via Babel)."""

from __future__ import annotations

from datetime import date

from bot.formatting import format_day, format_number


def test_days_in_each_language() -> None:
    day = date(2026, 12, 10)
    assert format_day(day, "ru").replace("\u202f", " ") == "10 декабря 2026 г."
    assert format_day(day, "en") == "December 10, 2026"
    assert "Декабр" in format_day(day, "tg") and "2026" in format_day(day, "tg")


def test_numbers_in_each_language() -> None:
    assert format_number(1234567, "en") == "1,234,567"
    assert format_number(1234567, "ru").replace("\xa0", " ") == "1 234 567"
    assert format_number(1234567, "tg").replace("\xa0", " ") == "1 234 567"
