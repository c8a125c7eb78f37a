"""The questions of a report (bot/reports/flow.py), one state each: answer, toggle, skip, done.

A button of an earlier question does nothing: the state decides which question is open. Text
typed while a question is open is kept for the description, and the question stays.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.reports import flow
from bot.reports.service import ReportService
from bot.reports.session import Session
from handlers.reports.callbacks import ReportAction, ReportCb
from handlers.reports.chat import chat_of, send_tracked
from handlers.reports.filters import InSession
from handlers.reports.screens import show_step
from handlers.reports.states import QUESTION_STATES, ReportSteps, step_of, step_state
from handlers.reports.text import take_text


async def _go_to(
    query: CallbackQuery,
    reports: ReportService,
    session: Session,
    state: FSMContext,
    step: str,
    bot: Bot,
) -> None:
    await state.set_state(step_state(step))
    message = query.message if isinstance(query.message, Message) else None
    await show_step(bot, reports, session, step, chat_of(query), edit=message)


async def on_answer(
    query: CallbackQuery,
    callback_data: ReportCb,
    reports: ReportService,
    session: Session,
    state: FSMContext,
    raw_state: str | None,
    bot: Bot,
) -> None:
    await query.answer()
    key, _sep, code = callback_data.value.partition(".")
    if key != step_of(raw_state):
        return  # a button of an earlier step: the session decides, not the button
    if code not in dict(flow.options_of(flow.BY_KEY[key], reports.today())):
        return
    assert session.draft is not None
    session.draft.answers[key] = code
    step = flow.next_step(key)
    if key == "danger" and code == "yes":
        # Someone is in danger now: the hotlines come before any further question.
        chat_id = chat_of(query)
        await state.set_state(step_state(step))
        await send_tracked(bot, session, chat_id, flow.danger_text())
        await show_step(bot, reports, session, step, chat_id)
        return
    await _go_to(query, reports, session, state, step, bot)


async def on_toggle(
    query: CallbackQuery,
    callback_data: ReportCb,
    reports: ReportService,
    session: Session,
    state: FSMContext,
    raw_state: str | None,
    bot: Bot,
) -> None:
    await query.answer()
    key, _sep, code = callback_data.value.partition(".")
    if key != step_of(raw_state) or code not in dict(flow.BY_KEY[key].options):
        return
    assert session.draft is not None
    chosen = list(session.draft.answers.get(key) or [])
    chosen.remove(code) if code in chosen else chosen.append(code)
    session.draft.answers[key] = chosen
    await _go_to(query, reports, session, state, key, bot)


async def on_skip(
    query: CallbackQuery,
    callback_data: ReportCb,
    reports: ReportService,
    session: Session,
    state: FSMContext,
    raw_state: str | None,
    bot: Bot,
) -> None:
    await query.answer()
    key = callback_data.value
    if key != step_of(raw_state):
        return
    assert session.draft is not None
    session.draft.answers.pop(key, None)
    await _go_to(query, reports, session, state, flow.next_step(key), bot)


async def on_done_choosing(
    query: CallbackQuery,
    callback_data: ReportCb,
    reports: ReportService,
    session: Session,
    state: FSMContext,
    bot: Bot,
) -> None:
    await query.answer()
    if callback_data.value == "what":
        await _go_to(query, reports, session, state, flow.next_step("what"), bot)


async def on_text(message: Message, session: Session, bot: Bot) -> None:
    """Text while a question is open: kept for the description; the question stays open."""
    received = await take_text(message, bot, session)
    if received is None:
        return
    note = _(
        "I have kept this for your description. Please answer the question with the "
        "buttons, or press «Skip»."
    )
    await send_tracked(bot, session, message.chat.id, f"{received}\n\n{note}")


def setup() -> Router:
    router = Router(name="reports_questions")
    live = InSession("report")
    asking = StateFilter(*QUESTION_STATES)
    for handler, action in (
        (on_answer, ReportAction.ANSWER),
        (on_toggle, ReportAction.TOGGLE),
        (on_skip, ReportAction.SKIP),
    ):
        router.callback_query.register(handler, ReportCb.filter(F.action == action), asking, live)
    router.callback_query.register(
        on_done_choosing, ReportCb.filter(F.action == ReportAction.DONE), ReportSteps.what, live
    )
    router.message.register(on_text, asking, live, F.text, ~F.text.startswith("/"))
    return router
