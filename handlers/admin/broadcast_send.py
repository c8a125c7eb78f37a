"""/broadcast, last steps: audience → now or later → confirm (or discard).

The first steps (content and preview) are in broadcast_compose.py, /cancel_broadcast in
broadcast_cancel.py.
"""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot import LOCALES
from bot.admin import broadcast as composer
from bot.admin.broadcast_desk import BroadcastDesk
from bot.admin.broadcast_text import confirm_text
from bot.admin.roles import AdminDirectory
from bot.clock import Clock
from bot.config import Settings
from bot.delivery import DeliveryEngine
from handlers.admin.broadcast_ui import (
    Compose,
    audience_keyboard,
    confirm_keyboard,
    when_keyboard,
    when_question,
    when_text_keyboard,
)
from handlers.admin.callbacks import BroadcastAction, BroadcastCb
from handlers.admin.filters import HasPermission


async def choose_audience(
    query: CallbackQuery, callback_data: BroadcastCb, state: FSMContext, settings: Settings
) -> None:
    data = await state.get_data()
    draft = data["draft"]
    value = callback_data.value
    assert isinstance(query.message, Message)
    if value == "done":
        if composer.to_audience(draft) is None:
            await query.answer(_("Choose at least one audience."), show_alert=True)
            return
        await query.answer()
        await state.set_state(Compose.when)
        await query.message.edit_text(when_question(draft, settings), reply_markup=when_keyboard())
        return
    if value in ("all", *LOCALES):
        draft["subscribers"] = composer.toggle(draft["subscribers"], value)
    await state.update_data(draft=draft)
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=audience_keyboard(draft, settings))


async def choose_channel(
    query: CallbackQuery, callback_data: BroadcastCb, state: FSMContext, settings: Settings
) -> None:
    data = await state.get_data()
    draft = data["draft"]
    assert isinstance(query.message, Message)
    if callback_data.value in {c.locale for c in settings.channels}:
        draft["channels"] = composer.toggle(draft["channels"], callback_data.value)
    await state.update_data(draft=draft)
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=audience_keyboard(draft, settings))


async def choose_when(
    query: CallbackQuery,
    callback_data: BroadcastCb,
    state: FSMContext,
    settings: Settings,
    delivery: DeliveryEngine,
) -> None:
    await query.answer()
    assert isinstance(query.message, Message)
    if callback_data.value == "later":
        await state.set_state(Compose.when_text)
        await query.message.edit_text(
            _("Send the date and time as YYYY-MM-DD HH:MM ({timezone}).").format(
                timezone=settings.timezone
            ),
            reply_markup=when_text_keyboard(),
        )
        return
    data = await state.get_data()
    draft = data["draft"]
    draft["when"] = None  # "Now" after Back replaces a time chosen before
    await state.update_data(draft=draft)
    await ask_to_confirm(query.message, state, settings, delivery, edit=True)


async def receive_when(
    message: Message, state: FSMContext, settings: Settings, clock: Clock, delivery: DeliveryEngine
) -> None:
    moment = composer.parse_when(message.text or "", settings.tz, clock())
    if moment is None:
        await message.answer(
            _("I need a future date and time as YYYY-MM-DD HH:MM, for example 2030-06-26 09:00."),
            reply_markup=when_text_keyboard(),
        )
        return
    data = await state.get_data()
    draft = data["draft"]
    draft["when"] = moment.isoformat()
    await state.update_data(draft=draft)
    await ask_to_confirm(message, state, settings, delivery)


async def ask_to_confirm(
    message: Message,
    state: FSMContext,
    settings: Settings,
    delivery: DeliveryEngine,
    *,
    edit: bool = False,
) -> None:
    """The last step: who, how many recipients now, when (with the time zone), Confirm."""
    data = await state.get_data()
    draft = data["draft"]
    audience = composer.to_audience(draft)
    assert audience is not None  # the audience step lets nobody through without one
    when = datetime.fromisoformat(draft["when"]) if draft["when"] else None
    text = confirm_text(audience, when, await delivery.count_recipients(audience), settings)
    await state.set_state(Compose.confirm)
    if edit:
        await message.edit_text(text, reply_markup=confirm_keyboard())
    else:
        await message.answer(text, reply_markup=confirm_keyboard())


async def confirm(
    query: CallbackQuery,
    state: FSMContext,
    settings: Settings,
    broadcasts: BroadcastDesk,
    admins: AdminDirectory,
    locale: str,
) -> None:
    data = await state.get_data()
    draft = data["draft"]
    audience = composer.to_audience(draft)
    versions = composer.to_versions(draft, settings.default_locale)
    await query.answer()
    await state.clear()
    if audience is None or not versions:
        return
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
    first_id = min(min(ids) for ids in draft["versions"].values())
    number = await broadcasts.create(
        # One broadcast per composed message: a double tap on "Send" cannot send twice.
        dedupe_key=f"broadcast:{query.from_user.id}:{first_id}",
        versions=versions,
        audience=audience,
        not_before=datetime.fromisoformat(draft["when"]) if draft["when"] else None,
        admin_id=query.from_user.id,
        chat_id=query.from_user.id,
        locale=locale,
    )
    await admins.audit(query.from_user.id, "broadcast", str(number))


async def abort(query: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(_("Broadcast discarded."))


def setup() -> Router:
    router = Router(name="admin_broadcast_send")
    allowed = HasPermission("broadcast")
    router.message.filter(allowed)
    router.callback_query.filter(allowed)
    router.message.register(
        receive_when, StateFilter(Compose.when_text), F.text, ~F.text.startswith("/")
    )
    steps = [
        (choose_audience, BroadcastAction.AUDIENCE, Compose.audience),
        (choose_channel, BroadcastAction.CHANNEL, Compose.audience),
        (choose_when, BroadcastAction.WHEN, Compose.when),
        (confirm, BroadcastAction.CONFIRM, Compose.confirm),
        (abort, BroadcastAction.ABORT, Compose.confirm),
    ]
    for handler, action, step in steps:
        router.callback_query.register(
            handler, BroadcastCb.filter(F.action == action), StateFilter(step)
        )
    return router
