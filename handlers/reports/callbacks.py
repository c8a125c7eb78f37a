"""Buttons of the report flow and of "Check my report". Values are re-checked against the session
and its step: a button says what was pressed, never what is allowed.

The prefix is versioned: buttons of the older `r1:` layout no longer parse, so they get the
fallback's "this button is out of date" answer.
"""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class ReportAction(StrEnum):
    GO = "go"  # start the report (on the explanation screen)
    ANSWER = "a"  # value: "<question>.<option>"
    TOGGLE = "t"  # a multi-select option; value: "<question>.<option>"
    SKIP = "skip"  # value: the question
    DONE = "done"  # value: "what" (the multi-select) or "files"
    SEND = "send"
    EXIT = "x"  # wipe the session at once
    ADD = "add"  # "Check my report": add information or files


class ReportCb(CallbackData, prefix="r2"):
    action: ReportAction
    value: str = ""


def report_cb(action: ReportAction, value: str = "") -> str:
    return ReportCb(action=action, value=value).pack()
