"""Quizzes: the staff's commands first, then the people's (the `quiz` screen behind
`?start=quiz_<code>`, the nickname, /quiz_leave) and the poll updates."""

from __future__ import annotations

from functools import partial

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command

from bot.clock import Clock
from bot.quiz.service import QuizService
from bot.screens import ScreenRegistry
from handlers.quiz import answers, join, staff
from handlers.quiz.filters import ChoosingNickname


def setup(screens: ScreenRegistry, quiz: QuizService, clock: Clock) -> Router:
    screens.register(
        join.QUIZ_SCREEN, partial(join.quiz_screen, screens, quiz, clock)
    )  # deep link only
    people = Router(name="quiz")
    people.message.filter(F.chat.type == ChatType.PRIVATE)
    people.message.register(join.cmd_leave, Command("quiz_leave"))
    people.message.register(join.on_nickname, F.text, ChoosingNickname())
    people.poll_answer.register(answers.on_answer)
    people.poll.register(answers.on_poll)
    router = Router(name="quiz_all")
    router.include_routers(staff.setup(), people)
    return router
