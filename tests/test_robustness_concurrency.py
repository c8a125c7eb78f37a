"""Concurrency: one person tapping ten buttons at once, 500 people starting at once.

Per-user event isolation (aiogram's SimpleEventIsolation) must keep each user's updates in
order, so the language a person picked last is the one stored and shown; nobody is left
without an answer and the database holds exactly one row per person.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.callbacks import Locale, PickLanguage
from devtools.fake_telegram import FakeTelegram, ShownMessage
from tests.conftest import start_bot

MENU_WORD = {"tg": "Кӯмаки фаврӣ", "ru": "Помощь сейчас", "en": "Get help now"}
LOCALES = ("tg", "ru", "en")


def pick(locale: str, then: str = "") -> str:
    """The callback data of a language button."""
    return PickLanguage(locale=Locale(locale), then=then).pack()


def shown_message(fake: FakeTelegram, chat_id: int, message_id: int) -> ShownMessage:
    """The message as the person sees it now (edits applied)."""
    return next(m for m in fake.chat(chat_id).messages if m.message_id == message_id)


def errors_in(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


async def test_ten_taps_at_once_leave_the_last_choice(
    unlimited_fake: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake = unlimited_fake
    caplog.set_level(logging.WARNING)
    bot = await start_bot(fake, tmp_path)
    try:
        user = 4242
        await bot.say(user, "/start")
        menu = await bot.tap(user, "English")
        taps = [
            "n1:help:",
            pick("tg"),
            "n1:about:",
            "n1:language:",
            pick("ru"),
            "n1:home:",
            "n1:help:",
            pick("en"),
            "n1:about:",
            pick("tg", "about"),
        ]
        queries = [await fake.press(user, menu.message_id, data, force=True) for data in taps]
        await bot.settle()

        assert errors_in(caplog) == []
        assert all(q in fake.callback_answers for q in queries), "every tap answered"
        record = await bot.services.users.get(user)
        assert record is not None and record.locale == "tg"  # the last pick wins
        shown = shown_message(fake, user, menu.message_id)
        # The last tap opened "about" in Tajik: the screen and its buttons speak Tajik.
        assert any(MENU_WORD["tg"] in b["text"] for b in shown.buttons), shown.buttons
        assert bot.services.pages.get("about", "tg")[:20] in (shown.html or "")
        rows = await bot.services.db.fetchall("SELECT locale FROM users WHERE user_id = ?", (user,))
        assert [row[0] for row in rows] == ["tg"]
    finally:
        await bot.stop()


async def test_five_hundred_people_start_at_once(
    unlimited_fake: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake = unlimited_fake
    caplog.set_level(logging.WARNING)
    bot = await start_bot(fake, tmp_path)
    people = range(50_000, 50_500)
    try:
        for person in people:
            await fake.send_text(person, "/start", language_code=LOCALES[person % 3])
        await bot.settle()
        pickers = {p: fake.bot_messages(p) for p in people}
        assert all(len(m) == 1 and "Choose your language" in m[0].text for m in pickers.values())

        # Everyone picks a language at the same moment.
        for person in people:
            picked = LOCALES[(person // 3) % 3]
            await fake.press(person, pickers[person][0].message_id, pick(picked))
        await bot.settle()

        assert errors_in(caplog) == []
        counts = await bot.services.users.counts()
        assert counts["users"] == 500
        stored = await bot.services.db.fetchall(
            "SELECT user_id, locale FROM users WHERE user_id BETWEEN ? AND ?",
            (people[0], people[-1]),
        )
        assert {row[0]: row[1] for row in stored} == {p: LOCALES[(p // 3) % 3] for p in people}
        for person in people:
            menu = shown_message(fake, person, pickers[person][0].message_id)
            word = MENU_WORD[LOCALES[(person // 3) % 3]]
            assert any(word in b["text"] for b in menu.buttons), (person, menu.buttons)
    finally:
        await bot.stop()
