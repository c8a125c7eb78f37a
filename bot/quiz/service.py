"""The quiz evening (event mode), built once by bot/app.py `create_quiz_service`.

An admin opens an event (a random code: `?start=quiz_<code>`), people join and choose a
nickname, the admin starts it. `tick(bot, now)` (the job every second, and the Start button)
moves every running event on, from the database only, so a restart continues where it was:

  sending  each playing participant without a poll for the question gets one (sendPoll, paced
           with the delivery engine's limiter; a 403 marks the participant gone), its id and
           the bot's clock at the answer stored; then `open` until the last poll closes
  open     answers score (`answer`); at the close, `closed` for GAP seconds (the explanation)
  closed   the next question (`sending`), or after the last one the results: places, prize
           codes for the top three, the leaderboard to every participant and to the admin.

Scoring: a correct answer is 1000 × (1 − elapsed / (2 × open_period)), rounded, where elapsed
runs from the moment sendPoll answered to the moment the poll_answer update arrives, both on the
bot's clock (a poll answer carries no date); a wrong answer, an answer after the close or to an
older poll scores 0. Ties: less total time over the correct answers ranks first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
)
from aiogram.types import InputPollOption

from bot.campaigns.service import CampaignService
from bot.clock import Clock
from bot.config import Settings
from bot.db import Database
from bot.delivery import DeliveryEngine
from bot.i18n import Translator
from bot.links import DeepLinks
from bot.quiz import texts
from bot.quiz.content import NicknameRules, Quiz, load_nickname_rules, load_quizzes
from bot.quiz.day import QuestionOfTheDay
from bot.quiz.nicknames import Nick, check_nickname, nickname_key, tidy
from bot.quiz.store import (
    ASKED,
    CLOSED,
    FINISHED,
    OPEN,
    RUNNING,
    SENDING,
    Event,
    Participant,
    QuizStore,
)
from bot.telegram_html import escape

log = logging.getLogger(__name__)

GAP_SECONDS = 5.0  # between a question's close and the next one: time to read the explanation
RETENTION_SECONDS = 24 * 3600  # an event's people are forgotten this long after it ends
PRIZES = 3
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud, typed by hand
PRIZE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SENDERS = 8  # sends in flight at once; the limiter keeps the pace


class Join(StrEnum):
    NEW = "new"  # choose a nickname
    CHOOSING = "choosing"  # still choosing one
    IN = "in"  # already in (a second device, a second tap)
    OVER = "over"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Joined:
    outcome: Join
    event: Event | None = None
    participant: Participant | None = None


def points(elapsed: float, open_period: int) -> int:
    """A correct answer's points: 1000 at once, 500 at the close."""
    share = min(max(elapsed, 0.0), float(open_period)) / (2 * open_period)
    return round(1000 * (1 - share))


def _code(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


class QuizService:
    def __init__(
        self,
        quizzes: dict[str, Quiz],
        rules: NicknameRules,
        store: QuizStore,
        delivery: DeliveryEngine,
        links: DeepLinks,
        i18n: Translator,
        clock: Clock,
    ) -> None:
        self.clock = clock
        self.quizzes = quizzes
        self.rules = rules
        self.store = store
        self.delivery = delivery
        self.links = links
        self.i18n = i18n
        self._lock = asyncio.Lock()  # the job and the Start button may tick together
        self._choosing: dict[int, str] | None = None  # user id -> event code (from the db)
        self.day: QuestionOfTheDay  # set by create_quiz_service
        self._background: set[asyncio.Task] = set()

    # --- opening and joining -------------------------------------------------------------------

    async def open_event(self, quiz: Quiz, admin_chat: int, admin_locale: str, now: float) -> str:
        code = _code(CODE_ALPHABET, 8)
        await self.store.create_event(code, quiz.id, admin_chat, admin_locale, now)
        log.info("quiz %s: an event was opened", quiz.id)
        return code

    def join_link(self, code: str) -> str:
        return self.links.start(f"quiz_{code}")

    async def join(self, code: str, user_id: int, locale: str, now: float) -> Joined:
        event = await self.store.event(code) if code else None
        if event is None or event.quiz_id not in self.quizzes:
            return Joined(Join.UNKNOWN)
        if event.state == FINISHED:
            return Joined(Join.OVER, event)
        existing = await self.store.participant(code, user_id)
        if existing is None:
            await self.store.join(code, user_id, locale, now)
        elif existing.gone:  # left, or blocked the bot and came back: in again, score kept
            await self.store.rejoin(code, user_id, locale)
        if existing is not None and existing.nickname is not None:
            return Joined(Join.IN, event, existing)
        choosing = await self._choosing_map()
        choosing[user_id] = code
        return Joined(Join.NEW if existing is None else Join.CHOOSING, event)

    async def _choosing_map(self) -> dict[int, str]:
        if self._choosing is None:
            self._choosing = await self.store.awaiting_nickname()
        return self._choosing

    async def choosing(self, user_id: int) -> str | None:
        """The event whose nickname this person is choosing now, if any."""
        return (await self._choosing_map()).get(user_id)

    async def choose_nickname(self, user_id: int, text: str) -> tuple[Nick, Event | None]:
        code = await self.choosing(user_id)
        event = await self.store.event(code) if code else None
        if event is None or event.state == FINISHED:
            (await self._choosing_map()).pop(user_id, None)
            return Nick.OK, None
        verdict = check_nickname(text, self.rules)
        if verdict != Nick.OK:
            return verdict, event
        if not await self.store.set_nickname(event.code, user_id, tidy(text), nickname_key(text)):
            return Nick.TAKEN, event
        (await self._choosing_map()).pop(user_id, None)
        return Nick.OK, event

    async def leave(self, user_id: int) -> int:
        """Leave every event not over; returns how many."""
        left = 0
        for event in await self.store.events_in(OPEN, RUNNING):
            participant = await self.store.participant(event.code, user_id)
            if participant is not None and not participant.gone:
                await self.store.set_gone(event.code, user_id)
                left += 1
        (await self._choosing_map()).pop(user_id, None)
        return left

    async def start(self, code: str, now: float) -> bool:
        return await self.store.start(code, now)

    # --- answers -------------------------------------------------------------------------------

    async def answer(
        self, poll_id: str, user_id: int, option_ids: Sequence[int], now: float
    ) -> int:
        """A poll_answer: the points it scored (0 for late, wrong, old or unknown polls)."""
        poll = await self.store.poll(poll_id)
        if poll is None or poll.user_id != user_id or poll.answered or not option_ids:
            return 0
        event = await self.store.event(poll.code)
        quiz = self.quizzes.get(event.quiz_id) if event is not None else None
        if event is None or quiz is None:
            return 0
        elapsed = now - poll.sent_at
        in_time = (
            event.state == RUNNING and event.question == poll.question and now <= poll.closes_at
        )
        right = list(option_ids) == [quiz.questions[poll.question].correct]
        scored = points(elapsed, quiz.open_period) if in_time and right else 0
        if not await self.store.answer(poll, scored, max(elapsed, 0.0)):
            return 0
        return scored

    async def day_result(self, poll_id: str, voters: int, correct: int) -> None:
        """A `poll` update of an anonymous quiz (the question of the day): its totals."""
        await self.store.day_result(poll_id, voters, correct)

    # --- prizes --------------------------------------------------------------------------------

    async def prize(self, code: str) -> tuple[Participant, Quiz | None, bool] | None:
        found = await self.store.prize(code.strip().upper())
        if found is None:
            return None
        participant, quiz_id, shown = found
        return participant, self.quizzes.get(quiz_id), shown

    # --- moving events on ----------------------------------------------------------------------

    def tick_soon(self, bot: Bot, now: float) -> None:
        """The job's tick: in the background, so a fan-out to many people (longer than the
        second between two runs) does not keep the job running; nothing if one is under way."""
        if self._lock.locked() or self._background:
            return
        task = asyncio.create_task(self.tick(bot, now))
        self._background.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task) -> None:
        self._background.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("quiz: a step failed (%s)", exc.__class__.__name__)

    async def stop(self) -> None:
        """At shutdown: a fan-out under way stops here and goes on after the restart."""
        for task in list(self._background):
            task.cancel()
        for task in list(self._background):
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def tick(self, bot: Bot, now: float) -> None:
        async with self._lock:
            for event in await self.store.events_in(RUNNING):
                await self._step(bot, event, now)
            for event in await self.store.events_in(FINISHED):
                await self._tell_results(bot, event)

    async def _step(self, bot: Bot, event: Event, now: float) -> None:
        quiz = self.quizzes.get(event.quiz_id)
        if quiz is None:
            return
        if event.phase == SENDING:
            await self._send_question(bot, event, quiz)
        elif event.phase == ASKED and event.closes_at is not None and now >= event.closes_at:
            await self.store.set_step(
                event.code,
                state=RUNNING,
                question=event.question,
                phase=CLOSED,
                next_at=event.closes_at + GAP_SECONDS,
            )
        elif event.phase == CLOSED and event.next_at is not None and now >= event.next_at:
            if event.question + 1 < len(quiz.questions):
                await self.store.set_step(
                    event.code, state=RUNNING, question=event.question + 1, phase=SENDING
                )
                moved = await self.store.event(event.code)
                assert moved is not None
                await self._send_question(bot, moved, quiz)
            else:
                await self._finish(bot, event, quiz, now)

    async def _send_question(self, bot: Bot, event: Event, quiz: Quiz) -> None:
        index = event.question
        question = quiz.questions[index]
        waiting = await self.store.without_poll(event.code, index)
        queue: asyncio.Queue[Participant] = asyncio.Queue()
        for person in waiting:
            queue.put_nowait(person)

        async def worker() -> None:
            while not queue.empty():
                person = queue.get_nowait()
                await self._send_poll(bot, event, quiz, question, index, person)

        await asyncio.gather(*(worker() for _ in range(min(SENDERS, len(waiting)) or 1)))
        last = await self.store.last_close(event.code, index)
        await self.store.set_step(
            event.code,
            state=RUNNING,
            question=index,
            phase=ASKED,
            closes_at=last if last is not None else self.clock().timestamp() + quiz.open_period,
        )
        log.info("quiz %s: question %d sent to %d", quiz.id, index + 1, len(waiting))

    async def _send_poll(
        self, bot: Bot, event: Event, quiz: Quiz, question, index: int, person: Participant
    ) -> None:
        locale = person.locale if person.locale in question.text else event.admin_locale
        link = self.links.start(f"faq_{question.guide}")
        explanation = (
            f"{escape(question.explanation[locale])}\n"
            f'<a href="{escape(link)}">{escape(quiz.guide_labels[locale])}</a>'
        )
        while True:
            await self.delivery.limiter.acquire(str(person.user_id), channel=False)
            try:
                sent = await bot.send_poll(
                    person.user_id,
                    question=escape(question.text[locale]),
                    options=[InputPollOption(text=escape(o)) for o in question.options[locale]],
                    type="quiz",
                    is_anonymous=False,
                    correct_option_id=question.correct,
                    explanation=explanation,
                    open_period=quiz.open_period,
                )
            except TelegramRetryAfter as exc:
                self.delivery.limiter.pause(exc.retry_after)
                continue
            except (TelegramForbiddenError, TelegramNotFound):
                await self.store.set_gone(event.code, person.user_id)
                return
            except TelegramBadRequest as exc:
                log.warning("quiz: a question was refused (%s)", exc.__class__.__name__)
                await self.store.set_gone(event.code, person.user_id)
                return
            except Exception as exc:  # network after the session's retries: skip this one
                log.warning("quiz: a question was not sent (%s)", exc.__class__.__name__)
                return
            break
        if sent.poll is None:
            return
        sent_at = self.clock().timestamp()
        await self.store.add_poll(
            sent.poll.id, event.code, person.user_id, index, sent_at, sent_at + quiz.open_period
        )

    async def _finish(self, bot: Bot, event: Event, quiz: Quiz, now: float) -> None:
        ranking = await self.store.ranking(event.code)
        places = []
        for place, person in enumerate(ranking, 1):
            prize = None
            if place <= PRIZES and person.score > 0:
                prize = f"{_code(PRIZE_ALPHABET, 4)}-{_code(PRIZE_ALPHABET, 4)}"
            places.append((person.user_id, place, prize))
        await self.store.finish(event.code, quiz.id, places, now)
        log.info("quiz %s: finished with %d participants", quiz.id, len(ranking))
        finished = await self.store.event(event.code)
        assert finished is not None
        await self._tell_results(bot, finished)

    async def _tell_results(self, bot: Bot, event: Event) -> None:
        quiz = self.quizzes.get(event.quiz_id)
        untold = await self.store.untold(event.code)
        if quiz is None or (not untold and event.admin_told):
            return
        ranking = await self.store.ranking(event.code)
        for person in untold:
            with self.i18n.use_locale(person.locale):
                text = texts.for_participant(
                    quiz.titles[person.locale], ranking, person, len(ranking)
                )
            outcome = await self._send_text(bot, person.user_id, text)
            if outcome == "gone":
                await self.store.set_gone(event.code, person.user_id)
            elif outcome == "retry":
                return  # the next tick tries again
            await self.store.told(event.code, person.user_id)
        if not event.admin_told:
            with self.i18n.use_locale(event.admin_locale):
                text = texts.for_admin(quiz.titles[event.admin_locale], ranking)
            if await self._send_text(bot, event.admin_chat, text) != "retry":
                await self.store.admin_told(event.code)

    async def _send_text(self, bot: Bot, chat_id: int, text: str) -> str:
        await self.delivery.limiter.acquire(str(chat_id), channel=False)
        try:
            await bot.send_message(chat_id, text)
        except TelegramRetryAfter as exc:
            self.delivery.limiter.pause(exc.retry_after)
            return "retry"
        except (TelegramForbiddenError, TelegramNotFound, TelegramBadRequest):
            return "gone"
        except Exception as exc:
            log.warning("quiz: results not sent yet (%s)", exc.__class__.__name__)
            return "retry"
        return "sent"

    async def forget_old(self, now: float) -> int:
        """Delete events (and their people) that ended RETENTION_SECONDS ago."""
        deleted = await self.store.purge(now - RETENTION_SECONDS)
        if deleted:
            self._choosing = None  # read again from what is left
            log.info("quiz: %d old events forgotten", deleted)
        return deleted


def create_quiz_service(
    db: Database,
    settings: Settings,
    delivery: DeliveryEngine,
    links: DeepLinks,
    i18n: Translator,
    campaigns: CampaignService,
    clock: Clock,
) -> QuizService:
    """Load content/quizzes/ (errors raise ContentError) and wire the store and the question
    of the day (the campaigns' ledger)."""
    quizzes = load_quizzes()
    service = QuizService(
        quizzes, load_nickname_rules(), QuizStore(db), delivery, links, i18n, clock
    )
    service.day = QuestionOfTheDay(
        quizzes,
        campaigns.campaigns,
        campaigns.ledger,
        delivery,
        links,
        tz=settings.tz,
        channel_locales={channel.locale for channel in settings.channels},
        late_until=settings.campaign_catch_up_until,
    )
    return service
