"""Admins: /campaigns (what posts next), /preview, /pause, /resume, /postnow; /skip, /unskip in days.py.
The Campaigns button of /admin's overview shows what /campaigns shows.

Every message is checked against the sender's role (read from the database each time); anyone
else falls through to the normal "unknown command" answer, so the commands are not revealed.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot import LOCALES
from bot.admin.roles import AdminDirectory
from bot.campaigns.schedule import DayPost, day_post, resolve_day
from bot.campaigns.service import CampaignService
from bot.campaigns.upcoming import next_unposted
from bot.clock import Clock
from bot.telegram_html import escape, split_html
from handlers.admin.callbacks import AdminAction, AdminCb
from handlers.admin.filters import HasPermission
from handlers.campaigns import days
from handlers.campaigns.arguments import USAGE, audit, audit_day, campaign_arg


def _day(post: DayPost) -> str:
    return _("{date} (day {day})").format(date=post.on.strftime("%d.%m.%Y"), day=post.day_key)


async def cmd_campaigns(
    message: Message, campaigns: CampaignService, clock: Clock, locale: str
) -> None:
    now = clock()
    paused = await campaigns.ledger.paused()
    lines = [_("<b>Campaigns</b>")]
    for campaign in campaigns.campaigns.values():
        state = _("paused") if campaign.id in paused else _("active")
        targets = ", ".join(campaigns.runner.targets(campaign)) or "—"
        lines.append(
            f"\n<b>{campaign.id}</b> · {escape(campaign.titles[locale])} · {state}\n"
            + _("at {time}, {count} posts, review: {review}").format(
                time=campaign.post_time.strftime("%H:%M"),
                count=len(campaign.posts),
                review=campaign.review,
            )
            + "\n"
            + _("to: {targets}").format(targets=targets)
        )
        upcoming = await next_unposted(campaign, campaigns.ledger, campaigns.runner, now)
        if upcoming.post is not None and upcoming.due is not None:
            lines.append(
                _("next post: {day} at {time} ({timezone})").format(
                    day=_day(upcoming.post),
                    time=upcoming.due.strftime("%H:%M"),
                    timezone=campaigns.runner.tz.key,
                )
            )
        else:
            lines.append(_("next post: none in the coming year"))
        if upcoming.skipped:
            skipped = ", ".join(_day(post) for post in upcoming.skipped)
            lines.append(_("skipped before it: {days}").format(days=skipped))
    lines.append("\n" + USAGE)
    for chunk in split_html("\n".join(lines)):
        await message.answer(chunk)


async def cmd_preview(
    message: Message, command: CommandObject, campaigns: CampaignService, clock: Clock
) -> None:
    args = (command.args or "").split()
    campaign = await campaign_arg(message, campaigns, args, 3)
    if campaign is None:
        return
    post = resolve_day(campaign, args[1], clock().date())
    if post is None or args[2] not in LOCALES:
        await message.answer(_("No such day or language.") + "\n\n" + USAGE)
        return
    await message.answer(
        _(
            "Preview: {campaign}, day {day} ({date}), {lang}. The post follows exactly as it will look."
        ).format(
            campaign=campaign.id, day=post.day_key, date=post.on.strftime("%d.%m.%Y"), lang=args[2]
        )
    )
    await message.answer(campaign.posts[post.day_key][args[2]])


async def cmd_pause(
    message: Message, command: CommandObject, campaigns: CampaignService, admins: AdminDirectory
) -> None:
    campaign = await campaign_arg(message, campaigns, (command.args or "").split(), 1)
    if campaign is not None:
        await campaigns.ledger.set_paused(campaign.id, True)
        await audit(message, admins, "campaign_pause", campaign.id)
        await message.answer(
            _("{campaign} is paused: nothing is posted until /resume.").format(campaign=campaign.id)
        )


async def cmd_resume(
    message: Message,
    command: CommandObject,
    campaigns: CampaignService,
    admins: AdminDirectory,
    clock: Clock,
) -> None:
    campaign = await campaign_arg(message, campaigns, (command.args or "").split(), 1)
    if campaign is not None:
        await campaigns.ledger.set_paused(campaign.id, False)
        await audit(message, admins, "campaign_resume", campaign.id)
        await campaigns.runner.run_due(clock())  # today's post, if due, goes out now
        await message.answer(_("{campaign} is running again.").format(campaign=campaign.id))


async def cmd_postnow(
    message: Message,
    command: CommandObject,
    campaigns: CampaignService,
    admins: AdminDirectory,
    clock: Clock,
) -> None:
    args = (command.args or "").split()
    campaign = await campaign_arg(message, campaigns, args, 1)
    if campaign is None:
        return
    now = clock()
    today = now.date()
    post = resolve_day(campaign, args[1], today) if len(args) > 1 else day_post(campaign, today)
    if post is None:
        await message.answer(
            _("No such day (or the campaign does not post today).") + "\n\n" + USAGE
        )
        return
    results = await campaigns.runner.post_now(campaign.id, post.day_key, now)
    await audit_day(message, admins, "campaign_postnow", campaign, post)
    lines = [_("Day {day} of {campaign}:").format(day=post.day_key, campaign=campaign.id)]
    for target, sent in results.items():
        lines.append(
            f"• {target}: " + (_("sending now") if sent else _("already posted, not repeated"))
        )
    await message.answer("\n".join(lines))


async def on_campaigns_button(
    query: CallbackQuery, campaigns: CampaignService, clock: Clock, locale: str
) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await cmd_campaigns(query.message, campaigns, clock, locale)


def setup() -> Router:
    router = Router(name="campaigns_admin")
    # The button's data first (cheap), then the tapper's role, read now.
    router.callback_query.register(
        on_campaigns_button,
        AdminCb.filter(F.action == AdminAction.CAMPAIGNS),
        HasPermission("campaigns"),
    )
    router.message.filter(F.chat.type == ChatType.PRIVATE, HasPermission("campaigns"))
    router.message.register(cmd_campaigns, Command("campaigns"))
    router.message.register(cmd_preview, Command("preview"))
    router.message.register(cmd_pause, Command("pause"))
    router.message.register(cmd_resume, Command("resume"))
    router.message.register(days.cmd_skip, Command("skip"))
    router.message.register(days.cmd_unskip, Command("unskip"))
    router.message.register(cmd_postnow, Command("postnow"))
    return router
