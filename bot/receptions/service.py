"""The receptions feature's service, built once by bot/app.py `create_reception_service`."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.db import Database
from bot.delivery import Audience, DeliveryEngine, OutgoingMessage
from bot.receptions.content import Reception, load_receptions
from bot.receptions.store import DueReminder, ReceptionStore

log = logging.getLogger(__name__)

REMINDER_TIME = time(9, 0)  # the morning before, in TIMEZONE
ANNOUNCE_KIND = "reception"
# Sends one reminder; answers "sent", "gone" (blocked, chat gone: delete) or "retry".
SendReminder = Callable[["Reception", DueReminder], Awaitable[str]]


class Remind(StrEnum):
    ADDED = "added"
    ALREADY = "already"
    TOO_LATE = "too_late"  # the morning before has passed: the reception is too close


@dataclass(frozen=True)
class ReceptionCounts:
    reception: Reception
    waiting: int
    sent: int
    announced: bool


class ReceptionService:
    def __init__(
        self,
        receptions: list[Reception],
        store: ReceptionStore,
        delivery: DeliveryEngine,
        tz: ZoneInfo,
    ) -> None:
        self.receptions = receptions
        self.by_id = {r.id: r for r in receptions}
        self.store = store
        self.delivery = delivery
        self.tz = tz

    def get(self, reception_id: str) -> Reception | None:
        return self.by_id.get(reception_id)

    def is_upcoming(self, reception: Reception, now: datetime) -> bool:
        """Not over yet (one under way today is still worth going to)."""
        return reception.end_at(self.tz) > now

    def upcoming(self, region: str, now: datetime) -> list[Reception]:
        return [r for r in self.receptions if r.region == region and self.is_upcoming(r, now)]

    def reminder_due(self, reception: Reception) -> datetime:
        return datetime.combine(reception.on - timedelta(days=1), REMINDER_TIME, tzinfo=self.tz)

    # --- reminders -----------------------------------------------------------------------------

    async def remind(
        self, reception: Reception, chat_id: int, locale: str, now: datetime
    ) -> Remind:
        due = self.reminder_due(reception)
        if now >= due:
            return Remind.TOO_LATE
        added = await self.store.add_reminder(reception.id, chat_id, locale, due)
        return Remind.ADDED if added else Remind.ALREADY

    async def forget(self, reception: Reception, chat_id: int) -> bool:
        return await self.store.remove_reminder(reception.id, chat_id)

    async def is_reminded(self, reception: Reception, chat_id: int) -> bool:
        return await self.store.has_reminder(reception.id, chat_id)

    async def send_due(self, now: datetime, send: SendReminder) -> int:
        """Send every due reminder through `send` (async; returns "sent", "gone" or "retry");
        each row is deleted as soon as its send is over. Returns how many were sent."""
        interrupted = await self.store.drop_interrupted()
        if interrupted:
            log.warning(
                "receptions: %d reminders of an interrupted run not sent again", interrupted
            )
        over = {rid for rid in await self.store.waiting_ids() if self._over(rid, now)}
        if dropped := await self.store.drop_for(over):
            log.info("receptions: %d reminders of past or removed receptions deleted", dropped)
        sent = 0
        try:
            while due := await self.store.claim_due(now):
                for item in due:
                    reception = self.by_id[item.reception_id]  # the others were dropped above
                    outcome = await send(reception, item)
                    if outcome == "retry":
                        await self.store.release(item)
                        return sent  # Telegram is unwell: the rest waits for the next run
                    await self.store.finish(item, sent=outcome == "sent")
                    sent += outcome == "sent"
        finally:
            await self.store.forget_deleted()
        return sent

    def _over(self, reception_id: str, now: datetime) -> bool:
        reception = self.by_id.get(reception_id)
        return reception is None or reception.start_at(self.tz) <= now

    async def counts(self) -> list[ReceptionCounts]:
        numbers = await self.store.counts()
        result = []
        for reception in self.receptions:
            waiting, sent = numbers.get(reception.id, (0, 0))
            announced = await self.store.announcement(reception.id) is not None
            result.append(ReceptionCounts(reception, waiting, sent, announced))
        return result

    # --- announcements -------------------------------------------------------------------------

    async def audience_size(self, reception: Reception) -> int:
        return await self.store.region_count(reception.region)

    async def announce(
        self, reception: Reception, texts: dict[str, str], created_by: int, now: datetime
    ) -> tuple[bool, int]:
        """Enqueue the announcement to everyone who chose the reception's region, once.
        Returns (new, delivery id). The dedupe key makes a repeat (a double tap, a restart
        between enqueue and record) the same delivery."""
        existing = await self.store.announcement(reception.id)
        if existing is not None:
            return False, existing
        delivery_id = await self.delivery.enqueue(
            kind=ANNOUNCE_KIND,
            dedupe_key=f"reception:{reception.id}",
            versions={loc: OutgoingMessage(text=text) for loc, text in texts.items()},
            audience=Audience(all_users=True, locales=tuple(texts), region=reception.region),
            created_by=created_by,
        )
        await self.store.record_announcement(reception.id, delivery_id, now)
        return True, delivery_id


def create_reception_service(
    db: Database, tz: ZoneInfo, delivery: DeliveryEngine
) -> ReceptionService:
    """Load content/receptions.yaml (errors raise ContentError) and wire the store."""
    return ReceptionService(load_receptions(), ReceptionStore(db), delivery, tz)
