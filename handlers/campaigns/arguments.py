"""What the campaign admin commands share: their usage text, argument parsing and the audit line."""

from __future__ import annotations

from datetime import date

from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.admin.roles import AdminDirectory
from bot.campaigns.content import Campaign
from bot.campaigns.schedule import DayPost, resolve_day
from bot.campaigns.service import CampaignService

USAGE = (
    "/campaigns\n/preview &lt;campaign&gt; &lt;day&gt; &lt;tg|ru|en&gt;\n/pause &lt;campaign&gt;\n"
    "/resume &lt;campaign&gt;\n/skip &lt;campaign&gt; &lt;day&gt;\n"
    "/unskip &lt;campaign&gt; &lt;day&gt;\n/postnow &lt;campaign&gt; [day]"
)


async def audit(message: Message, admins: AdminDirectory, action: str, target: str) -> None:
    if message.from_user is not None:
        await admins.audit(message.from_user.id, action, target)


async def campaign_arg(
    message: Message, campaigns: CampaignService, args: list[str], need: int
) -> Campaign | None:
    """The campaign named first in `args` (with at least `need` arguments), or None, answered."""
    if len(args) < need or args[0] not in campaigns.campaigns:
        known = ", ".join(campaigns.campaigns)
        await message.answer(
            _("Unknown campaign or missing arguments. Campaigns: {ids}").format(ids=known)
            + "\n\n"
            + USAGE
        )
        return None
    return campaigns.campaigns[args[0]]


async def campaign_day(
    message: Message, campaigns: CampaignService, args: list[str], today: date
) -> tuple[Campaign, DayPost] | None:
    """`<campaign> <day>`: the campaign and that day's post, or None, answered."""
    campaign = await campaign_arg(message, campaigns, args, 2)
    if campaign is None:
        return None
    post = resolve_day(campaign, args[1], today)
    if post is None:
        await message.answer(_("No such day.") + "\n\n" + USAGE)
        return None
    return campaign, post


async def audit_day(
    message: Message, admins: AdminDirectory, action: str, campaign: Campaign, post: DayPost
) -> None:
    await audit(message, admins, action, f"{campaign.id}:{post.year}:{post.day_key}")
