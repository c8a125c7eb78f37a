"""The global error handler: log the error's class and where it happened, tell the user kindly.

Never logs message text, callback data or user ids: only the exception class and the handler.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import Any

from aiogram import Dispatcher
from aiogram.exceptions import TelegramAPIError
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import gettext as _

from bot.config import Settings
from bot.i18n import ROOT, Translator, resolve_locale

log = logging.getLogger(__name__)


def where(exc: BaseException) -> str:
    """The innermost frame of our own code (handlers/, bot/, jobs/) as module:function."""
    found = "unknown"
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        try:
            relative = path.resolve().relative_to(ROOT)
        except ValueError:
            continue
        if relative.parts and relative.parts[0] in {"handlers", "bot", "jobs"}:
            found = f"{'.'.join(relative.with_suffix('').parts)}:{frame.name}"
    return found


async def on_error(event: ErrorEvent, settings: Settings, i18n: Translator, **data: Any) -> bool:
    exc = event.exception
    # The kind of update, never its id: an update id orders a person's updates in time.
    log.error("error %s in %s (%s)", exc.__class__.__name__, where(exc), event.update.event_type)
    record = data.get("user_record")
    user = data.get("event_from_user")
    locale = resolve_locale(
        record.locale if record else None,
        user.language_code if user else None,
        settings.default_locale,
    )
    with i18n.use_locale(locale):
        text = _(
            "Sorry, something went wrong on our side. Please try again or open the menu with /start.\n"
            "If you need help urgently, call the Coalition's hotline: 98 708 76 76 (Dushanbe), "
            "98 787 33 33 (Sughd), 98 787 66 66 (Khatlon)."
        )
    await _tell_user(event, text)
    return True


async def _tell_user(event: ErrorEvent, text: str) -> None:
    update = event.update
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
            if update.callback_query.message is not None:
                await update.callback_query.message.answer(text)
        elif update.message is not None and update.message.chat.type == "private":
            await update.message.answer(text)
    except TelegramAPIError as notify_error:
        log.warning("could not tell the user about the error: %s", notify_error.__class__.__name__)


def setup(dispatcher: Dispatcher) -> None:
    """Errors bubble up to the dispatcher from every router, so the handler sits there."""
    dispatcher.errors.register(on_error)
