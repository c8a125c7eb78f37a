"""Subscriber side of daily campaigns: "📰 Daily posts" subscribes, unsubscribes, chooses campaigns."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from functools import partial

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, InlineKeyboardButton
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot.campaigns.schedule import DayPost, day_post, due_at
from bot.campaigns.service import CampaignService
from bot.campaigns.subscriptions import joined_mid_campaign
from bot.clock import Clock
from bot.config import Settings
from bot.db.users import UserRecord, UserRepo
from bot.screens import Screen, ScreenRegistry, ScreenRequest, show
from bot.telegram_html import escape
from handlers.campaigns.callbacks import CampaignChoice, ChoiceAction

SCREEN = "daily"


def _next_post_line(post: DayPost, now: datetime, tz: tzinfo) -> str:
    """ "Next post: 16.11 at 10:00" for a campaign under way."""
    when = due_at(post, tz)
    if now >= when:
        following = day_post(post.campaign, post.on + timedelta(days=1))
        if following is None:
            return ""
        when = due_at(following, tz)
    return _("Next post: {date} at {time}.").format(
        date=when.strftime("%d.%m"), time=when.strftime("%H:%M")
    )


def _button(text: str, action: ChoiceAction, campaign: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=CampaignChoice(action=action, campaign=campaign).pack()
    )


async def daily_screen(
    user: UserRecord, locale: str, campaigns: CampaignService, joined_note: str = ""
) -> Screen:
    excluded = await campaigns.subscriptions.opted_out(user.user_id)
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
    for campaign in campaigns.campaigns.values():
        mark = "✅" if user.subscribed and campaign.id not in excluded else "▫️"
        title = escape(campaign.titles[locale])
        description = escape(campaign.descriptions[locale])
        lines.append(f"{mark} <b>{title}</b>\n{description}")
    if joined_note:
        lines += ["", joined_note]
    rows: list[list[InlineKeyboardButton]] = []
    if user.subscribed:
        for campaign in campaigns.campaigns.values():
            mark = "✅" if campaign.id not in excluded else "▫️"
            title = f"{mark} {campaign.titles[locale]}"
            rows.append([_button(title, ChoiceAction.TOGGLE, campaign.id)])
        rows.append([_button(_("🔕 Unsubscribe"), ChoiceAction.UNSUBSCRIBE)])
    else:
        rows.append([_button(_("🔔 Subscribe"), ChoiceAction.SUBSCRIBE)])
    return Screen("\n".join(lines), rows)


async def render_daily(request: ScreenRequest, campaigns: CampaignService) -> Screen:
    return await daily_screen(request.user, request.locale, campaigns)


async def _joined_note(
    campaigns: CampaignService, tz: tzinfo, now: datetime, user_id: int, locale: str
) -> str:
    """New subscribers in the middle of a campaign are told which day they joined."""
    chosen = set(campaigns.campaigns) - await campaigns.subscriptions.opted_out(user_id)
    notes = []
    for post in joined_mid_campaign(campaigns.campaigns, chosen, now.date()):
        note = _("You joined «{title}» on day {day} of {total}.").format(
            title=escape(post.campaign.titles[locale]), day=post.day_key, total=post.total
        )
        if next_line := _next_post_line(post, now, tz):
            note += " " + next_line
        notes.append(note)
    return "\n".join(notes)


async def on_choice(
    query: CallbackQuery,
    callback_data: CampaignChoice,
    campaigns: CampaignService,
    users: UserRepo,
    settings: Settings,
    clock: Clock,
    user_record: UserRecord,
    locale: str,
) -> None:
    note = ""
    record = user_record
    user_id = user_record.user_id
    if callback_data.action == ChoiceAction.SUBSCRIBE:
        record = await users.set_subscribed(user_id, True)
        note = await _joined_note(campaigns, settings.tz, clock(), user_id, locale)
        await query.answer(_("Subscribed"))
    elif callback_data.action == ChoiceAction.UNSUBSCRIBE:
        record = await users.set_subscribed(user_id, False)
        await query.answer(_("Unsubscribed: no more daily posts."))
    elif callback_data.campaign in campaigns.campaigns:  # TOGGLE of a campaign that exists
        if not user_record.subscribed:
            await query.answer()
        else:
            wanted = callback_data.campaign in await campaigns.subscriptions.opted_out(user_id)
            await campaigns.subscriptions.set_choice(user_id, callback_data.campaign, wanted)
            await query.answer(_("Turned on") if wanted else _("Turned off"))
    else:
        await query.answer()
    await show(query, await daily_screen(record, locale, campaigns, note), SCREEN)


def setup(screens: ScreenRegistry, campaigns: CampaignService) -> Router:
    router = Router(name="campaigns_subscribe")
    router.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    screens.register(
        SCREEN,
        partial(render_daily, campaigns=campaigns),
        menu_label=__("📰 Daily posts"),
        menu_order=50,
    )
    router.callback_query.register(on_choice, CampaignChoice.filter())
    return router
