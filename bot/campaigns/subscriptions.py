"""Who gets campaign posts: `users.subscribed`, minus per-campaign opt-outs (campaign_optouts)."""

from __future__ import annotations

from datetime import date

from bot.campaigns.content import Campaign
from bot.campaigns.schedule import DayPost, running_window
from bot.db import Database


class CampaignSubscriptions:
    """All SQL on campaign_optouts."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def opted_out(self, user_id: int) -> set[str]:
        rows = await self.db.fetchall(
            "SELECT campaign_id FROM campaign_optouts WHERE user_id = ?", (user_id,)
        )
        return {row[0] for row in rows}

    async def set_choice(self, user_id: int, campaign_id: str, wanted: bool) -> None:
        if wanted:
            await self.db.execute(
                "DELETE FROM campaign_optouts WHERE user_id = ? AND campaign_id = ?",
                (user_id, campaign_id),
            )
        else:
            await self.db.execute(
                "INSERT OR IGNORE INTO campaign_optouts (user_id, campaign_id) VALUES (?, ?)",
                (user_id, campaign_id),
            )


def joined_mid_campaign(
    campaigns: dict[str, Campaign], chosen: set[str], today: date
) -> list[DayPost]:
    """Window campaigns under way today that the new subscriber will receive from now on."""
    found = []
    for campaign in campaigns.values():
        post = running_window(campaign, today)
        if post is not None and campaign.id in chosen:
            found.append(post)
    return found
