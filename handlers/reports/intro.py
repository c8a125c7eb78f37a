"""The explanation screen's «Start the report»: a report session with an empty draft begins.

The explanation itself is a screen (handlers/reports/screens.py); its message becomes the
first question, so it is carried over to the new session and goes with it.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.reports import flow
from bot.reports.service import ReportService
from bot.reports.session import Draft
from handlers.reports.callbacks import ReportAction, ReportCb
from handlers.reports.chat import chat_of
from handlers.reports.screens import show_step
from handlers.reports.states import step_state


async def on_start_report(
    query: CallbackQuery, reports: ReportService, state: FSMContext, bot: Bot
) -> None:
    if not reports.submission_limits.allowed(query.from_user.id):
        await query.answer(
            _("You have sent several reports today. Please call a hotline."), show_alert=True
        )
        return
    await query.answer()
    message = query.message if isinstance(query.message, Message) else None
    chat_id = chat_of(query)
    carry = (message.message_id,) if message is not None else ()
    session = reports.sessions.start(chat_id, "report", carry=carry)
    session.draft = Draft()
    if message is not None:
        session.prompt_id = message.message_id
    first = flow.STEPS[0]
    await state.set_state(step_state(first))
    await show_step(bot, reports, session, first, chat_id, edit=message)


def setup() -> Router:
    router = Router(name="reports_intro")
    router.callback_query.register(on_start_report, ReportCb.filter(F.action == ReportAction.GO))
    return router
