"""What a day will post, and to whom, as plain text (the CLI preview; the admin list reuses it)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot import LOCALES
from bot.campaigns.content import Campaign
from bot.campaigns.runner import CHANNEL_PREFIX, SUBSCRIBERS, targets_of
from bot.campaigns.schedule import day_post
from bot.config import ChannelTarget


@dataclass
class Audiences:
    """Read from the database: subscribers per campaign and language, paused campaigns, skips."""

    subscribers: dict[str, dict[str, int]] = field(default_factory=dict)  # campaign -> locale -> n
    paused: set[str] = field(default_factory=set)
    skipped: set[tuple[str, int, str]] = field(default_factory=set)
    note: str = ""


def read_audiences(database_path: Path, campaign_ids: list[str]) -> Audiences:
    """Open the database read-only (the running bot keeps writing); a missing file is not an error."""
    if not database_path.exists():
        return Audiences(note=f"no database at {database_path}: 0 subscribers")
    conn = sqlite3.connect(f"file:{database_path}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        result = Audiences()
        for campaign_id in campaign_ids:
            optouts = (
                "AND NOT EXISTS (SELECT 1 FROM campaign_optouts o "
                "WHERE o.user_id = u.user_id AND o.campaign_id = ?)"
                if "campaign_optouts" in tables
                else "AND ? IS NOT NULL"
            )
            rows = conn.execute(
                "SELECT locale, COUNT(*) FROM users u WHERE subscribed = 1 AND blocked = 0 "
                f"{optouts} GROUP BY locale",
                (campaign_id,),
            ).fetchall()
            result.subscribers[campaign_id] = {str(loc): n for loc, n in rows}
        if "campaign_pauses" in tables:
            result.paused = {
                row[0] for row in conn.execute("SELECT campaign_id FROM campaign_pauses")
            }
            result.skipped = {
                (row[0], int(row[1]), row[2])
                for row in conn.execute("SELECT campaign_id, year, day FROM campaign_skips")
            }
        return result
    finally:
        conn.close()


def describe_day(
    campaigns: dict[str, Campaign],
    on: date,
    *,
    channels: list[ChannelTarget],
    audiences: Audiences,
    languages: tuple[str, ...] = LOCALES,
    timezone: str = "Asia/Dushanbe",
) -> str:
    """The whole preview of one date: every campaign that posts, its targets and its texts."""
    lines = [f"{on.isoformat()} · {timezone}"]
    if audiences.note:
        lines.append(audiences.note)
    if not channels:
        lines.append("CHANNELS is empty: no channel posts (only bot subscribers).")
    configured = {channel.locale for channel in channels}
    found = False
    for campaign in campaigns.values():
        post = day_post(campaign, on)
        if post is None:
            continue
        found = True
        day = f"day {post.day_key} of {post.total}" if post.number else f"day {post.day_key}"
        lines += ["", "=" * 72, f"{campaign.id} · {campaign.titles['en']} · {day}"]
        lines.append(f"at {campaign.post_time:%H:%M} · review: {campaign.review}")
        if campaign.id in audiences.paused:
            lines.append("PAUSED: nothing will be posted until an admin resumes the campaign.")
        if (campaign.id, post.year, post.day_key) in audiences.skipped:
            lines.append("SKIPPED by an admin: this day will not be posted.")
        counts = audiences.subscribers.get(campaign.id, {})
        for target in targets_of(campaign, configured):
            if target == SUBSCRIBERS:
                per_locale = ", ".join(f"{loc} {counts.get(loc, 0)}" for loc in LOCALES)
                lines.append(f"→ bot subscribers, each in their language: {per_locale}")
            else:
                locale = target.removeprefix(CHANNEL_PREFIX)
                chats = ", ".join(c.chat for c in channels if c.locale == locale)
                lines.append(f"→ channel ({locale}): {chats}")
        for locale in campaign.channel_locales:
            if locale not in configured:
                lines.append(
                    f"  (no {locale} channel in CHANNELS: the {locale} channel post is left out)"
                )
        for locale in languages:
            lines += ["", f"--- {locale} ---", campaign.posts[post.day_key][locale]]
    if not found:
        lines.append("No campaign posts on this date.")
    return "\n".join(lines)
