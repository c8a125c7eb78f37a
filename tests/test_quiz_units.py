"""Quiz parts without the bot: scoring, nicknames, the content check (file:line, Telegram's limits,
the guide ids), the real quiz's content, and the fake's sendPoll checks."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest

from bot.content_files import Problems
from bot.quiz.content import (
    EXPLANATION_LIMIT,
    NicknameRules,
    faq_ids,
    load_nickname_rules,
    load_quiz,
    load_quizzes,
)
from bot.quiz.nicknames import Nick, check_nickname, nickname_key
from bot.quiz.service import points
from devtools.fake_telegram import FakeTelegram

GOOD = {
    "quiz.yaml": "open_period: 30\nquestions:\n  - {correct: 1, guide: det_72h}\n",
    **{
        f"{loc}.yaml": textwrap.dedent(
            f"""\
            title: "T {loc}"
            guide_label: "Guide"
            questions:
              - question: "Q?"
                options: ["a", "b"]
                explanation: "E"
            """
        )
        for loc in ("tg", "ru", "en")
    },
}


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _problems(tmp_path: Path, **changes: str) -> list[str]:
    folder = _write(tmp_path / "quizzes" / "demo", {**GOOD, **changes})
    problems = Problems()
    load_quiz(folder, problems, faq_ids())
    return [str(p) for p in problems.items]


def test_points_fall_from_1000_to_500_at_the_close() -> None:
    assert points(0, 30) == 1000
    assert points(15, 30) == 750
    assert points(30, 30) == 500
    assert points(99, 30) == 500 and points(-1, 30) == 1000


def test_a_good_quiz_loads(tmp_path: Path) -> None:
    assert _problems(tmp_path) == []


def test_the_check_names_file_and_line_of_each_problem(tmp_path: Path) -> None:
    long_question = "x" * 301
    en = GOOD["en.yaml"].replace('"Q?"', f'"{long_question}"')
    found = _problems(tmp_path, **{"en.yaml": en})
    assert any("en.yaml:4: question 1 is 301 characters; Telegram allows 300" in p for p in found)
    one_option = GOOD["ru.yaml"].replace('["a", "b"]', '["a"]')
    assert any(
        "ru.yaml:5: question 1: 2-12 options" in p
        for p in _problems(tmp_path, **{"ru.yaml": one_option})
    )
    long_option = GOOD["tg.yaml"].replace('"a"', '"' + "o" * 101 + '"')
    assert any(
        "an option is 101 characters" in p for p in _problems(tmp_path, **{"tg.yaml": long_option})
    )


def test_the_explanation_with_the_guide_line_fits_telegram(tmp_path: Path) -> None:
    near = "e" * (EXPLANATION_LIMIT - 3)  # fits alone, not with "\nGuide"
    en = GOOD["en.yaml"].replace('"E"', f'"{near}"')
    assert any(
        "the explanation and the guide line are" in p
        for p in _problems(tmp_path, **{"en.yaml": en})
    )
    feeds = GOOD["en.yaml"].replace('"E"', '"a\\nb\\nc"')
    assert any("more than 2 line feeds" in p for p in _problems(tmp_path, **{"en.yaml": feeds}))


def test_guide_ids_and_correct_options_are_checked(tmp_path: Path) -> None:
    bad_guide = GOOD["quiz.yaml"].replace("det_72h", "no_such_entry")
    found = _problems(tmp_path, **{"quiz.yaml": bad_guide})
    assert any("quiz.yaml:3: question 1: guide `no_such_entry`" in p for p in found)
    bad_correct = GOOD["quiz.yaml"].replace("correct: 1", "correct: 2")
    assert any(
        "correct is the option's index" in p
        for p in _problems(tmp_path, **{"quiz.yaml": bad_correct})
    )
    period = GOOD["quiz.yaml"].replace("30", "3")
    assert any("open_period" in p for p in _problems(tmp_path, **{"quiz.yaml": period}))


def test_every_language_has_the_same_questions(tmp_path: Path) -> None:
    fewer = "title: T\nguide_label: G\nquestions: []\n"
    assert any(
        "0 questions; quiz.yaml has 1" in p for p in _problems(tmp_path, **{"tg.yaml": fewer})
    )


def test_the_real_quizzes_load_in_three_languages() -> None:
    quizzes = load_quizzes()
    quiz = quizzes["rights-basics"]
    assert 6 <= len(quiz.questions) <= 8
    assert quiz.day_campaigns and quiz.day_time is not None
    for question in quiz.questions:
        assert set(question.text) == {"tg", "ru", "en"}
        assert len({len(o) for o in question.options.values()}) == 1


def test_nicknames() -> None:
    rules = NicknameRules(("idiot", "дурак"))
    assert check_nickname("  Zarina   7 ", rules) == Nick.OK
    assert check_nickname("Кот_учёный", rules) == Nick.OK
    assert check_nickname("a", rules) == Nick.LENGTH
    assert check_nickname("x" * 21, rules) == Nick.LENGTH
    assert check_nickname("hello!", rules) == Nick.CHARACTERS
    assert check_nickname("@bob", rules) == Nick.LINK
    assert check_nickname("t.me/bob", rules) == Nick.LINK
    assert check_nickname("Big_Idiot", rules) == Nick.ABUSE
    assert check_nickname("ду рак", rules) == Nick.ABUSE  # spaces do not hide a word
    assert nickname_key("Player_01") == nickname_key("player 01")
    assert nickname_key("Ёжик") == nickname_key("ежик")


def test_the_abuse_list_is_content_in_three_languages() -> None:
    rules = load_nickname_rules()
    assert rules.banned and check_nickname("admin", rules) == Nick.ABUSE


async def test_the_fake_checks_polls_like_telegram() -> None:
    async with FakeTelegram(token="123:ABC") as fake:
        fake.add_channel(-100, username="chan")
        bot = Bot("123:ABC", session=AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url)))
        try:
            await fake.send_text(5, "hi")
            ok = {"chat_id": 5, "question": "Q?", "options": ["a", "b"]}
            cases = [
                ({"question": "q" * 301}, "question length"),
                ({"options": ["a"]}, "2-12 options"),
                ({"options": ["a", "b" * 101]}, "options length"),
                ({"type": "quiz", "correct_option_id": 5}, "correct option"),
                ({"type": "quiz", "correct_option_id": 0, "explanation": "e" * 201}, "explanation"),
                (
                    {"type": "quiz", "correct_option_id": 0, "explanation": "a\nb\nc\nd"},
                    "line feeds",
                ),
                ({"open_period": 4}, "open period"),
                ({"chat_id": -100, "is_anonymous": False}, "channel"),
            ]
            for change, error in cases:
                with pytest.raises(TelegramBadRequest, match=error):
                    await bot.send_poll(**{**ok, **change})
            sent = await bot.send_poll(
                **ok, type="quiz", correct_option_id=0, is_anonymous=False, open_period=5
            )
            assert sent.poll is not None
            fake.answer_poll(5, sent.poll.id, [0])
            with pytest.raises(LookupError):
                fake.answer_poll(5, sent.poll.id, [1])  # once
            late = await bot.send_poll(
                **ok, type="quiz", correct_option_id=0, is_anonymous=False, open_period=5
            )
            assert late.poll is not None
            fake.advance(6)
            with pytest.raises(LookupError, match="closed"):
                fake.answer_poll(5, late.poll.id, [0])
            stopped = await bot.send_poll(**ok)
            closed = await bot.stop_poll(5, stopped.message_id)
            assert closed.is_closed
            with pytest.raises(TelegramBadRequest, match="already been closed"):
                await bot.stop_poll(5, stopped.message_id)
            update = fake._queue(fake.token).updates[-1]  # the first answer: no date in it
            assert "poll_answer" in update and "date" not in update["poll_answer"]
        finally:
            await bot.session.close()


def test_stats_show_quiz_totals_only() -> None:
    from bot.admin.stats import Stats, summary
    from bot.i18n import Translator

    users = {"users": 3, "subscribers": 1, "blocked": 0, "tg": 1, "ru": 1, "en": 1}
    with Translator(default_locale="en").use_locale("en"):
        caption = summary(Stats(users=users, broadcasts_done=0, quiz=(2, 41, 130, 97)))
        assert "Quiz evenings: 2 (41 participants)" in caption
        assert "Question of the day: 130 answers, 97 correct" in caption
        assert "Quiz" not in summary(Stats(users=users, broadcasts_done=0))
