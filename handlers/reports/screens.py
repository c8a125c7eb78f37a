"""The two menu screens of the feature and the screen of each report step.

The screens exist only when reports are configured: handlers/reports `setup` registers them.
Opening one starts a session of its own, so what it shows goes like every report message.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from functools import partial

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot.db.users import UserRecord
from bot.reports import flow
from bot.reports.service import ReportService
from bot.reports.session import Session
from bot.screens import Screen, ScreenRegistry, ScreenRequest
from handlers.reports.chat import prompt
from handlers.reports.keyboards import (
    check_prompt_rows,
    confirm_markup,
    exit_markup,
    files_markup,
    honesty_rows,
    question_markup,
)

REPORT_SCREEN = "report"
CHECK_SCREEN = "check"

# Renders a screen of another feature by name (user, locale, name): the main menu a wiped
# session leaves behind. Bound where the routers are built (handlers/__init__.py).
ScreenRender = Callable[[UserRecord, str, str], Awaitable[Screen | None]]


async def report_screen(reports: ReportService, request: ScreenRequest) -> Screen:
    # The explanation screen is a session of its own: it goes like every report message.
    session = reports.sessions.start(request.user.user_id, "intro")
    return Screen(
        flow.honesty_text(),
        honesty_rows(),
        footer=False,
        on_shown=lambda _chat, ids: session.track(*ids),
    )


async def check_screen(reports: ReportService, request: ScreenRequest) -> Screen:
    session = reports.sessions.start(request.user.user_id, "check")
    text = _(
        "<b>🔎 Check my report</b>\n\n"
        "Type your 16-digit receipt code. I delete your message at once; what I show you "
        "disappears after a few minutes."
    )
    return Screen(
        text,
        check_prompt_rows(),
        footer=False,
        on_shown=lambda _chat, ids: session.track(*ids),
    )


def register_screens(screens: ScreenRegistry, reports: ReportService) -> None:
    screens.register(
        REPORT_SCREEN,
        partial(report_screen, reports),
        menu_label=__("🛡 Report anonymously"),
        menu_order=30,
    )
    screens.register(
        CHECK_SCREEN,
        partial(check_screen, reports),
        menu_label=__("🔎 Check my report"),
        menu_order=40,
    )


async def show_step(
    bot: Bot,
    reports: ReportService,
    session: Session,
    step: str,
    chat_id: int,
    edit: Message | None = None,
) -> None:
    """Show a step: edit the prompt when a button was pressed on it, else send anew."""
    draft = session.draft
    assert draft is not None
    if step in flow.BY_KEY:
        question = flow.BY_KEY[step]
        chosen = draft.answers.get(step)
        number = list(flow.BY_KEY).index(step) + 1
        text = flow.question_text(question, number)
        markup = question_markup(
            question, chosen if isinstance(chosen, list) else None, reports.today()
        )
    elif step == "text":
        text = flow.text_prompt() + "\n\n"
        text += _(
            "What you send is removed from this chat as soon as I have read it; I answer with "
            "its length only."
        )
        markup = exit_markup()
    elif step == "files":
        text, markup = flow.files_text(len(draft.sealed_files)), files_markup()
    else:
        text = flow.summary(draft.answers, draft.text, len(draft.sealed_files))
        markup = confirm_markup()
    if edit is not None and edit.message_id == session.prompt_id:
        with contextlib.suppress(TelegramBadRequest):
            await edit.edit_text(text, reply_markup=markup)
            return
    await prompt(bot, session, chat_id, text, markup)
