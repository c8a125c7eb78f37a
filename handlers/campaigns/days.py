"""Admins: /skip a campaign day, and /unskip it again (both audited, both need "campaigns")."""

from __future__ import annotations

from aiogram.filters import CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.admin.roles import AdminDirectory
from bot.campaigns.service import CampaignService
from bot.clock import Clock
from handlers.campaigns.arguments import audit_day, campaign_day


async def cmd_skip(
    message: Message,
    command: CommandObject,
    campaigns: CampaignService,
    admins: AdminDirectory,
    clock: Clock,
) -> None:
    found = await campaign_day(message, campaigns, (command.args or "").split(), clock().date())
    if found is None:
        return
    campaign, post = found
    await campaigns.ledger.skip_day(campaign.id, post.year, post.day_key)
    await audit_day(message, admins, "campaign_skip", campaign, post)
    await message.answer(
        _("Day {day} ({date}) of {campaign} will not be posted.").format(
            day=post.day_key, date=post.on.strftime("%d.%m.%Y"), campaign=campaign.id
        )
        + "\n"
        + _("To undo: /unskip {campaign} {day}").format(campaign=campaign.id, day=post.day_key)
    )


async def cmd_unskip(
    message: Message,
    command: CommandObject,
    campaigns: CampaignService,
    admins: AdminDirectory,
    clock: Clock,
) -> None:
    now = clock()
    found = await campaign_day(message, campaigns, (command.args or "").split(), now.date())
    if found is None:
        return
    campaign, post = found
    date_text = post.on.strftime("%d.%m.%Y")
    if not await campaigns.ledger.unskip_day(campaign.id, post.year, post.day_key):
        await message.answer(
            _("Day {day} ({date}) of {campaign} was not skipped.").format(
                day=post.day_key, date=date_text, campaign=campaign.id
            )
        )
        return
    await audit_day(message, admins, "campaign_unskip", campaign, post)
    await campaigns.runner.run_due(now)  # today's post, if due, goes out now
    local = now.astimezone(campaigns.runner.tz)
    if post.on > local.date() or (
        post.on == local.date() and local < campaigns.runner.late_deadline(post)
    ):
        answer = _("Day {day} ({date}) of {campaign} will be posted again.")
    else:  # its day is over: undoing the skip cannot bring it back
        answer = _(
            "Day {day} ({date}) of {campaign} is no longer skipped, but its time has passed: "
            "it will not be posted (/postnow sends it)."
        )
    await message.answer(answer.format(day=post.day_key, date=date_text, campaign=campaign.id))
