"""Files of a report: downloaded, sealed at once with the draft's key, the person's message
deleted and its file id dropped. Files may come at any step; the files step has «Continue»."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.reports import flow
from bot.reports.service import ReportService
from bot.reports.session import Session
from handlers.reports.callbacks import ReportAction, ReportCb
from handlers.reports.chat import (
    chat_of,
    declared_size,
    delete_now,
    download_media,
    media_received,
    send_tracked,
)
from handlers.reports.filters import InSession
from handlers.reports.screens import show_step
from handlers.reports.states import DRAFT_STATES, ReportSteps, step_of


async def _refused(message: Message, bot: Bot, session: Session, refusal: str | None) -> bool:
    """A file over a draft cap (bot/reports/costs.py): deleted, the person told, nothing lost."""
    if refusal is None:
        return False
    await delete_now(bot, message.chat.id, [message.message_id])
    text = flow.too_many_files() if refusal == "files" else flow.files_too_big()
    await send_tracked(bot, session, message.chat.id, text)
    return True


async def on_file(
    message: Message, reports: ReportService, session: Session, raw_state: str | None, bot: Bot
) -> None:
    draft = session.draft
    assert draft is not None
    session.track(message.message_id)  # deleted below; tracked in case that fails
    if await _refused(message, bot, session, reports.draft_refusal(draft, declared_size(message))):
        return
    downloaded = await download_media(message, bot, session)
    if downloaded is None:
        return
    kind, name, mime, data = downloaded
    if await _refused(message, bot, session, reports.draft_refusal(draft, len(data))):
        return
    caption = message.caption or None
    reports.seal_file(draft, kind, name, mime, data, caption=caption)
    await send_tracked(bot, session, message.chat.id, media_received(kind, caption))
    await show_step(bot, reports, session, step_of(raw_state), message.chat.id)


async def on_continue(
    query: CallbackQuery,
    callback_data: ReportCb,
    reports: ReportService,
    session: Session,
    state: FSMContext,
    bot: Bot,
) -> None:
    await query.answer()
    if callback_data.value != "files":
        return
    await state.set_state(ReportSteps.confirm)
    message = query.message if isinstance(query.message, Message) else None
    await show_step(bot, reports, session, "confirm", chat_of(query), edit=message)


def setup() -> Router:
    router = Router(name="reports_files")
    live = InSession("report")
    # Text has its own handlers (questions, text); commands go to their own features.
    router.message.register(on_file, StateFilter(*DRAFT_STATES), live, F.text.is_(None))
    router.callback_query.register(
        on_continue, ReportCb.filter(F.action == ReportAction.DONE), ReportSteps.files, live
    )
    return router
