"""What the campaign admin commands share: their usage text, argument parsing and the audit line."""

from __future__ import annotations

from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.admin.roles import AdminDirectory
from bot.campaigns.content import Campaign
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
