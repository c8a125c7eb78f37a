"""Dates to campaign days: which post of which campaign is due on a given local date."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from bot.campaigns.content import Campaign, window_length


@dataclass(frozen=True)
class DayPost:
    """One day of one campaign: the ledger's (campaign, year, day) and when it is due."""

    campaign: Campaign
    year: int  # the campaign's year: the year its window starts (a window may cross New Year)
    day_key: str  # "5" (window) or "03-01" (calendar)
    on: date

    @property
    def number(self) -> int | None:
        """Day number in a window campaign (1-based); None for calendar days."""
        return int(self.day_key) if self.campaign.kind == "window" else None

    @property
    def total(self) -> int:
        return len(self.campaign.posts)


def window_start(campaign: Campaign, on: date) -> date | None:
    """The start date of the window that contains `on`, if any."""
    assert campaign.start is not None and campaign.end is not None
    length = window_length(campaign.start, campaign.end)
    for year in (on.year, on.year - 1):
        try:
            first = date(year, *campaign.start)
        except ValueError:  # 02-29 in a common year
            continue
        if first <= on < first + timedelta(days=length):
            return first
    return None


def day_post(campaign: Campaign, on: date) -> DayPost | None:
    """The post of `campaign` for local date `on`, or None if the campaign does not post that day."""
    if campaign.kind == "window":
        first = window_start(campaign, on)
        if first is None:
            return None
        return DayPost(campaign, first.year, str((on - first).days + 1), on)
    key = f"{on.month:02d}-{on.day:02d}"
    if key not in campaign.posts:
        return None
    return DayPost(campaign, on.year, key, on)


def date_of(campaign: Campaign, year: int, day_key: str) -> date | None:
    """The local date of day `day_key` in the campaign's `year`; None if no such day."""
    if day_key not in campaign.posts:
        return None
    try:
        if campaign.kind == "window":
            assert campaign.start is not None
            return date(year, *campaign.start) + timedelta(days=int(day_key) - 1)
        month, day = (int(part) for part in day_key.split("-"))
        return date(year, month, day)
    except ValueError:
        return None


def due_at(post: DayPost, tz: tzinfo) -> datetime:
    """The moment this post is due, in the Coalition's time zone."""
    return datetime.combine(post.on, post.campaign.post_time, tzinfo=tz)


def posts_from(campaign: Campaign, today: date) -> Iterator[DayPost]:
    """The days on which the campaign posts, from `today` on, in order (a year ahead at most)."""
    for offset in range(0, 367):
        post = day_post(campaign, today + timedelta(days=offset))
        if post is not None:
            yield post


def next_posts(campaign: Campaign, today: date, count: int = 3) -> list[DayPost]:
    """The next `count` days on which the campaign posts, from `today` on (looks a year ahead)."""
    found: list[DayPost] = []
    for post in posts_from(campaign, today):
        found.append(post)
        if len(found) == count:
            break
    return found


def running_window(campaign: Campaign, today: date) -> DayPost | None:
    """Today's day of a window campaign that is under way (for "you joined on day 6 of 31")."""
    return day_post(campaign, today) if campaign.kind == "window" else None


def resolve_day(campaign: Campaign, raw: str, today: date) -> DayPost | None:
    """An admin's day: a day key ("5", "03-01") of this year's campaign, or a date ("2026-11-15")."""
    try:
        on = date.fromisoformat(raw)
    except ValueError:
        current = day_post(campaign, today)
        year = current.year if current is not None else today.year
        found = date_of(campaign, year, raw)
        if found is None:
            return None
        return DayPost(campaign, year, raw, found)
    return day_post(campaign, on)
