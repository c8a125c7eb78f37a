"""Mobile legal receptions over the fake Bot API: the region chosen once, upcoming receptions of
that region only, the map and the .ics file, the reminder (once, at 09:00 the day before, across
restarts, its chat id gone from the database file), the staff's counts and the announcement."""

from __future__ import annotations

import logging
import textwrap
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

import bot.receptions.content as reception_content
from devtools.fake_telegram import FakeTelegram
from jobs.receptions import send_reminders
from tests.conftest import ADMIN_ID, QUIET_MOMENT, fixed_clock, start_bot

TZ = ZoneInfo("Asia/Dushanbe")
USER = 555_123_457  # a distinctive id: its bytes are looked for in the database file
REMINDER_RECORD = b"khujand-test" + USER.to_bytes(4, "big")
RECEPTIONS = textwrap.dedent(
    """\
    receptions:
      - id: khujand-test
        region: sughd
        date: 2026-04-20
        from: "10:00"
        to: "12:00"
        city: {tg: "Хуҷанд", ru: "Худжанд", en: "Khujand"}
        venue: {tg: "Маркази ҷамъиятӣ", ru: "Общественный центр", en: "Community centre"}
        address: {tg: "кӯчаи Ленин 1", ru: "улица Ленина 1", en: "1 Lenin street"}
        coordinates: {lat: 40.2833, lon: 69.6222}
        organisations: {tg: "ТҶ «Начало»", ru: "ОО «Начало»", en: "NGO Nachalo"}
        topics: {tg: "Муҳоҷират", ru: "Миграция", en: "Migration"}
        languages: [tg, ru]
      - id: panjakent-past
        region: sughd
        date: 2026-04-10
        from: "10:00"
        to: "12:00"
        city: {tg: "Панҷакент", ru: "Пенджикент", en: "Panjakent"}
        venue: {tg: "Толор", ru: "Зал", en: "Hall"}
        organisations: {tg: "Эътилоф", ru: "Коалиция", en: "The Coalition"}
        topics: {tg: "Манзил", ru: "Жильё", en: "Housing"}
        languages: [tg]
      - id: dushanbe-test
        region: dushanbe
        date: 2026-04-22
        from: "14:00"
        to: "16:00"
        city: {tg: "Душанбе", ru: "Душанбе", en: "Dushanbe"}
        venue: {tg: "Толор", ru: "Зал", en: "Hall"}
        organisations: {tg: "Эътилоф", ru: "Коалиция", en: "The Coalition"}
        topics: {tg: "Манзил", ru: "Жильё", en: "Housing"}
        languages: [ru]
    """
)


@pytest.fixture(autouse=True)
def test_receptions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "content" / "receptions.yaml"
    path.parent.mkdir()
    path.write_text(RECEPTIONS, encoding="utf-8")
    monkeypatch.setattr(reception_content, "RECEPTIONS_FILE", path)
    return path


@pytest.fixture(autouse=True)
def no_error_and_no_ids_in_logs(caplog: pytest.LogCaptureFixture):
    """Normal flows log no ERROR, and no log line carries a person's id."""
    caplog.set_level(logging.DEBUG)
    yield
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not [r for r in caplog.records if str(USER) in r.getMessage()]


async def _choose_sughd(bot, user: int = USER) -> object:
    await bot.say(user, "/start receptions")
    await bot.tap(user, "English")
    shown = bot.fake.chat(user).bot_messages[-1]
    assert "Choose your region" in (shown.text or "")
    return await bot.tap(user, "Sughd")


async def test_region_once_then_upcoming_of_that_region_only(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    bot = await start_bot(fake, tmp_path)
    try:
        shown = await _choose_sughd(bot)
        assert "Khujand" in shown.text and "20.04.2026, 10:00–12:00" in shown.text
        assert "Panjakent" not in shown.text  # past
        assert "Dushanbe" not in shown.text.split("Region:")[1]  # another region
        assert (await bot.services.users.get(USER)).region == "sughd"
        # The region is asked once: the menu button goes straight to the list now.
        again = await bot.say(USER, "/menu")
        assert "Free legal advice" in str(again.buttons)
        listing = await bot.tap(USER, "Free legal advice")
        assert "Khujand" in listing.text and "Choose your region" not in listing.text
        # Changing it: the "region" screen is a named screen (a settings screen can link it).
        assert bot.services.screens.get("region") is not None
        changed = await bot.tap(USER, "Change region")
        assert "Now: Sughd" in changed.text
        other = await bot.tap(USER, "Dushanbe")
        assert "Dushanbe" in other.text and "Khujand" not in other.text
    finally:
        await bot.stop()


async def test_place_sends_venue_ics_and_copy_button(fake: FakeTelegram, tmp_path: Path) -> None:
    bot = await start_bot(fake, tmp_path)
    try:
        await _choose_sughd(bot)
        await bot.tap(USER, "Khujand: map")
        await bot.settle()
        venue_calls = [p for m, p in fake.calls if m == "sendVenue"]
        assert len(venue_calls) == 1
        assert float(venue_calls[0]["latitude"]) == pytest.approx(40.2833)
        assert venue_calls[0]["title"] == "Community centre"
        document = fake.chat(USER).bot_messages[-1]
        assert document.media == "document"
        copy = document.button("Copy the address")
        assert copy["copy_text"] == {"text": "1 Lenin street"}
        ics = fake.file_bytes(document.raw["document"]["file_id"])
        event = Calendar.from_ical(ics).walk("VEVENT")[0]
        start = event.decoded("dtstart")
        assert start == datetime(2026, 4, 20, 10, 0, tzinfo=TZ)
        assert event.decoded("dtend") - start == timedelta(hours=2)
        assert "Khujand" in str(event.get("summary"))
        assert "1 Lenin street" in str(event.get("location"))
        assert str(event.get("uid")) == "khujand-test@notorture-bot.receptions"
    finally:
        await bot.stop()


async def test_forged_and_stale_buttons_change_nothing(fake: FakeTelegram, tmp_path: Path) -> None:
    bot = await start_bot(fake, tmp_path)
    try:
        shown = await _choose_sughd(bot)
        for data in ("rc1:reg:atlantis", "rc1:rem:panjakent-past", "rc1:map:nope", "rc1:rem:x"):
            await fake.press(USER, shown.message_id, data, force=True)
            await bot.settle()
        assert (await bot.services.users.get(USER)).region == "sughd"
        assert await bot.services.receptions.store.counts() == {}
        assert not [m for m, _p in fake.calls if m in ("sendVenue", "sendDocument")]
    finally:
        await bot.stop()


async def _press(bot, user: int, text: str) -> None:
    """Tap a button whose answer may be only a notice (no new message)."""
    await bot.settle()
    for message in reversed(bot.fake.chat(user).bot_messages):
        for button in message.buttons:
            if text in button["text"] and "callback_data" in button:
                await bot.fake.press(user, message.message_id, button["callback_data"])
                await bot.settle()
                return
    raise AssertionError(f"no button {text!r}")


def _db_bytes(tmp_path: Path) -> bytes:
    data = b""
    for suffix in ("", "-wal", "-journal"):
        path = tmp_path / f"bot.sqlite3{suffix}"
        if path.exists():
            data += path.read_bytes()
    return data


async def test_reminder_once_at_nine_the_day_before_across_restarts(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    bot = await start_bot(fake, tmp_path)
    try:
        await _choose_sughd(bot)
        answer = await bot.tap(USER, "Remind me")
        assert "No reminder" in str(answer.buttons)
        due = "2026-04-19T04:00:00+00:00"  # 09:00 in Dushanbe, the day before
        assert due.encode() in _db_bytes(tmp_path)  # so its absence later means something
        # The reminder's record: SQLite stores the reception id's text and then the chat id as
        # a 4-byte big-endian integer side by side (in the row and in its primary-key index).
        assert REMINDER_RECORD in _db_bytes(tmp_path)
        # 08:59 the day before: nothing yet.
        early = datetime(2026, 4, 19, 8, 59, tzinfo=TZ)
        services = bot.services
        assert await send_reminders(services.receptions, bot.bot, services.i18n, early) == 0
    finally:
        await bot.stop()
    before = len(fake.chat(USER).bot_messages)
    # The bot comes back at 09:00:30: the start-up run sends the reminder.
    bot = await start_bot(
        fake, tmp_path, clock=fixed_clock(datetime(2026, 4, 19, 9, 0, 30, tzinfo=TZ))
    )
    try:
        await fake.wait_for(lambda: len(fake.chat(USER).bot_messages) > before, 10)
        await bot.settle()
        reminder = fake.chat(USER).bot_messages[-1]
        assert "Reminder: tomorrow" in reminder.text and "Khujand" in reminder.text
        rows = await bot.services.db.fetchall("SELECT * FROM reception_reminders")
        assert rows == []
        assert await bot.services.receptions.store.counts() == {"khujand-test": (0, 1)}
        # While the bot runs (a server seized now): the file and its write-ahead log.
        assert REMINDER_RECORD not in _db_bytes(tmp_path)
        assert b"2026-04-19T04:00:00+00:00" not in _db_bytes(tmp_path)
    finally:
        await bot.stop()
    # Another restart later that morning: nothing twice.
    bot = await start_bot(
        fake, tmp_path, clock=fixed_clock(datetime(2026, 4, 19, 9, 30, tzinfo=TZ))
    )
    try:
        await bot.settle()
        services = bot.services
        late = datetime(2026, 4, 19, 9, 31, tzinfo=TZ)
        assert await send_reminders(services.receptions, bot.bot, services.i18n, late) == 0
        reminders = [m for m in fake.chat(USER).bot_messages if "Reminder:" in (m.text or "")]
        assert len(reminders) == 1
    finally:
        await bot.stop()
    # The file itself: the reminder row's bytes are gone (secure_delete + emptied log).
    data = _db_bytes(tmp_path)
    assert b"2026-04-19T04:00:00+00:00" not in data
    assert REMINDER_RECORD not in data


async def test_reminder_too_close_and_cancel(fake: FakeTelegram, tmp_path: Path) -> None:
    bot = await start_bot(
        fake, tmp_path, clock=fixed_clock(datetime(2026, 4, 19, 10, 0, tzinfo=TZ))
    )
    try:
        await _choose_sughd(bot)
        await _press(bot, USER, "Remind me")
        assert await bot.services.receptions.store.counts() == {}
        answers = [p for m, p in fake.calls if m == "answerCallbackQuery" and p.get("text")]
        assert "too close" in answers[-1]["text"]
    finally:
        await bot.stop()
    assert QUIET_MOMENT.date() < datetime(2026, 4, 19).date()
    bot = await start_bot(fake, tmp_path)
    try:
        await bot.say(USER, "/receptions")
        await bot.tap(USER, "Remind me")
        assert await bot.services.receptions.store.counts() == {"khujand-test": (1, 0)}
        await bot.tap(USER, "No reminder")
        assert await bot.services.receptions.store.counts() == {}
    finally:
        await bot.stop()


async def test_staff_counts_never_people_and_others_refused(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    bot = await start_bot(fake, tmp_path)
    try:
        await _choose_sughd(bot)
        await bot.tap(USER, "Remind me")
        await bot.say(ADMIN_ID, "/start")
        await bot.tap(ADMIN_ID, "English")
        fake.advance(5)
        listing = await bot.say(ADMIN_ID, "/receptions")
        assert "khujand-test" in listing.text and "1 waiting" in listing.text
        assert str(USER) not in listing.text
        # Someone else gets the public screen, never the counts.
        other = await bot.say(USER, "/receptions")
        assert "waiting" not in other.text and "Khujand" in other.text
        refused = await bot.say(USER, "/announce khujand-test")
        assert "don't know this command" in refused.text
    finally:
        await bot.stop()


async def test_announce_to_the_region_exactly_once(fake: FakeTelegram, tmp_path: Path) -> None:
    bot = await start_bot(fake, tmp_path)
    try:
        await _choose_sughd(bot)  # in Sughd
        await bot.say(4242, "/start")
        await bot.tap(4242, "English")
        await bot.tap(4242, "Free legal advice")
        await bot.tap(4242, "Dushanbe")  # another region: must not get it
        await bot.say(ADMIN_ID, "/start")
        await bot.tap(ADMIN_ID, "English")
        fake.advance(5)
        await bot.say(ADMIN_ID, "/announce khujand-test")
        await fake.wait_for(lambda: "Send the announcement" in str(bot.buttons(ADMIN_ID)), 10)
        preview = fake.chat(ADMIN_ID).bot_messages[-1]
        assert "Free legal advice in Sughd" in preview.text
        data = preview.button("Send the announcement")["callback_data"]
        await fake.press(ADMIN_ID, preview.message_id, data)
        await bot.settle()
        await fake.press(ADMIN_ID, preview.message_id, data, force=True)  # a double tap
        await bot.settle()
        delivery_id = await bot.services.receptions.store.announcement("khujand-test")
        assert delivery_id is not None
        await bot.services.delivery.wait_finished(delivery_id, 10)
        # The non-admin forging the same button: refused, nothing new.
        await fake.press(USER, preview.message_id, data, force=True)
        await bot.settle()
    finally:
        await bot.stop()
    got = [
        m for m in fake.chat(USER).bot_messages if "Free legal advice in Sughd" in (m.text or "")
    ]
    assert len(got) == 1
    assert not [m for m in fake.chat(4242).bot_messages if "in Sughd" in (m.text or "")]
    # After a restart, the same announcement is still not sent again.
    bot = await start_bot(fake, tmp_path)
    try:
        reception = bot.services.receptions.get("khujand-test")
        new, _id = await bot.services.receptions.announce(
            reception, {"en": "again"}, ADMIN_ID, QUIET_MOMENT
        )
        assert not new
        rows = await bot.services.db.fetchall(
            "SELECT COUNT(*) FROM deliveries WHERE kind = 'reception'"
        )
        assert rows[0][0] == 1
    finally:
        await bot.stop()
