"""Choosing (or forgetting) the region, and the reminder buttons."""

from __future__ import annotations

from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from bot.clock import Clock
from bot.db.users import UserRecord, UserRepo
from bot.receptions.regions import REGIONS
from bot.receptions.service import ReceptionService, Remind
from bot.screens import STALE_BUTTON, ScreenRegistry, render, show
from handlers.receptions.callbacks import ReceptionAction, ReceptionCb, upcoming_or_refuse
from handlers.receptions.screens import RECEPTIONS, REGION


async def _show(
    query: CallbackQuery, screens: ScreenRegistry, user: UserRecord, locale: str, name: str
) -> None:
    screen = await render(screens, user, locale, name)
    if screen is not None:
        await show(query, screen, name)


async def on_region(
    query: CallbackQuery,
    callback_data: ReceptionCb,
    users: UserRepo,
    screens: ScreenRegistry,
    user_record: UserRecord,
    locale: str,
) -> None:
    code = callback_data.arg
    if code and code not in REGIONS:  # forged or from an older list
        await query.answer(str(STALE_BUTTON))
        await _show(query, screens, user_record, locale, REGION)
        return
    record = await users.set_region(user_record.user_id, code or None)
    await query.answer(_("Saved") if code else _("Your region is forgotten."))
    await _show(query, screens, record, locale, RECEPTIONS if code else REGION)


async def on_remind(
    query: CallbackQuery,
    callback_data: ReceptionCb,
    receptions: ReceptionService,
    screens: ScreenRegistry,
    clock: Clock,
    user_record: UserRecord,
    locale: str,
) -> None:
    now = clock()
    reception = await upcoming_or_refuse(query, receptions, callback_data.arg, now)
    if reception is None:
        await _show(query, screens, user_record, locale, RECEPTIONS)
        return
    chat_id = user_record.user_id  # a private chat's id is the person's id
    if callback_data.action == ReceptionAction.UNREMIND:
        await receptions.forget(reception, chat_id)
        await query.answer(_("No reminder: your chat is no longer on the list."))
    else:
        outcome = await receptions.remind(reception, chat_id, locale, now)
        if outcome == Remind.TOO_LATE:
            await query.answer(
                _("It is too close for a reminder: the reception is today or tomorrow."),
                show_alert=True,
            )
        else:
            await query.answer(
                _("I will remind you the day before at 9:00. After that the bot forgets it.")
            )
    await _show(query, screens, user_record, locale, RECEPTIONS)
