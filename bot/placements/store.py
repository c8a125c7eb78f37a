"""Joins per placement code per day (migration 0010): `code, day, count`, nothing else."""

from __future__ import annotations

from datetime import date, timedelta

from bot.db import Database

SMALL = 5  # counts under this are shown as "< 5"


def shown(count: int) -> str:
    """How staff see a count: small ones are not told exactly."""
    return "< 5" if count < SMALL else str(count)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


class PlacementCounts:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, code: str, day: date) -> None:
        await self.db.execute(
            "INSERT INTO placement_joins (code, day, count) VALUES (?, ?, 1) "
            "ON CONFLICT (code, day) DO UPDATE SET count = count + 1",
            (code, day.isoformat()),
        )

    async def weekly(self, today: date, weeks: int) -> dict[str, dict[str, int]]:
        """Monday (ISO) -> code -> joins that week, for the last `weeks` weeks with any."""
        first = monday_of(today) - timedelta(weeks=weeks - 1)
        rows = await self.db.fetchall(
            "SELECT code, day, count FROM placement_joins WHERE day >= ?", (first.isoformat(),)
        )
        result: dict[str, dict[str, int]] = {}
        for code, day, count in rows:
            week = monday_of(date.fromisoformat(day)).isoformat()
            codes = result.setdefault(week, {})
            codes[code] = codes.get(code, 0) + int(count)
        return result
