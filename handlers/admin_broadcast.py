"""The /broadcast composer: content (one version per language if wanted) → exact preview →
audience → now or later → confirm; /cancel_broadcast. The admin router (handlers/admin.py)
registers these behind its role filter."""

from __future__ import annotations

import asyncio
import html
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter
from aiogram.filters import CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.i18n import gettext as _

from bot import LANGUAGE_NAMES, LOCALES
from bot.admin import broadcast as composer
from bot.admin.callbacks import AdminCb
from bot.admin.roles import AdminDirectory
from bot.services import Services


class Compose(StatesGroup):
    content = State()
    audience = State()
    when = State()
    when_text = State()
    confirm = State()


async def _paced(call: Callable[[], Awaitable[Any]]) -> Any:
    """The preview sends several messages to one chat (1/s after a short burst): wait out a 429."""
    for _attempt in range(5):
        try:
            return await call()
        except TelegramRetryAfter as exc:
            await asyncio.sleep(exc.retry_after)
    return await call()


def _button(text: str, action: str, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=AdminCb(action=action, value=value).pack())


# ------------------------------------------------------------------ broadcast composer


async def start_broadcast(message: Message, state: FSMContext, services: Services) -> None:
    await state.set_state(Compose.content)
    await state.set_data({"draft": composer.new_draft(message.chat.id)})
    await message.answer(
        _(
            "Send the message to broadcast: text, photo, video, document, voice, audio or an "
            "album. It will be copied as it is. It goes to every language unless you add a "
            "version for a language with the buttons that follow.\n/cancel_broadcast stops."
        )
    )


def _content_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(f"+ {LANGUAGE_NAMES[loc]}", "lang", loc) for loc in LOCALES],
            [_button(_("👁 Preview and choose recipients"), "next")],
        ]
    )


async def receive_content(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    draft = data["draft"]
    if composer.add_message(draft, message.message_id, message.media_group_id):
        label = (
            _("all languages")
            if draft["current"] == composer.ALL
            else LANGUAGE_NAMES[draft["current"]]
        )
        await message.answer(
            _("Saved as the version for: {label}.").format(label=label),
            reply_markup=_content_keyboard(),
        )
    await state.update_data(draft=draft)


async def choose_language(query: CallbackQuery, callback_data: AdminCb, state: FSMContext) -> None:
    if callback_data.value not in LOCALES:
        await query.answer()
        return
    data = await state.get_data()
    draft = data["draft"]
    draft["current"] = callback_data.value
    draft["group"] = None
    await state.update_data(draft=draft)
    await query.answer()
    assert query.message is not None
    await query.message.answer(
        _("Now send the version in {language}.").format(
            language=LANGUAGE_NAMES[callback_data.value]
        )
    )


def _audience_keyboard(draft: dict, services: Services) -> InlineKeyboardMarkup:
    def mark(on: bool) -> str:
        return "✅ " if on else "▫️ "

    subs = draft["subscribers"]
    rows = [[_button(mark("all" in subs) + _("All subscribers"), "aud", "all")]]
    rows.append([_button(mark(loc in subs) + LANGUAGE_NAMES[loc], "aud", loc) for loc in LOCALES])
    for channel in services.settings.channels:
        on = channel.locale in draft["channels"]
        rows.append([_button(mark(on) + channel.chat, "aud", f"ch-{channel.locale}")])
    rows.append([_button(_("Next ➡️"), "aud", "done")])
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def preview(query: CallbackQuery, state: FSMContext, services: Services, bot: Bot) -> None:
    data = await state.get_data()
    draft = data["draft"]
    await query.answer()
    if not draft["versions"]:
        await bot.send_message(query.from_user.id, _("Send the message first."))
        return
    chat = query.from_user.id
    for key, ids in draft["versions"].items():
        label = _("all languages") if key == composer.ALL else LANGUAGE_NAMES[key]
        text = _("Preview — version for: {label}").format(label=label)
        await _paced(lambda text=text: bot.send_message(chat, text))
        if len(ids) > 1:
            await _paced(
                lambda ids=ids: bot.copy_messages(
                    chat, from_chat_id=draft["chat"], message_ids=sorted(ids)
                )
            )
        else:
            await _paced(
                lambda ids=ids: bot.copy_message(
                    chat, from_chat_id=draft["chat"], message_id=ids[0]
                )
            )
    await state.set_state(Compose.audience)
    keyboard = _audience_keyboard(draft, services)
    await _paced(lambda: bot.send_message(chat, _("Who receives it?"), reply_markup=keyboard))


async def choose_audience(
    query: CallbackQuery, callback_data: AdminCb, state: FSMContext, services: Services
) -> None:
    data = await state.get_data()
    draft = data["draft"]
    value = callback_data.value
    channel_locales = {c.locale for c in services.settings.channels}
    assert isinstance(query.message, Message)
    if value == "done":
        if composer.to_audience(draft) is None:
            await query.answer(_("Choose at least one audience."), show_alert=True)
            return
        await query.answer()
        await state.set_state(Compose.when)
        await query.message.edit_text(
            _("When?"),
            reply_markup=InlineKeyboardMarkup(
                inline_keyboard=[
                    [
                        _button(_("Now"), "when", "now"),
                        _button(_("At a date and time"), "when", "later"),
                    ]
                ]
            ),
        )
        return
    if value in ("all", *LOCALES):
        draft["subscribers"] = composer.toggle(draft["subscribers"], value)
    elif value.startswith("ch-") and value[3:] in channel_locales:
        draft["channels"] = composer.toggle(draft["channels"], value[3:])
    await state.update_data(draft=draft)
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=_audience_keyboard(draft, services))


async def choose_when(
    query: CallbackQuery, callback_data: AdminCb, state: FSMContext, services: Services
) -> None:
    await query.answer()
    assert isinstance(query.message, Message)
    if callback_data.value == "later":
        await state.set_state(Compose.when_text)
        await query.message.answer(
            _("Send the date and time as YYYY-MM-DD HH:MM ({timezone}).").format(
                timezone=services.settings.timezone
            )
        )
        return
    await _confirm(query.message, state, services)


async def receive_when(message: Message, state: FSMContext, services: Services) -> None:
    moment = composer.parse_when(message.text or "", services)
    if moment is None:
        await message.answer(
            _("I need a future date and time as YYYY-MM-DD HH:MM, for example 2030-06-26 09:00.")
        )
        return
    data = await state.get_data()
    draft = data["draft"]
    draft["when"] = moment.isoformat()
    await state.update_data(draft=draft)
    await _confirm(message, state, services)


async def _confirm(message: Message, state: FSMContext, services: Services) -> None:
    data = await state.get_data()
    draft = data["draft"]
    subs = draft["subscribers"]
    who = []
    if "all" in subs:
        who.append(_("all subscribers"))
    else:
        who += [_("subscribers: {language}").format(language=LANGUAGE_NAMES[s]) for s in subs]
    who += [c.chat for c in services.settings.channels if c.locale in draft["channels"]]
    when = draft["when"][:16].replace("T", " ") if draft["when"] else _("now")
    await state.set_state(Compose.confirm)
    await message.answer(
        _("Send to: {who}\nWhen: {when}\nConfirm?").format(
            who=html.escape(", ".join(who)), when=when
        ),
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[_button(_("✅ Send"), "confirm"), _button(_("✖️ Cancel"), "abort")]]
        ),
    )


async def confirm(
    query: CallbackQuery, state: FSMContext, services: Services, bot: Bot, locale: str
) -> None:
    data = await state.get_data()
    draft = data["draft"]
    audience = composer.to_audience(draft)
    versions = composer.to_versions(draft, services.settings.default_locale)
    await query.answer()
    await state.clear()
    if audience is None or not versions or services.delivery is None:
        return
    first_id = min(min(ids) for ids in draft["versions"].values())
    delivery_id = await services.delivery.enqueue(
        kind="broadcast",
        # One broadcast per composed message: a double tap on "Send" cannot send twice.
        dedupe_key=f"broadcast:{query.from_user.id}:{first_id}",
        versions=versions,
        audience=audience,
        not_before=datetime.fromisoformat(draft["when"]) if draft["when"] else None,
        created_by=query.from_user.id,
    )
    await AdminDirectory(services).audit(query.from_user.id, "broadcast", str(delivery_id))
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
    composer.watch(bot, services, query.from_user.id, delivery_id, locale)


async def abort(query: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(_("Broadcast discarded."))


async def cancel_broadcast(
    message: Message, command: CommandObject, state: FSMContext, services: Services
) -> None:
    if await state.get_state() is not None:
        await state.clear()
        await message.answer(_("Broadcast discarded."))
        return
    assert message.from_user is not None and services.delivery is not None
    # Discarding one's own draft (above) needs only "broadcast"; stopping a broadcast that is
    # scheduled or being sent needs "cancel" (owners, admins; not editors: bot/admin/roles.py).
    if not await AdminDirectory(services).may(message.from_user.id, "cancel"):
        await message.answer(
            _("Only an owner or an admin can cancel a broadcast that is scheduled or being sent.")
        )
        return
    arg = (command.args or "").strip()
    if arg.isdigit():
        row = await services.db.fetchone(
            "SELECT id FROM deliveries WHERE id = ? AND kind = 'broadcast' "
            "AND state IN ('scheduled', 'expanding', 'sending')",
            (int(arg),),
        )
    else:
        row = await services.db.fetchone(
            "SELECT id FROM deliveries WHERE kind = 'broadcast' "
            "AND state IN ('scheduled', 'expanding', 'sending') ORDER BY id DESC LIMIT 1"
        )
    if row is None:
        await message.answer(_("No broadcast is running or scheduled."))
        return
    await services.delivery.cancel(int(row[0]))
    await AdminDirectory(services).audit(message.from_user.id, "cancel_broadcast", str(row[0]))
    await message.answer(_("Broadcast {id} cancelled.").format(id=row[0]))
