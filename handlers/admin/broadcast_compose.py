"""/broadcast, first steps: the content (one version per language if wanted), then the exact preview.

The next steps (audience, time, confirmation, /cancel_broadcast) are in broadcast_send.py.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot import LOCALES, language_name
from bot.admin import broadcast as composer
from bot.config import Settings
from handlers.admin.broadcast_ui import (
    Compose,
    audience_keyboard,
    back,
    content_keyboard,
    paced,
)
from handlers.admin.callbacks import BroadcastAction, BroadcastCb
from handlers.admin.filters import HasPermission


async def start_broadcast(message: Message, state: FSMContext) -> None:
    await state.set_state(Compose.content)
    await state.set_data({"draft": composer.new_draft(message.chat.id)})
    await message.answer(
        _(
            "Send the message to broadcast: text, photo, video, document, voice, audio or an "
            "album. It will be copied as it is. It goes to every language unless you add a "
            "version for a language with the buttons that follow.\n/cancel_broadcast stops."
        )
    )


async def receive_content(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    draft = data["draft"]
    if composer.add_message(draft, message.message_id, message.media_group_id):
        label = (
            _("all languages")
            if draft["current"] == composer.ALL
            else language_name(draft["current"])
        )
        await message.answer(
            _("Saved as the version for: {label}.").format(label=label),
            reply_markup=content_keyboard(),
        )
    await state.update_data(draft=draft)


async def choose_language(
    query: CallbackQuery, callback_data: BroadcastCb, state: FSMContext
) -> None:
    if callback_data.value not in LOCALES:
        await query.answer()
        return
    data = await state.get_data()
    draft = data["draft"]
    draft["previous"] = draft["current"]  # Back returns to it
    draft["current"] = callback_data.value
    draft["group"] = None
    await state.update_data(draft=draft)
    await query.answer()
    assert query.message is not None
    await query.message.answer(
        _("Now send the version in {language}.").format(
            language=language_name(callback_data.value)
        ),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[back(Compose.content)]]),
    )


async def preview(query: CallbackQuery, state: FSMContext, settings: Settings, bot: Bot) -> None:
    data = await state.get_data()
    draft = data["draft"]
    await query.answer()
    if not draft["versions"]:
        await bot.send_message(query.from_user.id, _("Send the message first."))
        return
    chat = query.from_user.id
    for key, ids in draft["versions"].items():
        label = _("all languages") if key == composer.ALL else language_name(key)
        text = _("Preview — version for: {label}").format(label=label)
        await paced(lambda text=text: bot.send_message(chat, text))
        if len(ids) > 1:
            await paced(
                lambda ids=ids: bot.copy_messages(
                    chat, from_chat_id=draft["chat"], message_ids=sorted(ids)
                )
            )
        else:
            await paced(
                lambda ids=ids: bot.copy_message(
                    chat, from_chat_id=draft["chat"], message_id=ids[0]
                )
            )
    await state.set_state(Compose.audience)
    keyboard = audience_keyboard(draft, settings)
    await paced(lambda: bot.send_message(chat, _("Who receives it?"), reply_markup=keyboard))


def setup() -> Router:
    router = Router(name="admin_broadcast_compose")
    allowed = HasPermission("broadcast")
    router.message.filter(allowed)
    router.callback_query.filter(allowed)
    router.message.register(start_broadcast, Command("broadcast"))
    not_a_command = ~F.text.startswith("/")
    router.message.register(receive_content, StateFilter(Compose.content), not_a_command)
    router.callback_query.register(
        choose_language,
        BroadcastCb.filter(F.action == BroadcastAction.LANGUAGE),
        StateFilter(Compose.content),
    )
    router.callback_query.register(
        preview,
        BroadcastCb.filter(F.action == BroadcastAction.PREVIEW),
        StateFilter(Compose.content),
    )
    return router
