"""A quiz evening over the fake Bot API: 30 participants (two join late, one blocks the bot, one
answers as the timer runs out, one answers an old poll, one comes back from a second device, one
leaves), the leaderboard in order, prize codes only to the top three, nothing at ERROR, and the
people forgotten a day later. The bot's clock is moved by the test (speed is measured on it)."""

from __future__ import annotations

import logging
import re
import textwrap
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import bot.quiz.content as quiz_content
from devtools.fake_telegram import FakeTelegram
from tests.conftest import ADMIN_ID, QUIET_MOMENT, RunningBot, start_bot

FIRST = 610_000  # participants: FIRST + 0 … FIRST + 27; late ones LATE_1, LATE_2
LATE_1, LATE_2 = FIRST + 100, FIRST + 101
BLOCKER = FIRST + 27
RACER, OLD_POLL, SECOND_DEVICE, LEAVER = FIRST + 3, FIRST + 4, FIRST + 5, FIRST + 6
OPEN_PERIOD = 20
QUIZ = {
    "quiz.yaml": """\
        open_period: 20
        questions:
          - {correct: 0, guide: det_72h}
          - {correct: 0, guide: det_lawyer}
          - {correct: 0, guide: torture_evidence}
        """,
    **{
        f"{locale}.yaml": f"""\
        title: "Test quiz {locale}"
        guide_label: "Guide {locale}"
        questions:
          - {{question: "Q1 {locale}?", options: ["right", "wrong", "no"], explanation: "E1"}}
          - {{question: "Q2 {locale}?", options: ["right", "wrong", "no"], explanation: "E2"}}
          - {{question: "Q3 {locale}?", options: ["right", "wrong", "no"], explanation: "E3"}}
        """
        for locale in ("tg", "ru", "en")
    },
}


class StepClock:
    """QUIET_MOMENT, then real time, plus whatever the test adds with `advance`."""

    def __init__(self) -> None:
        self.origin = time.monotonic()
        self.extra = 0.0

    def advance(self, seconds: float) -> None:
        self.extra += seconds

    def __call__(self) -> datetime:
        return QUIET_MOMENT + timedelta(seconds=time.monotonic() - self.origin + self.extra)


@pytest.fixture(autouse=True)
def test_quizzes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "quizzes" / "testquiz"
    folder.mkdir(parents=True)
    for name, text in QUIZ.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    monkeypatch.setattr(quiz_content, "QUIZZES_DIR", folder.parent)
    return folder


@pytest.fixture(autouse=True)
def no_error_logs(caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO)
    yield
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    # No participant's id in any log line.
    assert not [r for r in caplog.records if str(FIRST) in r.getMessage()]


async def _open(bot: RunningBot) -> str:
    await bot.say(ADMIN_ID, "/start")
    await bot.tap(ADMIN_ID, "English")
    opened = await bot.say(ADMIN_ID, "/quiz_open testquiz")
    match = re.search(r"start=quiz_([a-z0-9]+)", opened.text or "")
    assert match, opened.text
    return match.group(1)


async def _join(bot: RunningBot, user: int, code: str, nickname: str) -> str:
    await bot.say(user, f"/start quiz_{code}")
    asked = await bot.tap(user, "English")
    assert "Choose a nickname" in asked.text
    return (await bot.say(user, nickname)).text


async def _tick(bot: RunningBot, clock: StepClock) -> None:
    await bot.services.quiz.tick(bot.bot, clock().timestamp())
    await bot.settle()


async def _answer(bot: RunningBot, fake: FakeTelegram, users: list[int], option: int) -> None:
    for user in users:
        poll = fake.poll_in(user)
        assert poll is not None
        fake.answer_poll(user, poll.id, [option])
    await bot.settle()


async def _next_question(bot: RunningBot, clock: StepClock) -> None:
    clock.advance(OPEN_PERIOD + 6)  # the close, then the pause to read the explanation
    await _tick(bot, clock)
    await _tick(bot, clock)


def _polls(fake: FakeTelegram, user: int) -> int:
    return sum(1 for m in fake.chat(user).bot_messages if m.media == "poll")


async def test_a_quiz_evening_with_thirty_people(fake: FakeTelegram, tmp_path: Path) -> None:
    clock = StepClock()
    bot = await start_bot(fake, tmp_path, clock=clock)
    try:
        code = await _open(bot)
        early = [FIRST + i for i in range(28)]
        for i, user in enumerate(early):
            answer = await _join(bot, user, code, f"Player {i:02d}")
            assert "You are in as" in answer
        # Nicknames: taken (case and spaces do not count), abusive, a link, too short.
        extra = FIRST + 200
        await bot.say(extra, f"/start quiz_{code}")
        await bot.tap(extra, "English")
        assert "Somebody has this nickname" in (await bot.say(extra, "player_00")).text
        assert "friendlier" in (await bot.say(extra, "Idiot 1")).text
        assert "No links" in (await bot.say(extra, "@someone")).text
        assert "characters" in (await bot.say(extra, "x")).text
        assert "/quiz_leave" in (await bot.say(extra, "Extra")).text
        await bot.say(extra, "/quiz_leave")  # leaves before it starts
        # A second device is the same Telegram user: the same participant.
        again = await bot.say(SECOND_DEVICE, f"/start quiz_{code}")
        assert "You are in" in again.text and "Player 05" in again.text
        fake.block_user(BLOCKER)  # before the first question
        await bot.settle()

        # Start: the role is checked; the first question goes to everyone who is in.
        opened = [m for m in fake.chat(ADMIN_ID).bot_messages if m.media == "photo"][-1]
        await fake.press(ADMIN_ID, opened.message_id, opened.button("Start")["callback_data"])
        await bot.settle()
        assert all(_polls(fake, u) == 1 for u in early if u != BLOCKER)
        assert _polls(fake, BLOCKER) == 0 and _polls(fake, extra) == 0
        poll = fake.poll_in(FIRST)
        assert poll is not None and not poll.is_anonymous and poll.type == "quiz"
        assert "E1" in (poll.explanation or "") and "Guide en" in (poll.explanation or "")

        # Late joiners: they get the next question.
        for user, name in ((LATE_1, "Late One"), (LATE_2, "Late Two")):
            assert "next one" in await _join(bot, user, code, name)
        assert _polls(fake, LATE_1) == 0

        # Question 1: three fast and right, most right later, two wrong, the racer too late.
        rest = [u for u in early[7:] if u != BLOCKER]
        for seconds, users in ((1, [FIRST]), (2, [FIRST + 1]), (2, [FIRST + 2])):
            clock.advance(seconds)
            await _answer(bot, fake, users, 0)
        clock.advance(5)
        await _answer(bot, fake, rest[:-2], 0)
        await _answer(bot, fake, rest[-2:], 1)
        clock.advance(OPEN_PERIOD)  # the bot's clock is past the close; Telegram took it
        await _answer(bot, fake, [RACER], 0)
        assert (await bot.services.quiz.store.participant(code, RACER)).score == 0
        await _next_question(bot, clock)
        assert _polls(fake, LATE_1) == 1 and _polls(fake, FIRST) == 2
        # An answer to the first question's poll now: it scores nothing.
        old = next(p for p in fake.polls.values() if p.chat_id == OLD_POLL)
        fake.answer_poll(OLD_POLL, old.id, [0])
        await bot.settle()
        assert (await bot.services.quiz.store.participant(code, OLD_POLL)).score == 0
        await bot.say(LEAVER, "/quiz_leave")

        # Questions 2 and 3: the three leaders again, the late ones a bit slower.
        for _question in (2, 3):
            for seconds, users in ((1, [FIRST]), (2, [FIRST + 1]), (2, [FIRST + 2])):
                clock.advance(seconds)
                await _answer(bot, fake, users, 0)
            clock.advance(2)
            await _answer(bot, fake, [LATE_1, LATE_2], 0)
            await _next_question(bot, clock)
        assert _polls(fake, LEAVER) == 2  # left after the second question went out

        # The results: to every participant still in, and to the admin.
        store = bot.services.quiz.store
        ranking = await store.ranking(code)
        assert [p.nickname for p in ranking[:3]] == ["Player 00", "Player 01", "Player 02"]
        assert ranking[0].correct == 3 and 2700 < ranking[0].score <= 3 * 975  # + the fan-out
        assert {p.user_id for p in ranking} == set([*early, LATE_1, LATE_2]) - {BLOCKER, LEAVER}
        winners = {p.user_id for p in ranking if p.prize_code}
        assert winners == {FIRST, FIRST + 1, FIRST + 2}
        for person in ranking:
            last = fake.chat(person.user_id).bot_messages[-1].text or ""
            assert "Results: Test quiz en" in last
            assert ("Your prize code" in last) == (person.user_id in winners)
            if person.prize_code:
                assert person.prize_code in last
        assert "Player 00" in fake.chat(ADMIN_ID).bot_messages[-1].text
        assert "prize code" not in fake.chat(LEAVER).bot_messages[-1].text
        assert not [m for m in fake.chat(BLOCKER).bot_messages if "Results" in (m.text or "")]

        # The admin checks a prize code: real once, then "checked before"; unknown ones refused.
        prize = ranking[1].prize_code
        checked = await bot.say(ADMIN_ID, f"/quiz_prize {prize.lower()}")
        assert "A real prize code: place 2" in checked.text and "Player 01" in checked.text
        assert "checked before" in (await bot.say(ADMIN_ID, f"/quiz_prize {prize}")).text
        assert "No prize has this code" in (await bot.say(ADMIN_ID, "/quiz_prize ABCD-EFGH")).text
        # A participant cannot check codes (no role): the command is not theirs.
        denied = await bot.say(FIRST, f"/quiz_prize {prize}")
        assert "A real prize code" not in (denied.text or "")

        # A day later the participants are forgotten; the counts stay.
        clock.advance(24 * 3600 + 60)
        assert await bot.services.quiz.forget_old(clock().timestamp()) == 1
        for table in ("quiz_participants", "quiz_polls", "quiz_events"):
            row = await bot.services.db.fetchone(f"SELECT COUNT(*) FROM {table}")
            assert row[0] == 0, table
        events, people, _answers, _correct = await store.totals()
        assert (events, people) == (1, len(ranking))
    finally:
        await bot.stop()


async def test_an_event_goes_on_after_a_restart(fake: FakeTelegram, tmp_path: Path) -> None:
    clock = StepClock()
    bot = await start_bot(fake, tmp_path, clock=clock)
    people = [FIRST + i for i in range(3)]
    try:
        code = await _open(bot)
        for i, user in enumerate(people):
            await _join(bot, user, code, f"Runner {i}")
        # Leaving and coming back by the link: in again, with the same nickname.
        assert "You left the quiz" in (await bot.say(people[2], "/quiz_leave")).text
        assert "not in a quiz" in (await bot.say(people[2], "/quiz_leave")).text
        back = await bot.say(people[2], f"/start quiz_{code}")
        assert "You are in" in back.text and "Runner 2" in back.text
        opened = [m for m in fake.chat(ADMIN_ID).bot_messages if m.media == "photo"][-1]
        # A forged or stale button from someone without the role changes nothing.
        await fake.press(FIRST, opened.message_id, f"qz1:go:{code}", force=True)
        await bot.settle()
        assert (await bot.services.quiz.store.event(code)).state == "open"
        count = await fake.press(ADMIN_ID, opened.message_id, opened.button("Who")["callback_data"])
        await bot.settle()
        assert "In: 3. Choosing a nickname: 0." in fake.callback_answers[count]["text"]
        await fake.press(ADMIN_ID, opened.message_id, opened.button("Start")["callback_data"])
        await bot.settle()
        assert all(_polls(fake, u) == 1 for u in people)
    finally:
        await bot.stop()
    bot = await start_bot(fake, tmp_path, clock=clock)  # the same database
    try:
        await _answer(bot, fake, people[:2], 0)  # the polls sent before the restart count
        await _answer(bot, fake, people[2:], 1)
        for _question in (2, 3):
            await _next_question(bot, clock)
            await _answer(bot, fake, people, 0)
        await _next_question(bot, clock)
        ranking = await bot.services.quiz.store.ranking(code)
        assert [p.correct for p in ranking] == [3, 3, 2]
        assert all("Results" in (fake.chat(u).bot_messages[-1].text or "") for u in people)
        # Stale: the Start button of a finished event.
        await fake.press(ADMIN_ID, opened.message_id, f"qz1:go:{code}", force=True)
        await bot.settle()
        assert "started, ended or was forgotten" in str(fake.callback_answers)
    finally:
        await bot.stop()


async def test_a_wrong_quiz_link_says_so_and_shows_the_menu(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    bot = await start_bot(fake, tmp_path)
    try:
        await bot.say(FIRST, "/start quiz_nosuchcode")
        shown = await bot.tap(FIRST, "English")
        assert "This quiz link is out of date or wrong" in shown.text
        assert "Know your rights" in str(shown.buttons)
        assert await bot.services.quiz.store.participant("nosuchcode", FIRST) is None
    finally:
        await bot.stop()
