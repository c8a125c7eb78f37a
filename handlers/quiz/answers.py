"""Poll updates: a participant's `poll_answer` (scored on arrival, on the bot's clock), and the
`poll` updates of the anonymous question of the day (its totals, for /stats)."""

from __future__ import annotations

from aiogram.types import Poll, PollAnswer

from bot.clock import Clock
from bot.quiz.service import QuizService


async def on_answer(answer: PollAnswer, quiz: QuizService, clock: Clock) -> None:
    arrived = clock().timestamp()  # first: the time it took is measured to here
    if answer.user is None:
        return  # a chat's anonymous vote: not from a quiz evening
    await quiz.answer(answer.poll_id, answer.user.id, answer.option_ids, arrived)


async def on_poll(poll: Poll, quiz: QuizService) -> None:
    if not poll.is_anonymous or poll.type != "quiz" or poll.correct_option_id is None:
        return
    correct = poll.options[poll.correct_option_id].voter_count
    await quiz.day_result(poll.id, poll.total_voter_count, correct)
