"""Posting what is due: today's post after its time (late is fine, once), earlier days only logged.

Late means the same day and not at night: a post missed while the bot was down goes out when it
comes back, until `late_until` (CAMPAIGN_CATCH_UP_UNTIL, 21:00 by default) in TIMEZONE; after that
it is recorded as missed. A fresh deployment's very first start sends nothing that was due more
than FIRST_START_GRACE before it (a new bot does not open with this morning's post at 18:00).

The runner is driven by an explicit `now`, so the scheduler, the admin "post now" and the tests
(which run whole campaigns with a fake clock) use the same code.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import LOCALES
from bot.campaigns.content import Campaign
from bot.campaigns.ledger import CLAIMED, MISSED, SKIPPED, CampaignLedger, LedgerKey
from bot.campaigns.schedule import DayPost, date_of, day_post, due_at

log = logging.getLogger(__name__)

SUBSCRIBERS = "subscribers"
CHANNEL_PREFIX = "channel:"
LOOK_BACK_DAYS = 7  # unsent days this far back are recorded (and logged) as missed
FIRST_START_GRACE = timedelta(hours=1)
LATE_AT_LEAST = timedelta(minutes=30)  # a post timed after `late_until` still gets this long


@dataclass(frozen=True)
class Send:
    """One delivery to enqueue: texts per language, and where they go."""

    key: LedgerKey
    texts: dict[str, str]  # locale -> Telegram HTML
    channel_locales: tuple[str, ...]  # channels of these languages (empty for subscribers)
    subscribers: bool


# Enqueues one delivery idempotently on `send.key.dedupe_key`; returns the delivery id.
Enqueue = Callable[[Send], Awaitable[int]]


def targets_of(campaign: Campaign, configured_channel_locales: set[str]) -> list[str]:
    """Ledger targets of a campaign: a channel target per language that has a channel configured."""
    targets = [
        CHANNEL_PREFIX + locale
        for locale in campaign.channel_locales
        if locale in configured_channel_locales
    ]
    if campaign.to_subscribers:
        targets.append(SUBSCRIBERS)
    return targets


def build_send(post: DayPost, target: str) -> Send:
    key = LedgerKey(post.campaign.id, post.year, post.day_key, target)
    texts = post.campaign.posts[post.day_key]
    if target == SUBSCRIBERS:
        return Send(key, {loc: texts[loc] for loc in LOCALES}, (), True)
    locale = target.removeprefix(CHANNEL_PREFIX)
    return Send(key, {locale: texts[locale]}, (locale,), False)


class CampaignRunner:
    def __init__(
        self,
        campaigns: dict[str, Campaign],
        ledger: CampaignLedger,
        *,
        tz: ZoneInfo,
        channel_locales: set[str],
        enqueue: Enqueue,
        late_until: time = time(21, 0),
    ) -> None:
        self.campaigns = campaigns
        self.late_until = late_until
        self._first_start: datetime | None = None
        self.ledger = ledger
        self.tz = tz
        self.channel_locales = channel_locales
        self.enqueue = enqueue
        self._lock = asyncio.Lock()  # the cron job and the catch-up check may fire together

    def targets(self, campaign: Campaign) -> list[str]:
        return targets_of(campaign, self.channel_locales)

    async def run_due(self, now: datetime) -> list[LedgerKey]:
        """Enqueue every post due by `now` that is not in the ledger yet; returns what was enqueued."""
        local = now.astimezone(self.tz)
        enqueued: list[LedgerKey] = []
        async with self._lock:
            if self._first_start is None:
                self._first_start = await self.ledger.first_start(local)
            first_start = self._first_start
            paused = await self.ledger.paused()
            for campaign in self.campaigns.values():
                for back in range(LOOK_BACK_DAYS, 0, -1):
                    past = day_post(campaign, local.date() - timedelta(days=back))
                    if past is not None:
                        await self._record_missed(past, paused=campaign.id in paused)
                post = day_post(campaign, local.date())
                if post is None or local < due_at(post, self.tz) or campaign.id in paused:
                    continue
                if await self.ledger.is_skipped(campaign.id, post.year, post.day_key):
                    await self._record_skipped(post)
                    continue
                too_late = self.too_late(post, local, first_start)
                if too_late is not None:
                    await self._record_missed(post, paused=False, reason=too_late)
                    continue
                for target in self.targets(campaign):
                    if await self._post(post, target):
                        enqueued.append(LedgerKey(campaign.id, post.year, post.day_key, target))
        return enqueued

    def too_late(self, post: DayPost, local: datetime, first_start: datetime) -> str | None:
        """Why today's due post is no longer sent late (None: it still goes out)."""
        due = due_at(post, self.tz)
        if first_start - due > FIRST_START_GRACE:
            return "due before this deployment first started"
        if local >= self.late_deadline(post):
            return f"too late in the day to post it late (after {self.late_until:%H:%M})"
        return None

    def late_deadline(self, post: DayPost) -> datetime:
        """Until when a post missed at its time still goes out late (the same day, not at night)."""
        due = due_at(post, self.tz)
        return max(datetime.combine(post.on, self.late_until, tzinfo=self.tz), due + LATE_AT_LEAST)

    async def post_now(self, campaign_id: str, day_key: str, now: datetime) -> dict[str, bool]:
        """Admin "post this day now": target -> True if enqueued now, False if it already was."""
        campaign = self.campaigns[campaign_id]
        local = now.astimezone(self.tz)
        current = day_post(campaign, local.date())
        year = current.year if current is not None else local.year
        on = date_of(campaign, year, day_key)
        if on is None:
            raise KeyError(day_key)
        post = DayPost(campaign, year, day_key, on)
        async with self._lock:
            return {target: await self._post(post, target) for target in self.targets(campaign)}

    async def _post(self, post: DayPost, target: str) -> bool:
        send = build_send(post, target)
        # The row first: a crash after this line leaves it `claimed`, and the next run enqueues
        # again with the same dedupe key, which the engine treats as the same delivery.
        if await self.ledger.claim(send.key) != CLAIMED:
            return False
        delivery_id = await self.enqueue(send)
        await self.ledger.mark_enqueued(send.key, delivery_id)
        log.info(
            "campaign %s day %s (%d) enqueued for %s",
            post.campaign.id,
            post.day_key,
            post.year,
            target,
        )
        return True

    async def _record_missed(
        self, post: DayPost, *, paused: bool, reason: str | None = None
    ) -> None:
        # Days before this database ever posted the campaign (a fresh install) and posts held
        # back by the rules above are only noted; a gap in a running campaign is a warning.
        posted = await self.ledger.has_posted(post.campaign.id)
        level = logging.WARNING if posted and reason is None else logging.INFO
        if reason is None:
            reason = "paused" if paused else "bot not running at the time"
        for target in self.targets(post.campaign):
            key = LedgerKey(post.campaign.id, post.year, post.day_key, target)
            if await self.ledger.record_once(key, MISSED):
                log.log(
                    level,
                    "campaign %s day %s of %s for %s was not posted on its day (%s): skipped",
                    post.campaign.id,
                    post.day_key,
                    post.on.isoformat(),
                    target,
                    reason,
                )

    async def _record_skipped(self, post: DayPost) -> None:
        for target in self.targets(post.campaign):
            key = LedgerKey(post.campaign.id, post.year, post.day_key, target)
            if await self.ledger.record_once(key, SKIPPED):
                log.info("campaign %s day %s skipped by an admin", post.campaign.id, post.day_key)
