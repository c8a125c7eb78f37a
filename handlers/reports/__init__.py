"""Anonymous reports: the report flow, the receipt, "Check my report", the staff's commands
(logic in bot/reports). Included only when report keys are configured (handlers/__init__.py).

What the person sends in a session is deleted as soon as it is read and answered by a short
acknowledgement that repeats none of it; the bot's own messages of the session are tracked in
memory and deleted when it ends, however it ends. A receipt typed anywhere is deleted at once and
opens "Check my report". Nothing here logs text, receipts or user ids.

The steps are FSM states (handlers/reports/states.py, MemoryStorage: nothing on disk); the draft
stays in the in-memory session. The order of the step routers matters where filters overlap:
identifying content first, then the type-back, then receipts typed anywhere.
"""

from __future__ import annotations

from aiogram import Bot, Dispatcher, F, Router
from aiogram.enums import ChatType

from bot.reports.service import ReportService
from bot.screens import ScreenRegistry
from handlers.reports import (
    additions,
    check,
    ending,
    files,
    guards,
    intro,
    questions,
    staff,
    submit,
    text,
)
from handlers.reports.screens import ScreenRender, register_screens
from handlers.reports.states import forget_steps


async def on_startup(bot: Bot, dispatcher: Dispatcher, reports: ReportService) -> None:
    """A session that ends without a handler (idle timeout, a screen opening a new one) takes
    its chat's FSM step with it."""
    reports.sessions.on_end = forget_steps(dispatcher.storage, bot.id)


def setup(screens: ScreenRegistry, reports: ReportService, render_screen: ScreenRender) -> Router:
    """The reporters' routers (private chats) and the staff's commands (admins only).

    `render_screen` renders another feature's screen by name (the main menu after an exit)."""
    register_screens(screens, reports)
    people = Router(name="reports_people")
    people.message.filter(F.chat.type == ChatType.PRIVATE)
    people.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    people.edited_message.filter(F.chat.type == ChatType.PRIVATE)
    people.include_routers(
        guards.setup(),
        intro.setup(),
        submit.setup(),
        check.setup(),
        questions.setup(),
        text.setup(),
        files.setup(),
        additions.setup(),
        ending.setup(render_screen),  # last: a report button nobody else took is answered here
    )
    router = Router(name="reports")
    router.startup.register(on_startup)
    router.include_routers(people, staff.setup())
    return router
