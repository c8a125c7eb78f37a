"""Subscriber side of daily campaigns: "📰 Daily posts" subscribes, unsubscribes, chooses campaigns."""

from __future__ import annotations

from datetime import datetime, timedelta

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, InlineKeyboardButton
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot.campaigns.callbacks import CampaignChoice
from bot.campaigns.schedule import DayPost, day_post, due_at
from bot.campaigns.service import campaign_service
from bot.campaigns.subscriptions import joined_mid_campaign, opted_out, set_campaign_choice
from bot.db.users import UserRecord
from bot.screens import Screen, ScreenRegistry, ScreenRequest, show
from bot.services import Services
from bot.telegram_html import escape

SCREEN = "daily"


def _next_post_line(post: DayPost, now: datetime, services: Services) -> str:
    """ "Next post: 16.11 at 10:00" for a campaign under way."""
    tz = services.settings.tz
    when = due_at(post, tz)
    if now >= when:
        following = day_post(post.campaign, post.on + timedelta(days=1))
        if following is None:
            return ""
        when = due_at(following, tz)
    return _("Next post: {date} at {time}.").format(
        date=when.strftime("%d.%m"), time=when.strftime("%H:%M")
    )


async def daily_screen(request: ScreenRequest, joined_note: str = "") -> Screen:
    services, user = request.services, request.user
    service = campaign_service(services)
    excluded = await opted_out(services.db, user.user_id)
    lines = [_("<b>📰 Daily posts</b>")]
    lines.append(
        _(
            "Twice a year the Coalition runs daily campaigns: the Universal Declaration of Human "
            "Rights before 10 December, the fight against torture before 26 June, and "
            "international rights days. Subscribers get each post here, in their language."
        )
    )
    lines.append("")
    if user.subscribed:
        lines.append(_("✅ You are subscribed. Tap a campaign to turn it on or off:"))
    else:
        lines.append(_("You are not subscribed."))
    for campaign in service.campaigns.values():
        mark = "✅" if user.subscribed and campaign.id not in excluded else "▫️"
        title = escape(campaign.titles[request.locale])
        description = escape(campaign.descriptions[request.locale])
        lines.append(f"{mark} <b>{title}</b>\n{description}")
    if joined_note:
        lines += ["", joined_note]
    rows: list[list[InlineKeyboardButton]] = []
    if user.subscribed:
        for campaign in service.campaigns.values():
            mark = "✅" if campaign.id not in excluded else "▫️"
            rows.append(
                [
                    InlineKeyboardButton(
                        text=f"{mark} {campaign.titles[request.locale]}",
                        callback_data=CampaignChoice(action="tog", campaign=campaign.id).pack(),
                    )
                ]
            )
        rows.append(
            [
                InlineKeyboardButton(
                    text=_("🔕 Unsubscribe"), callback_data=CampaignChoice(action="off").pack()
                )
            ]
        )
    else:
        rows.append(
            [
                InlineKeyboardButton(
                    text=_("🔔 Subscribe"), callback_data=CampaignChoice(action="on").pack()
                )
            ]
        )
    return Screen("\n".join(lines), rows)


async def _joined_note(services: Services, user_id: int, locale: str) -> str:
    """New subscribers in the middle of a campaign are told which day they joined."""
    service = campaign_service(services)
    now = services.now()
    chosen = set(service.campaigns) - await opted_out(services.db, user_id)
    notes = []
    for post in joined_mid_campaign(service.campaigns, chosen, now.date()):
        note = _("You joined «{title}» on day {day} of {total}.").format(
            title=escape(post.campaign.titles[locale]), day=post.day_key, total=post.total
        )
        if next_line := _next_post_line(post, now, services):
            note += " " + next_line
        notes.append(note)
    return "\n".join(notes)


async def on_choice(
    query: CallbackQuery,
    callback_data: CampaignChoice,
    services: Services,
    user_record: UserRecord,
    locale: str,
) -> None:
    service = campaign_service(services)
    note = ""
    record = user_record
    if callback_data.action == "on":
        record = await services.users.set_subscribed(user_record.user_id, True)
        note = await _joined_note(services, user_record.user_id, locale)
        await query.answer(_("Subscribed"))
    elif callback_data.action == "off":
        record = await services.users.set_subscribed(user_record.user_id, False)
        await query.answer(_("Unsubscribed: no more daily posts."))
    elif callback_data.action == "tog" and callback_data.campaign in service.campaigns:
        if not user_record.subscribed:
            await query.answer()
        else:
            excluded = await opted_out(services.db, user_record.user_id)
            wanted = callback_data.campaign in excluded
            await set_campaign_choice(
                services.db, user_record.user_id, callback_data.campaign, wanted
            )
            await query.answer(_("Turned on") if wanted else _("Turned off"))
    else:
        await query.answer()
    screen = await daily_screen(ScreenRequest(services, record, locale), note)
    await show(query, screen, SCREEN)


def setup(screens: ScreenRegistry) -> Router:
    router = Router(name="campaigns")
    router.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    screens.register(SCREEN, daily_screen, menu_label=__("📰 Daily posts"), menu_order=50)
    router.callback_query.register(on_choice, CampaignChoice.filter())
    return router
