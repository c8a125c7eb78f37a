"""What no session keeps: a location or a phone number is deleted at once; an edit of something
the session read replaces that part of the description or is refused. Either way the person's
message leaves the chat."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.reports import flow
from bot.reports.service import ReportService
from bot.reports.session import Session
from handlers.reports.chat import delete_now, send_tracked
from handlers.reports.filters import EditedInSession, InSession
from handlers.reports.screens import show_step
from handlers.reports.states import DRAFT_STATES, ReportSteps, step_of


async def on_identifying(message: Message, session: Session, bot: Bot) -> None:
    session.track(message.message_id)
    await delete_now(bot, message.chat.id, [message.message_id])
    text = _(
        "I deleted what you sent: a location or a phone number can identify you. "
        "Please answer with the buttons or in words."
    )
    await send_tracked(bot, session, message.chat.id, text)


async def on_edited(
    message: Message,
    reports: ReportService,
    session: Session,
    state: FSMContext,
    raw_state: str | None,
    bot: Bot,
) -> None:
    chat_id = message.chat.id
    await delete_now(bot, chat_id, [message.message_id])
    draft, text = session.draft, message.text
    step = step_of(raw_state)
    if (
        session.mode == "report"
        and draft is not None
        and text is not None
        and message.message_id in draft.parts
        and len(text) <= flow.MAX_TEXT
        and raw_state in {s.state for s in DRAFT_STATES}
    ):
        draft.set_part(message.message_id, text)
        ack = _("✓ Your correction replaces what you sent before. Characters: {count}.")
        await send_tracked(bot, session, chat_id, ack.format(count=len(text)))
        if step == "text" and len(draft.text) >= flow.MIN_TEXT:
            step = "files"
            await state.set_state(ReportSteps.files)
        if step in ("files", "confirm"):
            await show_step(bot, reports, session, step, chat_id)
        return
    refused = _(
        "I could not take this edit: what you sent first is already encrypted or used. "
        "Please send the correction as a new message."
    )
    await send_tracked(bot, session, chat_id, refused)


def setup() -> Router:
    router = Router(name="reports_guards")
    router.message.register(
        on_identifying,
        InSession("report", "typeback", "checked"),
        F.location | F.venue | F.contact,
    )
    router.edited_message.register(on_edited, EditedInSession())
    return router
