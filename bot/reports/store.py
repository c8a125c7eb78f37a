"""The sealed report tables: create, find by lookup id, add entries, status, export, purge.

Rows carry no identity and no exact time (see migration 0002). Bodies arrive already sealed;
this module never sees a plaintext.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from bot.db import Database

STATUSES = ("new", "in_review", "lawyer", "closed")
OPEN_STATUSES = ("new", "in_review", "lawyer")  # what staff still work on: all but closed
URGENCIES = ("danger", "no", "unknown")
REF_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: easy to read aloud
EXPORT_FORMAT = "notorture-sealed-reports/1"
log = logging.getLogger(__name__)


def week_of(day: date) -> str:
    """The Monday of the week, YYYY-MM-DD: the only time a report row keeps."""
    return (day - timedelta(days=day.weekday())).isoformat()


def purge_date(active_week: str, retention_days: int) -> date:
    """The first day the purge may delete a report: never earlier than promised to the reporter.

    The last activity may have happened on the Sunday of its week, so count from the week's end.
    """
    return date.fromisoformat(active_week) + timedelta(days=7 + retention_days)


def new_ref() -> str:
    return "R-" + "".join(secrets.choice(REF_ALPHABET) for _ in range(6))


def normalise_ref(text: str) -> str:
    text = text.strip().upper()
    return text if text.startswith("R-") else "R-" + text


@dataclass(frozen=True)
class SealedEntry:
    kind: str  # answers | text | file | reply
    sealed_keys: str
    body: bytes


@dataclass(frozen=True)
class ReportRow:
    report_id: bytes
    ref: str
    reporter_key: bytes
    category: str | None
    oblast: str | None
    urgency: str
    status: str
    stats_consent: bool
    week: str
    active_week: str


@dataclass(frozen=True)
class Triage:
    category: str | None
    oblast: str | None
    urgency: str
    stats_consent: bool


_REPORT_COLUMNS = (
    "report_id, ref, reporter_key, category, oblast, urgency, status, stats_consent, week, "
    "active_week"
)


def _row(row) -> ReportRow:
    return ReportRow(
        bytes(row["report_id"]),
        row["ref"],
        bytes(row["reporter_key"]),
        row["category"],
        row["oblast"],
        row["urgency"],
        row["status"],
        bool(row["stats_consent"]),
        row["week"],
        row["active_week"],
    )


class ReportStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        *,
        lookup: bytes,
        reporter_key: bytes,
        triage: Triage,
        entries: list[SealedEntry],
        today: date,
    ) -> str:
        """Insert a report and its entries in one transaction; returns the staff reference."""
        week = week_of(today)
        report_id = secrets.token_bytes(16)
        async with self.db.transaction() as tx:
            ref = new_ref()
            while await tx.fetchone("SELECT 1 FROM reports WHERE ref = ?", (ref,)):
                ref = new_ref()
            await tx.execute(
                "INSERT INTO reports (report_id, ref, lookup, reporter_key, category, oblast,"
                " urgency, stats_consent, week, active_week) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    report_id,
                    ref,
                    lookup,
                    reporter_key,
                    triage.category,
                    triage.oblast,
                    triage.urgency,
                    int(triage.stats_consent),
                    week,
                    week,
                ),
            )
            for seq, entry in enumerate(entries):
                await self._insert_entry(tx, report_id, seq, entry, week)
        return ref

    @staticmethod
    async def _insert_entry(tx, report_id: bytes, seq: int, entry: SealedEntry, week: str) -> None:
        await tx.execute(
            "INSERT INTO report_entries (entry_id, report_id, seq, kind, week, sealed_keys, body)"
            " VALUES (?,?,?,?,?,?,?)",
            (
                secrets.token_bytes(16),
                report_id,
                seq,
                entry.kind,
                week,
                entry.sealed_keys,
                entry.body,
            ),
        )

    async def lookup_exists(self, lookup: bytes) -> bool:
        return (
            await self.db.fetchone("SELECT 1 FROM reports WHERE lookup = ?", (lookup,)) is not None
        )

    async def find(self, lookup: bytes) -> ReportRow | None:
        row = await self.db.fetchone(
            f"SELECT {_REPORT_COLUMNS} FROM reports WHERE lookup = ?", (lookup,)
        )
        return _row(row) if row else None

    async def find_by_id(self, report_id: bytes) -> ReportRow | None:
        row = await self.db.fetchone(
            f"SELECT {_REPORT_COLUMNS} FROM reports WHERE report_id = ?", (report_id,)
        )
        return _row(row) if row else None

    async def by_ref(self, ref: str) -> ReportRow | None:
        row = await self.db.fetchone(
            f"SELECT {_REPORT_COLUMNS} FROM reports WHERE ref = ?", (normalise_ref(ref),)
        )
        return _row(row) if row else None

    async def add_entries(self, report_id: bytes, entries: list[SealedEntry], today: date) -> None:
        """Append entries and mark the report active this week (which moves its purge date)."""
        week = week_of(today)
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT COALESCE(MAX(seq), -1) AS last FROM report_entries WHERE report_id = ?",
                (report_id,),
            )
            seq = int(row["last"]) + 1 if row else 0
            for offset, entry in enumerate(entries):
                await self._insert_entry(tx, report_id, seq + offset, entry, week)
            await tx.execute(
                "UPDATE reports SET active_week = ? WHERE report_id = ?", (week, report_id)
            )

    async def entries(self, report_id: bytes, kinds: tuple[str, ...] | None = None) -> list:
        rows = await self.db.fetchall(
            "SELECT seq, kind, week, sealed_keys, body FROM report_entries WHERE report_id = ?"
            " ORDER BY seq",
            (report_id,),
        )
        return [r for r in rows if kinds is None or r["kind"] in kinds]

    async def list(self, status: str | None = None) -> list[ReportRow]:
        where, params = ("WHERE status = ?", (status,)) if status else ("", ())
        rows = await self.db.fetchall(
            f"SELECT {_REPORT_COLUMNS} FROM reports {where} ORDER BY week, ref", params
        )
        return [_row(r) for r in rows]

    async def search(
        self,
        statuses: tuple[str, ...],
        *,
        region: str | None = None,
        place: str | None = None,
        urgency: str | None = None,
    ) -> list[ReportRow]:
        """The staff's list: reports in any of `statuses`, narrowed by the coarse triage fields."""
        where = [f"status IN ({','.join('?' * len(statuses))})"]
        params: list[object] = list(statuses)
        for column, value in (("oblast", region), ("category", place), ("urgency", urgency)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        rows = await self.db.fetchall(
            f"SELECT {_REPORT_COLUMNS} FROM reports WHERE {' AND '.join(where)}"
            " ORDER BY week DESC, ref",
            tuple(params),
        )
        return [_row(r) for r in rows]

    async def set_status(self, ref: str, status: str) -> bool:
        if status not in STATUSES:
            raise ValueError(status)
        changed = await self.db.execute(
            "UPDATE reports SET status = ? WHERE ref = ?", (status, normalise_ref(ref))
        )
        return changed > 0

    async def export(self) -> dict:
        """Every report with its sealed entries, for the offline machine. Nothing is decrypted."""
        reports = []
        for report in await self.list():
            entries = await self.entries(report.report_id)
            reports.append(
                {
                    "ref": report.ref,
                    "category": report.category,
                    "oblast": report.oblast,
                    "urgency": report.urgency,
                    "status": report.status,
                    "stats_consent": report.stats_consent,
                    "week": report.week,
                    "active_week": report.active_week,
                    "entries": [
                        {
                            "seq": e["seq"],
                            "kind": e["kind"],
                            "week": e["week"],
                            "sealed_keys": json.loads(e["sealed_keys"]),
                            "body": base64.b64encode(bytes(e["body"])).decode(),
                        }
                        for e in entries
                    ],
                }
            )
        return {"format": EXPORT_FORMAT, "reports": reports}

    async def consented_counts(
        self, weeks: int
    ) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
        """Reports whose authors agreed to statistics, over the last `weeks` weeks that have
        any: (week → category → count, region → count)."""
        found = await self.db.fetchall(
            "SELECT DISTINCT week FROM reports WHERE stats_consent = 1 ORDER BY week DESC LIMIT ?",
            (weeks,),
        )
        by_category: dict[str, dict[str, int]] = {}
        by_region: dict[str, int] = {}
        if not found:
            return by_category, by_region
        oldest = found[-1][0]
        for week, category, n in await self.db.fetchall(
            "SELECT week, COALESCE(category, '?'), COUNT(*) FROM reports WHERE week >= ? "
            "AND stats_consent = 1 GROUP BY week, category ORDER BY week",
            (oldest,),
        ):
            by_category.setdefault(str(week), {})[str(category)] = int(n)
        for oblast, n in await self.db.fetchall(
            "SELECT COALESCE(oblast, '?'), COUNT(*) FROM reports WHERE week >= ? "
            "AND stats_consent = 1 GROUP BY oblast",
            (oldest,),
        ):
            by_region[str(oblast)] = int(n)
        return by_category, by_region

    async def purge(self, today: date, retention_days: int) -> int:
        """Delete reports inactive for longer than the retention. secure_delete zeroes the freed
        pages at the commit, and the rollback journal is gone once the transaction ends."""
        cutoff = today - timedelta(days=7 + retention_days)
        async with self.db.transaction() as tx:
            # active_week <= cutoff  ⇔  purge_date(active_week) <= today
            deleted = await tx.execute(
                "DELETE FROM reports WHERE active_week <= ?", (cutoff.isoformat(),)
            )
        return deleted
