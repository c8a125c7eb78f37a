"""SQL of the receptions (migration 0009): reminders, their counts, the announcement ledger.

A reminder row holds a chat id only until the reminder is sent: `finish` deletes it in the same
transaction that counts it as sent, and then empties the write-ahead log, so the deleted bytes
do not linger in the file (the database runs with secure_delete, which zeroes freed pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.db import Database


@dataclass(frozen=True)
class DueReminder:
    reception_id: str
    chat_id: int
    locale: str


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class ReceptionStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- reminders -----------------------------------------------------------------------------

    async def add_reminder(
        self, reception_id: str, chat_id: int, locale: str, due_at: datetime
    ) -> bool:
        changed = await self.db.execute(
            "INSERT OR IGNORE INTO reception_reminders (reception_id, chat_id, locale, due_at) "
            "VALUES (?, ?, ?, ?)",
            (reception_id, chat_id, locale, _iso(due_at)),
        )
        return changed > 0

    async def remove_reminder(self, reception_id: str, chat_id: int) -> bool:
        changed = await self.db.execute(
            "DELETE FROM reception_reminders WHERE reception_id = ? AND chat_id = ?",
            (reception_id, chat_id),
        )
        if changed:
            await self.forget_deleted()
        return changed > 0

    async def has_reminder(self, reception_id: str, chat_id: int) -> bool:
        row = await self.db.fetchone(
            "SELECT 1 FROM reception_reminders WHERE reception_id = ? AND chat_id = ?",
            (reception_id, chat_id),
        )
        return row is not None

    async def drop_interrupted(self) -> int:
        """Rows claimed by a run that never finished (the process died during the send): the
        reminder may have arrived, so it is not sent again (never twice), only deleted."""
        changed = await self.db.execute(
            "DELETE FROM reception_reminders WHERE claimed_at IS NOT NULL"
        )
        if changed:
            await self.forget_deleted()
        return changed

    async def claim_due(self, now: datetime, limit: int = 100) -> list[DueReminder]:
        """Due reminders, marked as being sent (committed before any send)."""
        async with self.db.transaction() as tx:
            rows = await tx.fetchall(
                "UPDATE reception_reminders SET claimed_at = ? WHERE rowid IN ("
                "SELECT rowid FROM reception_reminders WHERE claimed_at IS NULL AND due_at <= ? "
                "ORDER BY due_at LIMIT ?) RETURNING reception_id, chat_id, locale",
                (_iso(now), _iso(now), limit),
            )
        return [DueReminder(str(r[0]), int(r[1]), str(r[2])) for r in rows]

    async def finish(self, reminder: DueReminder, *, sent: bool) -> None:
        """Delete the row; count it as sent in the same transaction. The caller empties the log
        (`forget_deleted`) after its batch."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "DELETE FROM reception_reminders WHERE reception_id = ? AND chat_id = ?",
                (reminder.reception_id, reminder.chat_id),
            )
            if sent:
                await tx.execute(
                    "INSERT INTO reception_reminder_counts (reception_id, sent) VALUES (?, 1) "
                    "ON CONFLICT (reception_id) DO UPDATE SET sent = sent + 1",
                    (reminder.reception_id,),
                )

    async def release(self, reminder: DueReminder) -> None:
        """A send that failed for a passing reason: try again at the next run."""
        await self.db.execute(
            "UPDATE reception_reminders SET claimed_at = NULL "
            "WHERE reception_id = ? AND chat_id = ?",
            (reminder.reception_id, reminder.chat_id),
        )

    async def drop_for(self, reception_ids: set[str]) -> int:
        """Reminders of receptions that are over or no longer in the content file."""
        if not reception_ids:
            return 0
        marks = ",".join("?" * len(reception_ids))
        changed = await self.db.execute(
            f"DELETE FROM reception_reminders WHERE reception_id IN ({marks})",
            tuple(sorted(reception_ids)),
        )
        if changed:
            await self.forget_deleted()
        return changed

    async def waiting_ids(self) -> set[str]:
        rows = await self.db.fetchall("SELECT DISTINCT reception_id FROM reception_reminders")
        return {str(r[0]) for r in rows}

    async def forget_deleted(self) -> None:
        """Empty the write-ahead log: old copies of deleted rows go with it."""
        await self.db.checkpoint()

    async def counts(self) -> dict[str, tuple[int, int]]:
        """reception id -> (waiting, sent). Numbers only: never who."""
        result: dict[str, tuple[int, int]] = {}
        for rid, n in await self.db.fetchall(
            "SELECT reception_id, COUNT(*) FROM reception_reminders GROUP BY reception_id"
        ):
            result[str(rid)] = (int(n), 0)
        for rid, n in await self.db.fetchall(
            "SELECT reception_id, sent FROM reception_reminder_counts"
        ):
            result[str(rid)] = (result.get(str(rid), (0, 0))[0], int(n))
        return result

    # --- announcements -------------------------------------------------------------------------

    async def announcement(self, reception_id: str) -> int | None:
        row = await self.db.fetchone(
            "SELECT delivery_id FROM reception_announcements WHERE reception_id = ?",
            (reception_id,),
        )
        return int(row[0]) if row else None

    async def record_announcement(self, reception_id: str, delivery_id: int, now: datetime) -> None:
        await self.db.execute(
            "INSERT OR IGNORE INTO reception_announcements (reception_id, delivery_id, at) "
            "VALUES (?, ?, ?)",
            (reception_id, delivery_id, _iso(now)),
        )

    async def region_count(self, region: str) -> int:
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM users WHERE region = ? AND blocked = 0", (region,)
        )
        return int(row[0]) if row else 0
