"""The broadcast composer's steps (FSM states) and its keyboards, shared by its two modules."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiogram.exceptions import TelegramRetryAfter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot import LOCALES, language_name
from bot.admin.broadcast_text import format_moment
from bot.config import Settings
from handlers.admin.callbacks import BroadcastAction, BroadcastCb


class Compose(StatesGroup):
    content = State()
    audience = State()
    when = State()
    when_text = State()
    confirm = State()


async def paced(call: Callable[[], Awaitable[Any]]) -> Any:
    """The preview sends several messages to one chat (1/s after a short burst): wait out a 429."""
    for _attempt in range(5):
        try:
            return await call()
        except TelegramRetryAfter as exc:
            await asyncio.sleep(exc.retry_after)
    return await call()


def button(text: str, action: BroadcastAction, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=BroadcastCb(action=action, value=value).pack()
    )


def back(step: State) -> InlineKeyboardButton:
    """Back to the step before `step` (the button is stale once the composer left `step`)."""
    assert step.state is not None
    return button(_("⬅️ Back"), BroadcastAction.BACK, step.state.split(":")[-1])


def content_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [button(f"+ {language_name(loc)}", BroadcastAction.LANGUAGE, loc) for loc in LOCALES],
            [button(_("👁 Preview and choose recipients"), BroadcastAction.PREVIEW)],
        ]
    )


def versions_text(draft: dict) -> str:
    """The content step again (after Back): which versions the draft holds."""
    labels = [_("all languages") if key == "*" else language_name(key) for key in draft["versions"]]
    return _(
        "Versions so far: {labels}. Send a message to replace the current one, add a version "
        "for a language, or preview."
    ).format(labels=", ".join(labels) or "—")


def audience_keyboard(draft: dict, settings: Settings) -> InlineKeyboardMarkup:
    def mark(on: bool) -> str:
        return "✅ " if on else "▫️ "

    subs = draft["subscribers"]
    aud = BroadcastAction.AUDIENCE
    rows = [[button(mark("all" in subs) + _("All subscribers"), aud, "all")]]
    rows.append([button(mark(loc in subs) + language_name(loc), aud, loc) for loc in LOCALES])
    for channel in settings.channels:
        on = channel.locale in draft["channels"]
        rows.append([button(mark(on) + channel.chat, BroadcastAction.CHANNEL, channel.locale)])
    rows.append([back(Compose.audience), button(_("Next ➡️"), aud, "done")])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def when_question(draft: dict, settings: Settings) -> str:
    if draft["when"]:
        moment = format_moment(datetime.fromisoformat(draft["when"]), settings)
        return _("When? Chosen so far: {when}.").format(when=moment)
    return _("When?")


def when_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                button(_("Now"), BroadcastAction.WHEN, "now"),
                button(_("At a date and time"), BroadcastAction.WHEN, "later"),
            ],
            [back(Compose.when)],
        ]
    )


def when_text_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[back(Compose.when_text)]])


def confirm_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                button(_("✅ Send"), BroadcastAction.CONFIRM),
                button(_("✖️ Cancel"), BroadcastAction.ABORT),
            ],
            [back(Compose.confirm)],
        ]
    )
