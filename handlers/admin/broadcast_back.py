"""The composer's Back buttons: each step returns to the one before, with what was chosen kept
(on the first step, "send the version in …" goes back to the version being composed before).

A Back button carries the step it belongs to; pressed on a step the composer has left, it only
answers the tap (the draft itself lives in the FSM data, never in callback data).
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.config import Settings
from handlers.admin.broadcast_ui import (
    Compose,
    audience_keyboard,
    content_keyboard,
    versions_text,
    when_keyboard,
    when_question,
)
from handlers.admin.callbacks import BroadcastAction, BroadcastCb
from handlers.admin.filters import HasPermission

STEPS = (Compose.content, Compose.audience, Compose.when, Compose.when_text, Compose.confirm)


async def go_back(
    query: CallbackQuery, callback_data: BroadcastCb, state: FSMContext, settings: Settings
) -> None:
    await query.answer()
    current = await state.get_state()
    if current is None or current.split(":")[-1] != callback_data.value:
        return  # a Back button of a step already left
    if not isinstance(query.message, Message):
        return
    draft = (await state.get_data())["draft"]
    if current == Compose.content.state:  # from "send the version in …": that language unchosen
        draft["current"] = draft.pop("previous", "*")
        draft["group"] = None
        await state.update_data(draft=draft)
        await query.message.edit_text(versions_text(draft), reply_markup=content_keyboard())
    elif current == Compose.audience.state:
        await state.set_state(Compose.content)
        await query.message.edit_text(versions_text(draft), reply_markup=content_keyboard())
    elif current == Compose.when.state:
        await state.set_state(Compose.audience)
        await query.message.edit_text(
            _("Who receives it?"), reply_markup=audience_keyboard(draft, settings)
        )
    else:  # from the time prompt or from the confirmation: the "when" question again
        await state.set_state(Compose.when)
        await query.message.edit_text(when_question(draft, settings), reply_markup=when_keyboard())


def setup() -> Router:
    router = Router(name="admin_broadcast_back")
    router.callback_query.filter(HasPermission("broadcast"))
    router.callback_query.register(
        go_back, BroadcastCb.filter(F.action == BroadcastAction.BACK), StateFilter(*STEPS)
    )
    return router
