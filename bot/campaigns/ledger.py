"""The exactly-once ledger, and the pause/skip controls, in SQLite (migration 0004).

A row (campaign, year, day, target) is written BEFORE its delivery is enqueued, and the delivery's
dedupe key is that row's key: whatever crashes in between, the next run sees the row still
`claimed` and enqueues again under the same key, which the delivery engine ignores if it has it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.db import Database

CLAIMED, ENQUEUED, MISSED, SKIPPED = "claimed", "enqueued", "missed", "skipped"


@dataclass(frozen=True)
class LedgerKey:
    campaign_id: str
    year: int
    day: str
    target: str  # "channel:<locale>" | "subscribers"

    @property
    def dedupe_key(self) -> str:
        """The delivery engine's dedupe key: the ledger key itself."""
        return f"campaign:{self.campaign_id}:{self.year}:{self.day}:{self.target}"

    def as_params(self) -> tuple[str, int, str, str]:
        return (self.campaign_id, self.year, self.day, self.target)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class CampaignLedger:
    """All SQL on campaign_ledger, campaign_pauses and campaign_skips."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def claim(self, key: LedgerKey) -> str | None:
        """Create the row as `claimed` if it is new; return the row's status afterwards."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT OR IGNORE INTO campaign_ledger "
                "(campaign_id, year, day, target, status, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (*key.as_params(), CLAIMED, _now()),
            )
            row = await tx.fetchone(
                "SELECT status FROM campaign_ledger "
                "WHERE campaign_id = ? AND year = ? AND day = ? AND target = ?",
                key.as_params(),
            )
        return row[0] if row else None

    async def mark_enqueued(self, key: LedgerKey, delivery_id: int) -> None:
        await self.db.execute(
            "UPDATE campaign_ledger SET status = ?, delivery_id = ?, updated_at = ? "
            "WHERE campaign_id = ? AND year = ? AND day = ? AND target = ?",
            (ENQUEUED, str(delivery_id), _now(), *key.as_params()),
        )

    async def record_once(self, key: LedgerKey, status: str) -> bool:
        """A `missed` or `skipped` row; True if it is new (so the caller logs it once)."""
        changed = await self.db.execute(
            "INSERT OR IGNORE INTO campaign_ledger "
            "(campaign_id, year, day, target, status, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            (*key.as_params(), status, _now()),
        )
        return changed > 0

    async def has_posted(self, campaign_id: str) -> bool:
        """True once this campaign was ever enqueued here (a missed day is then worth a warning)."""
        row = await self.db.fetchone(
            "SELECT 1 FROM campaign_ledger WHERE campaign_id = ? AND status = 'enqueued' LIMIT 1",
            (campaign_id,),
        )
        return row is not None

    async def status(self, key: LedgerKey) -> str | None:
        row = await self.db.fetchone(
            "SELECT status FROM campaign_ledger "
            "WHERE campaign_id = ? AND year = ? AND day = ? AND target = ?",
            key.as_params(),
        )
        return row[0] if row else None

    async def rows(self, campaign_id: str | None = None) -> list[tuple[str, int, str, str, str]]:
        """(campaign, year, day, target, status) in order, for tests and the admin list."""
        result = await self.db.fetchall(
            "SELECT campaign_id, year, day, target, status FROM campaign_ledger "
            "WHERE (? IS NULL OR campaign_id = ?) ORDER BY campaign_id, year, updated_at",
            (campaign_id, campaign_id),
        )
        return [tuple(row) for row in result]  # type: ignore[misc]

    # --- admin controls ------------------------------------------------------------------------

    async def set_paused(self, campaign_id: str, paused: bool) -> None:
        if paused:
            await self.db.execute(
                "INSERT OR IGNORE INTO campaign_pauses (campaign_id, paused_at) VALUES (?, ?)",
                (campaign_id, _now()),
            )
        else:
            await self.db.execute(
                "DELETE FROM campaign_pauses WHERE campaign_id = ?", (campaign_id,)
            )

    async def paused(self) -> set[str]:
        return {row[0] for row in await self.db.fetchall("SELECT campaign_id FROM campaign_pauses")}

    async def skip_day(self, campaign_id: str, year: int, day: str) -> bool:
        changed = await self.db.execute(
            "INSERT OR IGNORE INTO campaign_skips (campaign_id, year, day) VALUES (?, ?, ?)",
            (campaign_id, year, day),
        )
        return changed > 0

    async def unskip_day(self, campaign_id: str, year: int, day: str) -> bool:
        """Undo `skip_day`; True if the day was skipped. A `skipped` ledger row the runner already
        wrote for it goes too, so the day is posted if it is still due (today, before the late
        limit) — never twice: enqueued rows are kept."""
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                "DELETE FROM campaign_skips WHERE campaign_id = ? AND year = ? AND day = ?",
                (campaign_id, year, day),
            )
            await tx.execute(
                "DELETE FROM campaign_ledger WHERE campaign_id = ? AND year = ? AND day = ? "
                "AND status = ?",
                (campaign_id, year, day, SKIPPED),
            )
        return changed > 0

    async def skipped_days(self, campaign_id: str) -> set[tuple[int, str]]:
        """(year, day) of every day an admin skipped in this campaign."""
        rows = await self.db.fetchall(
            "SELECT year, day FROM campaign_skips WHERE campaign_id = ?", (campaign_id,)
        )
        return {(int(row[0]), str(row[1])) for row in rows}

    async def recorded(self, campaign_id: str, year: int, day: str) -> bool:
        """True once the runner wrote any row for this day (posted, missed or skipped)."""
        row = await self.db.fetchone(
            "SELECT 1 FROM campaign_ledger WHERE campaign_id = ? AND year = ? AND day = ? LIMIT 1",
            (campaign_id, year, day),
        )
        return row is not None

    async def is_skipped(self, campaign_id: str, year: int, day: str) -> bool:
        row = await self.db.fetchone(
            "SELECT 1 FROM campaign_skips WHERE campaign_id = ? AND year = ? AND day = ?",
            (campaign_id, year, day),
        )
        return row is not None

    # --- the deployment's first start ----------------------------------------------------------

    async def first_start(self, now: datetime) -> datetime:
        """When campaigns first ran on this database: `now` on the very first call, then kept."""
        await self.db.execute(
            "INSERT OR IGNORE INTO campaign_meta (name, value) VALUES ('first_start', ?)",
            (now.isoformat(),),
        )
        row = await self.db.fetchone("SELECT value FROM campaign_meta WHERE name = 'first_start'")
        return datetime.fromisoformat(row[0])

    async def set_first_start(self, moment: datetime) -> None:
        """For an operator moving a deployment (and for tests): the first start is `moment`."""
        await self.db.execute(
            "INSERT OR REPLACE INTO campaign_meta (name, value) VALUES ('first_start', ?)",
            (moment.isoformat(),),
        )
