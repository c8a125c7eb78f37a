"""The buttons of each report screen and of "Check my report" (texts: bot/reports/flow.py)."""

from __future__ import annotations

from datetime import date

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.reports import flow
from handlers.reports.callbacks import ReportAction, report_cb

Rows = list[list[InlineKeyboardButton]]


def _button(text: str, action: ReportAction, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=report_cb(action, value))


def exit_button() -> InlineKeyboardButton:
    return _button(_("✖️ Exit and delete"), ReportAction.EXIT)


def _grid(buttons: list[InlineKeyboardButton], columns: int) -> Rows:
    return [buttons[i : i + columns] for i in range(0, len(buttons), columns)]


def honesty_rows() -> Rows:
    return [[_button(_("Start the report"), ReportAction.GO)], [exit_button()]]


def check_prompt_rows() -> Rows:
    return [[_button(_("✖️ Exit"), ReportAction.EXIT)]]


def question_markup(
    question: flow.Question, chosen: list[str] | None, today: date
) -> InlineKeyboardMarkup:
    buttons = []
    for code, label in flow.options_of(question, today):
        mark = "✅ " if question.multi and chosen and code in chosen else ""
        action = ReportAction.TOGGLE if question.multi else ReportAction.ANSWER
        buttons.append(_button(f"{mark}{label}", action, f"{question.key}.{code}"))
    rows = _grid(buttons, question.columns)
    last = [_button(_("Skip ➡️"), ReportAction.SKIP, question.key)]
    if question.multi:
        last.insert(0, _button(_("Done ✔️"), ReportAction.DONE, "what"))
    rows.append(last)
    rows.append([exit_button()])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def exit_markup() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[exit_button()]])


def files_markup() -> InlineKeyboardMarkup:
    rows = [[_button(_("Continue ➡️"), ReportAction.DONE, "files")], [exit_button()]]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def confirm_markup() -> InlineKeyboardMarkup:
    rows = [[_button(_("📨 Send report"), ReportAction.SEND)], [exit_button()]]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def checked_markup() -> InlineKeyboardMarkup:
    rows = [
        [_button(_("➕ Add information or files"), ReportAction.ADD)],
        [_button(_("✖️ Finish and delete"), ReportAction.EXIT)],
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def adding_markup() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_button(_("✔️ Finish"), ReportAction.EXIT)]])
