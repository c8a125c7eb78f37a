"""Filters of the reports routers: which chat has which session, receipts typed anywhere.

The session (bot/reports/session.py) is the authority on whether a chat is in a report: a screen
or the idle timeout may replace or end it without an FSM context, so every step handler asks for
a live session of the right mode as well as for its state. The session is handed on as `session`.
"""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message

from bot.reports.receipt import normalise
from bot.reports.service import ReportService
from handlers.reports.chat import chat_of

RECEIPT_LIKE_DIGITS = 8


class InSession(Filter):
    """The chat has a session in one of `modes` (any mode when none is given)."""

    def __init__(self, *modes: str) -> None:
        self.modes = modes

    async def __call__(
        self, event: Message | CallbackQuery, reports: ReportService
    ) -> bool | dict[str, Any]:
        session = reports.sessions.get(chat_of(event))
        if session is None or (self.modes and session.mode not in self.modes):
            return False
        return {"session": session}


class NoSession(Filter):
    """The chat has no session (it ended, or the button is from one long gone)."""

    async def __call__(self, event: Message | CallbackQuery, reports: ReportService) -> bool:
        return reports.sessions.get(chat_of(event)) is None


def typed_receipt(message: Message) -> bool:
    """A private text that is a receipt (16 digits, spaces allowed), whatever screen is open."""
    return normalise(message.text or "") is not None


def receipt_like(message: Message) -> bool:
    """A text that may be a mistyped receipt. A person who opened "Check my report" and went
    elsewhere may type a question for another section: only this is taken as a code."""
    return sum(ch.isdigit() for ch in message.text or "") >= RECEIPT_LIKE_DIGITS


class EditedInSession(Filter):
    """An edited message that a session has read."""

    async def __call__(self, message: Message, reports: ReportService) -> bool | dict[str, Any]:
        session = reports.sessions.get(message.chat.id)
        if session is None or message.message_id not in session.message_ids:
            return False
        return {"session": session}
