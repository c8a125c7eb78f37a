"""What a campaign posts next: the first day from now on that is neither posted nor skipped.

For the admin list (/campaigns) and /unskip: read-only over the schedule and the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.campaigns.content import Campaign
from bot.campaigns.ledger import CampaignLedger
from bot.campaigns.runner import CampaignRunner
from bot.campaigns.schedule import DayPost, due_at, posts_from


@dataclass(frozen=True)
class Upcoming:
    """The next post still to go out (None when the campaign has none within a year), and the
    skipped days passed over on the way to it."""

    post: DayPost | None
    due: datetime | None  # in TIMEZONE
    skipped: tuple[DayPost, ...]


async def next_unposted(
    campaign: Campaign, ledger: CampaignLedger, runner: CampaignRunner, now: datetime
) -> Upcoming:
    local = now.astimezone(runner.tz)
    skipped_days = await ledger.skipped_days(campaign.id)
    skipped: list[DayPost] = []
    for post in posts_from(campaign, local.date()):
        if (post.year, post.day_key) in skipped_days:
            skipped.append(post)
            continue
        if post.on == local.date() and (
            local >= runner.late_deadline(post)
            or await ledger.recorded(campaign.id, post.year, post.day_key)
        ):
            continue  # today's post is out already (or no longer goes out late)
        return Upcoming(post, due_at(post, runner.tz), tuple(skipped))
    return Upcoming(None, None, tuple(skipped))
