"""The description step: text is deleted as soon as read and answered with its length only.

Text sent at any step of a report joins the description (by message id, so an edit can replace
its part); it must reach the minimum length before the files step opens.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.reports import flow
from bot.reports.service import ReportService
from bot.reports.session import Session
from handlers.reports.chat import delete_now, send_tracked, text_received
from handlers.reports.filters import InSession
from handlers.reports.screens import show_step
from handlers.reports.states import ReportSteps, step_of


async def take_text(message: Message, bot: Bot, session: Session) -> str | None:
    """Read a text into the description; returns the acknowledgement to send, or None when it
    was refused (too long: the person is told, nothing is lost)."""
    assert message.text is not None and session.draft is not None
    session.track(message.message_id)  # deleted on read below; tracked in case that fails
    await delete_now(bot, message.chat.id, [message.message_id])  # read: it leaves the phone now
    if len(message.text) > flow.MAX_TEXT:
        await send_tracked(bot, session, message.chat.id, flow.too_long())
        return None
    session.draft.set_part(message.message_id, message.text)
    return text_received(len(message.text))


async def on_description(
    message: Message, reports: ReportService, session: Session, state: FSMContext, bot: Bot
) -> None:
    received = await take_text(message, bot, session)
    if received is None:
        return
    assert session.draft is not None
    if len(session.draft.text) < flow.MIN_TEXT:
        await send_tracked(bot, session, message.chat.id, f"{received}\n\n{flow.too_short()}")
        return
    await state.set_state(ReportSteps.files)
    await send_tracked(bot, session, message.chat.id, received)
    await show_step(bot, reports, session, "files", message.chat.id)


async def on_more_text(
    message: Message, reports: ReportService, session: Session, raw_state: str | None, bot: Bot
) -> None:
    """Text after the description step (files, confirmation): it joins the description."""
    received = await take_text(message, bot, session)
    if received is None:
        return
    await send_tracked(bot, session, message.chat.id, received)
    await show_step(bot, reports, session, step_of(raw_state), message.chat.id)


def setup() -> Router:
    router = Router(name="reports_text")
    live = InSession("report")
    text = F.text & ~F.text.startswith("/")
    router.message.register(on_description, ReportSteps.text, live, text)
    router.message.register(
        on_more_text, StateFilter(ReportSteps.files, ReportSteps.confirm), live, text
    )
    return router
