"""The report logic handlers call: sealing a submission, receipts, check, additions, replies.

Holds only public keys. Plaintext exists in memory while a person is in a session, never on disk.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.config import Settings, TrusteeKey
from bot.reports import costs, crypto
from bot.reports.crypto import Payload
from bot.reports.limits import ReceiptLimiter, SubmissionLimiter, UserKeys
from bot.reports.receipt import PRODUCTION_KDF, KdfParams, ReceiptSalts, derive, new_receipt
from bot.reports.session import DeleteQueue, Draft, Sessions
from bot.reports.storage import deployment_salts, open_reports_db, reports_path
from bot.reports.store import ReportRow, ReportStore, SealedEntry, Triage, purge_date, week_of


@dataclass(frozen=True)
class Reply:
    week: str
    text: str


@dataclass(frozen=True)
class CheckResult:
    report: ReportRow
    reporter_private: bytes
    replies: list[Reply]


@dataclass
class Notice:
    ref: str
    kind: str  # new | update
    category: str | None
    oblast: str | None
    urgency: str


@dataclass
class NoticeBatch:
    """References waiting for the staff chat. They go out only at fixed times of day
    (REPORT_NOTICE_TIMES), never because one arrived, and in the order of their random
    references, so neither the time of a notice nor a place in it matches a person."""

    pending: list[Notice] = field(default_factory=list)

    def add(self, notice: Notice) -> None:
        if not any(n.ref == notice.ref and n.kind == notice.kind for n in self.pending):
            self.pending.append(notice)

    def take_all(self) -> list[Notice]:
        taken, self.pending = sorted(self.pending, key=lambda n: n.ref), []
        return taken


class ReportService:
    def __init__(
        self,
        store: ReportStore,
        trustees: list[TrusteeKey],
        clock: Callable[[], datetime],
        *,
        retention_days: int,
        salts: ReceiptSalts,
        kdf: KdfParams = PRODUCTION_KDF,
    ) -> None:
        self.store = store
        self.salts = salts
        self.trustees = trustees
        self.clock = clock
        self.retention_days = retention_days
        self.kdf = kdf
        self.deletes = DeleteQueue()
        self.sessions = Sessions(self.deletes)
        keys = UserKeys()
        self.receipt_limits = ReceiptLimiter(keys, clock)
        self.submission_limits = SubmissionLimiter(keys, clock)
        self.notices = NoticeBatch()
        # One limit for the whole bot (every user, check and submission alike): each production
        # Argon2id derivation needs 256 MiB and a receipt takes two, so at most
        # KDF_DERIVATIONS_IN_FLIGHT × 256 MiB is ever held by the KDF. Waiters queue here.
        self._kdf_slots = asyncio.Semaphore(
            max(1, costs.KDF_DERIVATIONS_IN_FLIGHT // costs.DERIVATIONS_PER_RECEIPT)
        )
        self.wrong_receipts = costs.WrongReceiptBucket(clock)

    def today(self) -> date:
        return self.clock().date()

    def _entry(self, kind: str, key: bytes, body: bytes, reporter_public: bytes | None = None):
        return SealedEntry(kind, crypto.seal_key(key, self.trustees, reporter_public), body)

    def draft_refusal(self, draft: Draft, incoming: int | None) -> str | None:
        """Why this draft cannot take one more file of `incoming` bytes ("files", "bytes");
        None when it can, or when what came is no file (incoming None)."""
        if incoming is None:
            return None
        return costs.draft_refusal(len(draft.sealed_files), sum(draft.file_sizes), incoming)

    def seal_file(
        self,
        draft: Draft,
        kind: str,
        name: str | None,
        mime: str | None,
        data: bytes,
        caption: str | None = None,
    ):
        """Encrypt a file with the draft's key at once, so memory holds no plaintext copy."""
        header = {"type": "file", "kind": kind, "name": name, "mime": mime, "size": len(data)}
        if caption:
            header["caption"] = caption  # sealed with its file
        draft.sealed_files.append(crypto.encrypt(draft.key, Payload(header, data).encode()))
        draft.file_sizes.append(len(data))

    async def _derive(self, digits: str):
        async with self._kdf_slots:
            return await derive(digits, self.kdf, self.salts)

    async def submit(self, draft: Draft) -> tuple[str, str]:
        """Seal and commit the report; returns (receipt digits, staff reference).

        The commit happens before this returns, so the receipt is shown only for a stored report.
        """
        answers = dict(draft.answers)
        while True:
            digits = new_receipt()
            keys = await self._derive(digits)
            if not await self.store.lookup_exists(keys.lookup):
                break
        payload = Payload({"type": "answers", "answers": answers, "text": draft.text})
        entries = [self._entry("answers", draft.key, crypto.encrypt(draft.key, payload.encode()))]
        entries += [self._entry("file", draft.key, body) for body in draft.sealed_files]
        triage = Triage(
            category=_str(answers.get("place")),
            oblast=_str(answers.get("region")),
            urgency={"yes": "danger", "no": "no"}.get(str(answers.get("danger")), "unknown"),
            stats_consent=answers.get("stats") == "yes",
        )
        ref = await self.store.create(
            lookup=keys.lookup,
            reporter_key=keys.reporter_public,
            triage=triage,
            entries=entries,
            today=self.today(),
        )
        self.notices.add(Notice(ref, "new", triage.category, triage.oblast, triage.urgency))
        return digits, ref

    async def check(self, digits: str) -> CheckResult | None:
        keys = await self._derive(digits)
        report = await self.store.find(keys.lookup)
        if report is None:
            return None
        replies = []
        for entry in await self.store.entries(report.report_id, ("reply",)):
            key = crypto.open_key(entry["sealed_keys"], crypto.REPORTER, keys.reporter_private)
            payload = Payload.decode(crypto.decrypt(key, bytes(entry["body"])))
            replies.append(Reply(entry["week"], str(payload.header.get("text", ""))))
        return CheckResult(report, keys.reporter_private, replies)

    async def add_text(self, report: ReportRow, text: str) -> None:
        key = crypto.new_key()
        body = crypto.encrypt(key, Payload({"type": "text", "text": text}).encode())
        await self.store.add_entries(
            report.report_id, [self._entry("text", key, body)], self.today()
        )
        self._notice_update(report)

    async def add_file(
        self,
        report: ReportRow,
        kind: str,
        name: str | None,
        mime: str | None,
        data: bytes,
        caption: str | None = None,
    ) -> None:
        key = crypto.new_key()
        header = {"type": "file", "kind": kind, "name": name, "mime": mime, "size": len(data)}
        if caption:
            header["caption"] = caption  # sealed with its file
        body = crypto.encrypt(key, Payload(header, data).encode())
        await self.store.add_entries(
            report.report_id, [self._entry("file", key, body)], self.today()
        )
        self._notice_update(report)

    def _notice_update(self, report: ReportRow) -> None:
        notice = Notice(report.ref, "update", report.category, report.oblast, report.urgency)
        if not any(n.ref == report.ref for n in self.notices.pending):
            self.notices.add(notice)

    async def reply(self, ref: str, text: str) -> ReportRow | None:
        """A lawyer's answer, sealed to the trustees and to the reporter's receipt key."""
        report = await self.store.by_ref(ref)
        if report is None:
            return None
        key = crypto.new_key()
        body = crypto.encrypt(key, Payload({"type": "reply", "text": text}).encode())
        entry = self._entry("reply", key, body, reporter_public=report.reporter_key)
        await self.store.add_entries(report.report_id, [entry], self.today())
        return report

    def kept_until(self, report: ReportRow | None = None) -> date:
        active = report.active_week if report else week_of(self.today())
        return purge_date(active, self.retention_days)

    async def purge(self) -> int:
        return await self.store.purge(self.today(), self.retention_days)


def _str(value: object) -> str | None:
    return None if value is None else str(value)


async def create_report_service(
    settings: Settings, clock: Callable[[], datetime]
) -> ReportService | None:
    """The report service on its own database file, or None when no trustee key is configured
    (REPORT_PUBLIC_KEYS): without one there is nobody to seal reports to, so the feature stays
    invisible. `clock` reads the time in the Coalition's time zone."""
    if not settings.report_public_keys:
        return None
    reports_db = await open_reports_db(reports_path(settings.database_path))
    service = ReportService(
        ReportStore(reports_db),
        list(settings.report_public_keys),
        clock,
        retention_days=settings.report_retention_days,
        salts=await deployment_salts(reports_db),
    )
    service.deletes.delay_seconds = settings.report_wipe_seconds
    return service
