"""`/reports`: the staff's list of references with their triage fields, filters and pages.

Role-checked on every message and every button (HasPermission("reports"), in handlers/reports/
staff.py's routers); a button's data is parsed into a view and checked value by value, so
crafted data shows nothing it does not allow anyway. In the staff chat the texts are in
DEFAULT_LOCALE, in a private chat in the admin's language (staff.staff_locale).
"""

from __future__ import annotations

import contextlib
from enum import StrEnum

from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.reports.service import ReportService
from bot.reports.staff_list import (
    STATUS_CHOICES,
    ListView,
    choice_label,
    page_text,
    pages_of,
    parse_view,
    usage_text,
    valid,
)


class ListAction(StrEnum):
    SHOW = "show"  # the view in the data: a status button or a page arrow


class ReportListCb(CallbackData, prefix="rl1"):
    action: ListAction
    status: str
    region: str = ""
    place: str = ""
    urgency: str = ""
    page: int = 0

    @classmethod
    def of(cls, view: ListView) -> str:
        return cls(
            action=ListAction.SHOW,
            status=view.status,
            region=view.region or "",
            place=view.place or "",
            urgency=view.urgency or "",
            page=view.page,
        ).pack()

    def view(self) -> ListView:
        return ListView(
            self.status, self.region or None, self.place or None, self.urgency or None, self.page
        )


def keyboard(view: ListView, count: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    pages = pages_of(count)
    page = min(view.page, pages - 1)
    arrows = 0
    if page > 0:
        builder.button(text="◀️", callback_data=ReportListCb.of(view.at(page - 1)))
        arrows += 1
    if page < pages - 1:
        builder.button(text="▶️", callback_data=ReportListCb.of(view.at(page + 1)))
        arrows += 1
    for status in STATUS_CHOICES:
        mark = "• " if status == view.status else ""
        builder.button(
            text=mark + choice_label(status),
            callback_data=ReportListCb.of(view.with_status(status)),
        )
    builder.adjust(*([arrows] if arrows else []), 3, 3)
    return builder.as_markup()


async def _render(reports: ReportService, view: ListView) -> tuple[str, InlineKeyboardMarkup]:
    rows = await reports.store.search(
        view.statuses, region=view.region, place=view.place, urgency=view.urgency
    )
    return page_text(rows, view), keyboard(view, len(rows))


async def cmd_list(message: Message, reports: ReportService, command: CommandObject) -> None:
    view = parse_view(command.args)
    if view is None:
        await message.answer(usage_text())
        return
    text, markup = await _render(reports, view)
    await message.answer(text, reply_markup=markup)


async def on_view(
    query: CallbackQuery, callback_data: ReportListCb, reports: ReportService
) -> None:
    view = callback_data.view()
    if not valid(view) or query.message is None or not isinstance(query.message, Message):
        await query.answer(_("This button is out of date."))
        return
    text, markup = await _render(reports, view)
    with contextlib.suppress(TelegramBadRequest):  # "message is not modified": same view again
        await query.message.edit_text(text, reply_markup=markup)
    await query.answer()
