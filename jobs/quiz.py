"""Quiz jobs: every second the running quiz evenings move on (a question closes, the next one
goes out, the results); every hour events that ended RETENTION (24 h) ago are forgotten with
their participants; the question of the day is checked at start-up and every few minutes
(the campaign ledger decides: once per day and channel)."""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock
from bot.quiz.service import QuizService
from jobs.schedule import add_daily

TICK_SECONDS = 1
FORGET_MINUTES = 60
DAY_MINUTES = 5


async def tick(quiz: QuizService, bot: Bot, clock: Clock) -> None:
    quiz.tick_soon(bot, clock().timestamp())  # returns at once: a fan-out may take minutes


async def forget(quiz: QuizService, clock: Clock) -> int:
    return await quiz.forget_old(clock().timestamp())


async def question_of_the_day(quiz: QuizService, clock: Clock) -> int:
    return len(await quiz.day.run_due(clock()))


def add_jobs(scheduler: AsyncIOScheduler, quiz: QuizService, bot: Bot, clock: Clock) -> None:
    start = datetime.now(scheduler.timezone)  # at start-up too (real time)
    scheduler.add_job(
        tick,
        "interval",
        seconds=TICK_SECONDS,
        args=[quiz, bot, clock],
        id="quiz-tick",
        replace_existing=True,
    )
    scheduler.add_job(
        forget,
        "interval",
        minutes=FORGET_MINUTES,
        args=[quiz, clock],
        id="quiz-forget",
        next_run_time=start,
        replace_existing=True,
    )
    times = (q.day_time for q in quiz.quizzes.values() if q.day_time is not None)
    add_daily(
        scheduler,
        question_of_the_day,
        times,
        args=[quiz, clock],
        name="quiz-day",
        catch_up_minutes=DAY_MINUTES,
    )
