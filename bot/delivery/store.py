"""SQL of the delivery queue: deliveries, their items, expansion in batches, claiming, results."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from bot import LOCALES
from bot.config import Settings
from bot.db import Database
from bot.delivery.models import Audience, OutgoingMessage, versions_from_json, versions_to_json

EXPAND_BATCH = 1000
ACTIVE_STATES = ("scheduled", "expanding", "sending")


@dataclass(frozen=True)
class DeliveryRow:
    id: int
    kind: str
    versions: dict[str, OutgoingMessage]
    audience: Audience
    not_before: datetime | None
    state: str
    expand_cursor: int
    started_at: str | None
    created_at: str | None = None


@dataclass(frozen=True)
class Item:
    """A claimed (delivery, recipient) row."""

    delivery_id: int
    target: str
    locale: str
    is_channel: bool


@dataclass(frozen=True)
class Outcome:
    item: Item
    state: str  # sent | blocked | failed | pending (give back, e.g. cancelled while queued)
    attempts: int = 1
    reason: str | None = None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _row(row) -> DeliveryRow:
    return DeliveryRow(
        id=row["id"],
        kind=row["kind"],
        versions=versions_from_json(row["versions"]),
        audience=Audience.from_json(json.loads(row["audience"])),
        not_before=datetime.fromisoformat(row["not_before"]) if row["not_before"] else None,
        state=row["state"],
        expand_cursor=row["expand_cursor"],
        started_at=row["started_at"],
        created_at=row["created_at"],
    )


class DeliveryStore:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    async def create(
        self,
        *,
        kind: str,
        dedupe_key: str,
        versions: dict[str, OutgoingMessage],
        audience: Audience,
        not_before: datetime | None,
        created_by: int | None,
        now: datetime,
    ) -> int:
        """Insert a delivery, or return the id of the one with the same dedupe_key."""
        async with self.db.transaction() as tx:
            existing = await tx.fetchone(
                "SELECT id FROM deliveries WHERE dedupe_key = ?", (dedupe_key,)
            )
            if existing is not None:
                return int(existing[0])
            await tx.execute(
                "INSERT INTO deliveries (kind, dedupe_key, versions, audience, not_before, "
                "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    kind,
                    dedupe_key,
                    versions_to_json(versions),
                    json.dumps(audience.to_json()),
                    _iso(not_before) if not_before else None,
                    created_by,
                    _iso(now),
                ),
            )
            row = await tx.fetchone("SELECT last_insert_rowid()")
            assert row is not None
            return int(row[0])

    async def get(self, delivery_id: int) -> DeliveryRow | None:
        row = await self.db.fetchone("SELECT * FROM deliveries WHERE id = ?", (delivery_id,))
        return _row(row) if row else None

    async def active(self) -> list[DeliveryRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM deliveries WHERE state IN ('scheduled', 'expanding', 'sending') "
            "ORDER BY id"
        )
        return [_row(r) for r in rows]

    async def latest_active(self, kind: str, delivery_id: int | None = None) -> int | None:
        row = await self.db.fetchone(
            "SELECT id FROM deliveries WHERE kind = ? AND (? IS NULL OR id = ?) "
            "AND state IN ('scheduled', 'expanding', 'sending') ORDER BY id DESC LIMIT 1",
            (kind, delivery_id, delivery_id),
        )
        return int(row[0]) if row else None

    async def count_done(self, kind: str) -> int:
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM deliveries WHERE kind = ? AND state = 'done'", (kind,)
        )
        return int(row[0]) if row else 0

    async def count_audience(self, audience: Audience) -> int:
        """How many users `expand_batch` would queue for `audience` now (channels not counted)."""
        locales = tuple(loc for loc in audience.locales if loc in LOCALES)
        if not (audience.subscribers or audience.all_users) or not locales:
            return 0
        default = self.settings.default_locale
        marks = ",".join("?" * len(locales))
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM users u WHERE blocked = 0 AND (? OR subscribed = 1) "
            f"AND COALESCE(locale, ?) IN ({marks}) "
            "AND NOT EXISTS (SELECT 1 FROM campaign_optouts o "
            "WHERE o.user_id = u.user_id AND o.campaign_id = ?) "
            "AND (? IS NULL OR region = ?)",
            (
                int(audience.all_users),
                default,
                *locales,
                audience.campaign_id,
                audience.region,
                audience.region,
            ),
        )
        return int(row[0]) if row else 0

    async def recover(self) -> int:
        """After a restart: rows that were being sent when the process died go back to pending.

        Some of them may have reached the recipient (the answer was lost with the process):
        these are the only possible duplicates.
        """
        return await self.db.execute(
            "UPDATE delivery_items SET state = 'pending' WHERE state = 'sending'"
        )

    async def expand_batch(self, delivery: DeliveryRow, now: datetime) -> bool:
        """Queue the next batch of recipients; True when every recipient is queued."""
        audience = delivery.audience
        default = self.settings.default_locale
        locales = tuple(loc for loc in audience.locales if loc in LOCALES)
        async with self.db.transaction() as tx:
            state = await tx.fetchone(
                "SELECT state, expand_cursor FROM deliveries WHERE id = ?", (delivery.id,)
            )
            if state is None or state[0] not in ("scheduled", "expanding"):
                return True
            cursor = int(state[1])
            if state[0] == "scheduled":
                await tx.execute(
                    "UPDATE deliveries SET state = 'expanding', started_at = ? WHERE id = ?",
                    (_iso(now), delivery.id),
                )
                await self._queue_channels(tx, delivery)
            rows: list = []
            if (audience.subscribers or audience.all_users) and locales:
                marks = ",".join("?" * len(locales))
                rows = await tx.fetchall(
                    "SELECT user_id, COALESCE(locale, ?) FROM users u "
                    "WHERE user_id > ? AND blocked = 0 AND (? OR subscribed = 1) "
                    f"AND COALESCE(locale, ?) IN ({marks}) "
                    "AND NOT EXISTS (SELECT 1 FROM campaign_optouts o "
                    "WHERE o.user_id = u.user_id AND o.campaign_id = ?) "
                    "AND (? IS NULL OR region = ?) "
                    "ORDER BY user_id LIMIT ?",
                    (
                        default,
                        cursor,
                        int(audience.all_users),
                        default,
                        *locales,
                        audience.campaign_id,
                        audience.region,
                        audience.region,
                        EXPAND_BATCH,
                    ),
                )
            if rows:
                await tx.executemany(
                    "INSERT OR IGNORE INTO delivery_items (delivery_id, target, locale) "
                    "VALUES (?, ?, ?)",
                    [(delivery.id, str(r[0]), r[1]) for r in rows],
                )
                await tx.execute(
                    "UPDATE deliveries SET expand_cursor = ? WHERE id = ?",
                    (int(rows[-1][0]), delivery.id),
                )
            if len(rows) < EXPAND_BATCH:
                await tx.execute(
                    "UPDATE deliveries SET state = 'sending' WHERE id = ? AND state = 'expanding'",
                    (delivery.id,),
                )
                return True
            return False

    async def _queue_channels(self, tx, delivery: DeliveryRow) -> None:
        wanted = set(delivery.audience.channels)
        targets = [c for c in self.settings.channels if c.locale in wanted]
        if targets:
            await tx.executemany(
                "INSERT OR IGNORE INTO delivery_items (delivery_id, target, locale, is_channel) "
                "VALUES (?, ?, ?, 1)",
                [(delivery.id, c.chat, c.locale) for c in targets],
            )

    async def claim(self, delivery_id: int, limit: int) -> list[Item]:
        """Mark up to `limit` pending rows as being sent (committed before any request)."""
        if limit <= 0:
            return []
        async with self.db.transaction() as tx:
            rows = await tx.fetchall(
                "UPDATE delivery_items SET state = 'sending' WHERE rowid IN ("
                "SELECT rowid FROM delivery_items WHERE delivery_id = ? AND state = 'pending' "
                "LIMIT ?) RETURNING target, locale, is_channel",
                (delivery_id, limit),
            )
        return [Item(delivery_id, r[0], r[1], bool(r[2])) for r in rows]

    async def record(self, outcomes: list[Outcome]) -> None:
        """Write results in one transaction; blocked users are marked in `users` too."""
        if not outcomes:
            return
        async with self.db.transaction() as tx:
            await tx.executemany(
                "UPDATE delivery_items SET state = ?, attempts = attempts + ?, reason = ? "
                "WHERE delivery_id = ? AND target = ? AND state = 'sending'",
                [
                    (o.state, o.attempts, o.reason, o.item.delivery_id, o.item.target)
                    for o in outcomes
                ],
            )
            blocked = [(int(o.item.target),) for o in outcomes if o.state == "blocked"]
            if blocked:
                await tx.executemany("UPDATE users SET blocked = 1 WHERE user_id = ?", blocked)

    async def finish_if_complete(self, delivery_id: int, now: datetime) -> bool:
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT d.state, EXISTS (SELECT 1 FROM delivery_items i WHERE i.delivery_id = d.id "
                "AND i.state IN ('pending', 'sending')) FROM deliveries d WHERE d.id = ?",
                (delivery_id,),
            )
            if row is None or row[0] != "sending" or row[1]:
                return row is not None and row[0] in ("done", "cancelled")
            await tx.execute(
                "UPDATE deliveries SET state = 'done', finished_at = ? WHERE id = ?",
                (_iso(now), delivery_id),
            )
            return True

    async def cancel(self, delivery_id: int, now: datetime) -> None:
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE deliveries SET state = 'cancelled', finished_at = ? "
                "WHERE id = ? AND state IN ('scheduled', 'expanding', 'sending')",
                (_iso(now), delivery_id),
            )
            if changed:
                await tx.execute(
                    "UPDATE delivery_items SET state = 'cancelled' "
                    "WHERE delivery_id = ? AND state = 'pending'",
                    (delivery_id,),
                )

    async def counts(self, delivery_id: int) -> tuple[dict[str, int], dict[str, int]]:
        """Rows per state, and failure reasons with their counts."""
        rows = await self.db.fetchall(
            "SELECT state, COUNT(*) FROM delivery_items WHERE delivery_id = ? GROUP BY state",
            (delivery_id,),
        )
        reasons = await self.db.fetchall(
            "SELECT reason, COUNT(*) FROM delivery_items WHERE delivery_id = ? "
            "AND state = 'failed' GROUP BY reason",
            (delivery_id,),
        )
        return {r[0]: int(r[1]) for r in rows}, {str(r[0]): int(r[1]) for r in reasons}
