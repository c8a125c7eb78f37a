"""The two screens: `region` (chosen once, changeable) and `receptions` (the upcoming ones)."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton
from aiogram.utils.i18n import gettext as _

from bot.clock import Clock
from bot.receptions.regions import REGIONS, region_label
from bot.receptions.service import ReceptionService
from bot.receptions.texts import card
from bot.screens import Screen, ScreenRequest, nav_button
from bot.telegram_html import escape
from handlers.receptions.callbacks import ReceptionAction, ReceptionCb

RECEPTIONS = "receptions"
REGION = "region"
MAX_SHOWN = 20  # two buttons each: well under Telegram's 100 buttons per message


def _button(text: str, action: ReceptionAction, arg: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=ReceptionCb(action=action, arg=arg).pack())


async def region_screen(request: ScreenRequest) -> Screen:
    lines = [
        _("<b>⚖️ Your region</b>"),
        _(
            "Choose your region once: the bot then shows the Coalition's free legal receptions "
            "there and tells you when a new one is announced. Nothing else is asked."
        ),
    ]
    if request.user.region:
        lines.append(_("Now: {region}.").format(region=escape(region_label(request.user.region))))
    rows = [[_button(str(label), ReceptionAction.REGION, code)] for code, label in REGIONS.items()]
    if request.user.region:
        rows.append([_button(_("✖️ Forget my region"), ReceptionAction.REGION, "")])
    return Screen("\n\n".join(lines), rows)


async def receptions_screen(
    request: ScreenRequest, receptions: ReceptionService, clock: Clock
) -> Screen:
    region = request.user.region
    if region is None:
        return await region_screen(request)
    locale = request.locale
    upcoming = receptions.upcoming(region, clock())[:MAX_SHOWN]  # the soonest first
    lines = [
        _("<b>⚖️ Free legal advice</b>"),
        _(
            "The Coalition's lawyers give free advice in person on the days below: "
            "come without an appointment. Region: {region}."
        ).format(region=escape(region_label(region))),
    ]
    rows: list[list[InlineKeyboardButton]] = []
    if not upcoming:
        lines.append(
            _(
                "No reception is planned in your region yet. We will tell you here when one "
                "is announced. Until then «🆘 Get help now» lists the hotlines."
            )
        )
    for reception in upcoming:
        lines.append(card(reception, locale))
        city = reception.city[locale]
        row = [
            _button(
                _("📍 {city}: map, calendar").format(city=city), ReceptionAction.PLACE, reception.id
            )
        ]
        if await receptions.is_reminded(reception, request.user.user_id):
            row.append(_button(_("🔕 No reminder"), ReceptionAction.UNREMIND, reception.id))
        else:
            row.append(_button(_("⏰ Remind me"), ReceptionAction.REMIND, reception.id))
        rows.append(row)
    rows.append([nav_button(_("🗺 Change region"), REGION)])
    return Screen("\n\n".join(lines), rows)
