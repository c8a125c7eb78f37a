"""Admin commands of daily campaigns: list, preview, pause, resume, skip a day, post a day now.

The router (handlers/campaigns_admin.py) lets admins only through; these functions are the
handlers, here so that their texts belong to the campaigns translation domain.
"""

from __future__ import annotations

from datetime import date

from aiogram.filters import CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot import LOCALES
from bot.admin.roles import AdminDirectory
from bot.campaigns.content import Campaign
from bot.campaigns.schedule import DayPost, date_of, day_post, next_posts
from bot.campaigns.service import DeliveryUnavailable, campaign_service
from bot.services import Services
from bot.telegram_html import escape, split_html

USAGE = (
    "/campaigns\n/preview &lt;campaign&gt; &lt;day&gt; &lt;tg|ru|en&gt;\n/pause &lt;campaign&gt;\n"
    "/resume &lt;campaign&gt;\n/skip &lt;campaign&gt; &lt;day&gt;\n/postnow &lt;campaign&gt; [day]"
)


async def _audit(message: Message, services: Services, action: str, target: str) -> None:
    if message.from_user is not None:
        await AdminDirectory(services).audit(message.from_user.id, action, target)


def _resolve_day(campaign: Campaign, raw: str, today: date) -> DayPost | None:
    """A day key ("5", "03-01") or a date ("2026-11-15") in this year's campaign."""
    try:
        on = date.fromisoformat(raw)
    except ValueError:
        current = day_post(campaign, today)
        year = current.year if current is not None else today.year
        on = date_of(campaign, year, raw)  # type: ignore[assignment]
        if on is None:
            return None
        return DayPost(campaign, year, raw, on)
    return day_post(campaign, on)


async def cmd_campaigns(message: Message, services: Services, locale: str) -> None:
    service = campaign_service(services)
    today = services.now().date()
    paused = await service.ledger.paused()
    lines = [_("<b>Campaigns</b>")]
    for campaign in service.campaigns.values():
        state = _("paused") if campaign.id in paused else _("active")
        targets = ", ".join(service.runner.targets(campaign)) or "—"
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
        upcoming = ", ".join(
            _("{date} (day {day})").format(date=post.on.strftime("%d.%m.%Y"), day=post.day_key)
            for post in next_posts(campaign, today)
        )
        lines.append(_("next: {dates}").format(dates=upcoming))
    lines.append("\n" + USAGE)
    for chunk in split_html("\n".join(lines)):
        await message.answer(chunk)


async def _campaign_arg(message: Message, services: Services, args: list[str], need: int):
    service = campaign_service(services)
    if len(args) < need or args[0] not in service.campaigns:
        known = ", ".join(service.campaigns)
        await message.answer(
            _("Unknown campaign or missing arguments. Campaigns: {ids}").format(ids=known)
            + "\n\n"
            + USAGE
        )
        return None
    return service.campaigns[args[0]]


async def cmd_preview(message: Message, command: CommandObject, services: Services) -> None:
    args = (command.args or "").split()
    campaign = await _campaign_arg(message, services, args, 3)
    if campaign is None:
        return
    post = _resolve_day(campaign, args[1], services.now().date())
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


async def cmd_pause(message: Message, command: CommandObject, services: Services) -> None:
    campaign = await _campaign_arg(message, services, (command.args or "").split(), 1)
    if campaign is not None:
        await campaign_service(services).ledger.set_paused(campaign.id, True)
        await _audit(message, services, "campaign_pause", campaign.id)
        await message.answer(
            _("{campaign} is paused: nothing is posted until /resume.").format(campaign=campaign.id)
        )


async def cmd_resume(message: Message, command: CommandObject, services: Services) -> None:
    campaign = await _campaign_arg(message, services, (command.args or "").split(), 1)
    if campaign is not None:
        service = campaign_service(services)
        await service.ledger.set_paused(campaign.id, False)
        await _audit(message, services, "campaign_resume", campaign.id)
        await service.runner.run_due(services.now())  # today's post, if due, goes out now
        await message.answer(_("{campaign} is running again.").format(campaign=campaign.id))


async def cmd_skip(message: Message, command: CommandObject, services: Services) -> None:
    args = (command.args or "").split()
    campaign = await _campaign_arg(message, services, args, 2)
    if campaign is None:
        return
    post = _resolve_day(campaign, args[1], services.now().date())
    if post is None:
        await message.answer(_("No such day.") + "\n\n" + USAGE)
        return
    await campaign_service(services).ledger.skip_day(campaign.id, post.year, post.day_key)
    await _audit(message, services, "campaign_skip", f"{campaign.id}:{post.year}:{post.day_key}")
    await message.answer(
        _("Day {day} ({date}) of {campaign} will not be posted.").format(
            day=post.day_key, date=post.on.strftime("%d.%m.%Y"), campaign=campaign.id
        )
    )


async def cmd_postnow(message: Message, command: CommandObject, services: Services) -> None:
    args = (command.args or "").split()
    campaign = await _campaign_arg(message, services, args, 1)
    if campaign is None:
        return
    today = services.now().date()
    post = _resolve_day(campaign, args[1], today) if len(args) > 1 else day_post(campaign, today)
    if post is None:
        await message.answer(
            _("No such day (or the campaign does not post today).") + "\n\n" + USAGE
        )
        return
    try:
        results = await campaign_service(services).runner.post_now(
            campaign.id, post.day_key, services.now()
        )
    except DeliveryUnavailable:
        await message.answer(_("Sending is not available right now; nothing was posted."))
        return
    await _audit(message, services, "campaign_postnow", f"{campaign.id}:{post.year}:{post.day_key}")
    lines = [_("Day {day} of {campaign}:").format(day=post.day_key, campaign=campaign.id)]
    for target, sent in results.items():
        lines.append(
            f"• {target}: " + (_("sending now") if sent else _("already posted, not repeated"))
        )
    await message.answer("\n".join(lines))
