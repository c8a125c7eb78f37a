"""SQL of the broadcasts table: the admin's broadcast numbers and where each progress message is."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db import Database


@dataclass(frozen=True)
class BroadcastRow:
    number: int  # the admin's number: 1, 2, 3 … among broadcasts only
    delivery_id: int
    chat_id: int
    locale: str | None
    message_id: int | None
    summary_sent: bool


def _row(row) -> BroadcastRow:
    return BroadcastRow(
        number=int(row["number"]),
        delivery_id=int(row["delivery_id"]),
        chat_id=int(row["chat_id"]),
        locale=row["locale"],
        message_id=row["message_id"],
        summary_sent=bool(row["summary_sent"]),
    )


class BroadcastStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, delivery_id: int, chat_id: int, locale: str | None) -> BroadcastRow:
        """Number a delivery as the next broadcast; a repeat returns the existing row."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT OR IGNORE INTO broadcasts (delivery_id, chat_id, locale) VALUES (?, ?, ?)",
                (delivery_id, chat_id, locale),
            )
            row = await tx.fetchone(
                "SELECT * FROM broadcasts WHERE delivery_id = ?", (delivery_id,)
            )
        assert row is not None
        return _row(row)

    async def get(self, number: int) -> BroadcastRow | None:
        row = await self.db.fetchone("SELECT * FROM broadcasts WHERE number = ?", (number,))
        return _row(row) if row else None

    async def set_message(self, number: int, message_id: int) -> None:
        await self.db.execute(
            "UPDATE broadcasts SET message_id = ? WHERE number = ?", (message_id, number)
        )

    async def claim_summary(self, number: int) -> bool:
        """True once per broadcast: whoever gets True sends the summary (never twice, even
        across a restart; a kill between this and the send loses that one summary)."""
        changed = await self.db.execute(
            "UPDATE broadcasts SET summary_sent = 1 WHERE number = ? AND summary_sent = 0",
            (number,),
        )
        return changed > 0

    async def unsummarised(self) -> list[BroadcastRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM broadcasts WHERE summary_sent = 0 ORDER BY number"
        )
        return [_row(r) for r in rows]

    async def latest_active(self, number: int | None = None) -> BroadcastRow | None:
        """The newest scheduled or running broadcast (or `number` if it is one)."""
        row = await self.db.fetchone(
            "SELECT b.* FROM broadcasts b JOIN deliveries d ON d.id = b.delivery_id "
            "WHERE (? IS NULL OR b.number = ?) "
            "AND d.state IN ('scheduled', 'expanding', 'sending') "
            "ORDER BY b.number DESC LIMIT 1",
            (number, number),
        )
        return _row(row) if row else None

    async def recent(self, limit: int) -> list[BroadcastRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM broadcasts ORDER BY number DESC LIMIT ?", (limit,)
        )
        return [_row(r) for r in rows]
