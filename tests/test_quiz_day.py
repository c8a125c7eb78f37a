"""The question of the day: during a campaign, one anonymous quiz poll per channel, posted once
through the campaign ledger even across a restart; its totals reach /stats as numbers only."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import running_from
from bot.quiz.day import TARGET_PREFIX
from devtools.fake_telegram import FakeTelegram
from tests.conftest import start_bot

TZ = ZoneInfo("Asia/Dushanbe")
CHANNELS = "tg:@ntj_tg,ru:@ntj_ru,en:@ntj_en"
CHANNEL_IDS = {"tg": -1001, "ru": -1002, "en": -1003}
# Day 3 of the June campaign (20-26 June), after the quiz's 16:00.
MOMENT = datetime(2026, 6, 22, 16, 10, tzinfo=TZ)


@pytest.fixture(autouse=True)
def no_error_logs(caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO)
    yield
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def _channel_polls(fake: FakeTelegram) -> list[dict]:
    ids = set(CHANNEL_IDS.values()) | {f"@ntj_{loc}" for loc in CHANNEL_IDS}
    return [p for m, p in fake.calls if m == "sendPoll" and p.get("chat_id") in ids]


async def test_question_of_the_day_is_posted_once_across_a_restart(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    for locale, chat_id in CHANNEL_IDS.items():
        fake.add_channel(chat_id, username=f"ntj_{locale}")
    bot = await start_bot(fake, tmp_path, clock=running_from(MOMENT), channels=CHANNELS)
    try:
        # The start-up check posts today's question to each channel.
        await fake.wait_for(lambda: len(_channel_polls(fake)) == 3, 20)
        await bot.settle()
        rows = await bot.services.campaigns.ledger.rows("june26")
        assert sorted(r[3] for r in rows if r[3].startswith(TARGET_PREFIX)) == [
            TARGET_PREFIX + loc for loc in ("en", "ru", "tg")
        ]
        assert await bot.services.quiz.day.run_due(bot.services.now()) == []
    finally:
        await bot.stop()
    bot = await start_bot(fake, tmp_path, clock=running_from(MOMENT), channels=CHANNELS)
    try:
        await bot.settle()
        assert await bot.services.quiz.day.run_due(bot.services.now()) == []
        await bot.settle()
        polls = _channel_polls(fake)
        assert len(polls) == 3  # not again after the restart
        quiz = bot.services.quiz.quizzes["rights-basics"]
        question = quiz.questions[2]  # day 3 asks the third question
        english = next(p for p in polls if p["chat_id"] in (-1003, "@ntj_en"))
        assert english["question"] == question.text["en"]
        assert english["type"] == "quiz" and english.get("is_anonymous") in (True, None)
        assert int(english["correct_option_id"]) == question.correct
        assert f"start=faq_{question.guide}" in english["explanation"]

        # People vote in the channel: Telegram reports the totals; /stats shows numbers only.
        poll = fake.poll_in(CHANNEL_IDS["en"])
        assert poll is not None and poll.is_anonymous
        fake.answer_poll(501, poll.id, [question.correct])
        fake.answer_poll(502, poll.id, [(question.correct + 1) % len(poll.options)])
        await bot.settle()
        assert (await bot.services.quiz.store.totals())[2:] == (2, 1)
    finally:
        await bot.stop()


async def test_a_fresh_deployment_a_paused_campaign_and_the_late_limit(tmp_path: Path) -> None:
    from bot.app import create_app
    from tests.conftest import make_settings

    evening = datetime(2026, 6, 23, 18, 30, tzinfo=TZ)
    settings = make_settings(tmp_path, channels=CHANNELS)
    services = await create_app(settings, clock=running_from(evening))
    try:
        day = services.quiz.day
        assert await day.run_due(evening) == []  # due at 16:00, first start at 18:30
        await services.campaigns.ledger.set_first_start(datetime(2026, 6, 1, tzinfo=TZ))
        assert await day.run_due(datetime(2026, 6, 23, 15, 59, tzinfo=TZ)) == []  # not yet
        assert len(await day.run_due(evening)) == 3  # late, the same day: once per channel
        assert await day.run_due(evening) == []
        assert await day.run_due(datetime(2026, 6, 24, 21, 5, tzinfo=TZ)) == []  # too late
        assert await day.run_due(datetime(2026, 6, 28, 16, 5, tzinfo=TZ)) == []  # no campaign
        await services.campaigns.ledger.set_paused("june26", True)
        assert await day.run_due(datetime(2026, 6, 25, 16, 5, tzinfo=TZ)) == []
    finally:
        await services.close()
