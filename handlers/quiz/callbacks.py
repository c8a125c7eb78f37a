"""Buttons of the quiz's staff message ("qz1"). Never trusted: the handler re-checks the tapper's
role (HasPermission on every tap) and that the event exists and is still open."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class QuizAction(StrEnum):
    START = "go"  # start the event: the first question goes out
    COUNT = "n"  # how many have joined (an answer on the button, nothing sent)


class QuizCb(CallbackData, prefix="qz1"):
    action: QuizAction
    code: str
