"""Posters and QR codes over the fake Bot API: ?start=p_<code> opens its screen and counts one
join for the day (no user id anywhere), unknown codes open the menu with a note, /qr for staff
only (SVG + PNG, the link on LINK_DOMAIN), the weekly chart in /stats with "< 5"."""

from __future__ import annotations

import io
import logging
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from bot.admin import stats as admin_stats
from bot.admin.chart import draw
from bot.i18n import Translator
from bot.placements.store import shown
from devtools.fake_telegram import FakeTelegram
from tests.conftest import ADMIN_ID, QUIET_MOMENT, start_bot

USERS = [610_000 + n for n in range(6)]


@pytest.fixture(autouse=True)
def no_error_and_no_ids_in_logs(caplog: pytest.LogCaptureFixture):
    """Normal flows log no ERROR, and no log line carries a person's id."""
    caplog.set_level(logging.DEBUG)
    yield
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not [r for r in caplog.records if str(USERS[0]) in r.getMessage()]


async def _start(bot, user: int, payload: str) -> object:
    await bot.say(user, f"/start {payload}")
    return await bot.tap(user, "English")


async def test_placement_opens_its_screen_and_counts_without_people(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    bot = await start_bot(fake, tmp_path)
    try:
        opened = await _start(bot, USERS[0], "p_circus")  # → the rights guide answer
        assert "detained" in opened.text.lower()
        opened = await _start(bot, USERS[1], "p_tsum")  # → the hotlines
        assert "hotline" in opened.text.lower() or "help" in opened.text.lower()
        for user in USERS[2:]:
            fake.advance(2)
            await _start(bot, user, "p_tsum")
        unknown = await _start(bot, 620_001, "p_nosuchcode")
        assert "out of date" in unknown.text and "Choose a section" in unknown.text
        day = QUIET_MOMENT.date().isoformat()
        rows = await bot.services.db.fetchall("SELECT code, day, count FROM placement_joins")
        assert sorted(tuple(r) for r in rows) == [("circus", day, 1), ("tsum", day, 5)]
    finally:
        await bot.stop()
    # No user id anywhere in the placements' table, and the table holds nothing else.
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        columns = [c[1] for c in db.execute("PRAGMA table_info(placement_joins)")]
        assert columns == ["code", "day", "count"]
        for row in db.execute("SELECT * FROM placement_joins"):
            assert not any(str(user) in str(value) for value in row for user in USERS)
        # Nowhere else either does a row tie a poster code to a person.
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in db.execute(f"SELECT * FROM {table}"):
                values = " ".join(str(v) for v in row)
                if "tsum" in values or "circus" in values:
                    assert table == "placement_joins", table


def test_small_counts_are_not_told() -> None:
    assert [shown(n) for n in (1, 4, 5, 12)] == ["< 5", "< 5", "5", "12"]
    stats = admin_stats.Stats(
        users={"users": 3, "subscribers": 1, "blocked": 0, "tg": 1, "ru": 1, "en": 1},
        broadcasts_done=0,
        placements_by_week={"2026-04-13": {"tsum": 7, "circus": 2}},
    )
    i18n = Translator(default_locale="en")
    with i18n.use_locale("en"):
        spec = admin_stats.chart_spec(stats)
        caption = admin_stats.summary(stats)
    panel = spec["panels"][-1]
    values = {s["name"]: s["values"] for s in panel["series"]}
    assert values == {"circus": ["< 5"], "tsum": [7]}
    assert "circus &lt; 5" in caption and "tsum 7" in caption
    png = draw(spec)
    assert Image.open(io.BytesIO(png)).width == 1080


async def test_qr_for_staff_only_svg_and_png_on_link_domain(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    bot = await start_bot(fake, tmp_path, link_domain="telegram.me")
    try:
        await bot.say(USERS[0], "/start")
        await bot.tap(USERS[0], "English")
        refused = await bot.say(USERS[0], "/qr tsum")
        assert "don't know this command" in refused.text
        await bot.say(ADMIN_ID, "/start")
        await bot.tap(ADMIN_ID, "English")
        fake.advance(5)
        await bot.say(ADMIN_ID, "/qr tsum")
        await bot.settle()
        svg_message, png_message = fake.chat(ADMIN_ID).bot_messages[-2:]
        username = bot.services.links.username
        assert f"https://telegram.me/{username}?start=p_tsum" in svg_message.text
        svg = fake.file_bytes(svg_message.raw["document"]["file_id"]).decode()
        assert svg.startswith("<?xml") and f"@{username}</text>" in svg
        photo = png_message.raw["photo"][-1]["file_id"]
        image = Image.open(io.BytesIO(fake.file_bytes(photo)))
        assert image.width >= 1000 and image.height > image.width  # the name under the code
        fake.advance(5)
        # A deep link on another domain is rebuilt on LINK_DOMAIN.
        await bot.say(ADMIN_ID, f"/qr https://t.me/{username}?start=receptions")
        await bot.settle()
        doc = fake.chat(ADMIN_ID).bot_messages[-2]
        assert f"https://telegram.me/{username}?start=receptions" in doc.text
        fake.advance(5)
        usage = await bot.say(ADMIN_ID, "/qr https://example.org/x")
        assert "Usage: /qr" in usage.text
        fake.advance(5)
        huge = await bot.say(ADMIN_ID, "/qr " + "x" * 4000)
        assert "Usage: /qr" in huge.text
    finally:
        await bot.stop()


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("tsum", "p_tsum"),
        ("p_tsum", "p_tsum"),
        ("t.me/notorturetj_bot?start=help", "help"),
        ("https://telegram.dog/notorturetj_bot?start=faq_x", "faq_x"),
    ],
)
async def test_qr_link_resolution(
    fake: FakeTelegram, tmp_path: Path, argument: str, expected: str
) -> None:
    from bot.db import Database
    from bot.links import DeepLinks
    from bot.placements.service import create_placement_service

    db = await Database(tmp_path / "x.sqlite3").open()
    try:
        service = create_placement_service(db, DeepLinks(domain="t.me"))
        assert service.qr_link(argument) == f"https://t.me/notorturetj_bot?start={expected}"
        assert service.qr_link("https://t.me/otherbot?start=x") is None
        assert service.qr_link("nosuchcode") is None
        assert date.today
    finally:
        await db.close()


async def test_stats_shows_placement_joins_small_ones_hidden(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    bot = await start_bot(fake, tmp_path)
    try:
        await _start(bot, USERS[0], "p_circus")
        await bot.say(ADMIN_ID, "/start")
        await bot.tap(ADMIN_ID, "English")
        fake.advance(5)
        await bot.say(ADMIN_ID, "/stats")
        await bot.settle()
        answer = fake.chat(ADMIN_ID).bot_messages[-1]
        assert "Opened from posters and QR codes: circus < 5" in (answer.text or "")
    finally:
        await bot.stop()


def test_placement_content_problems_name_file_and_line(tmp_path: Path) -> None:
    from bot.content_files import Problems
    from bot.placements.content import load_placements

    path = tmp_path / "placements.yaml"
    path.write_text(
        "placements:\n"
        "  good:\n"
        "    screen: help\n"
        "  Bad-Code:\n"
        "    screen: help\n"
        "  noscreen:\n"
        "    screen: 'Not a screen'\n"
        "  badarg:\n"
        "    screen: faq\n"
        "    arg: 'a b'\n",
        encoding="utf-8",
    )
    problems = Problems()
    found = load_placements(path, problems)
    text = "\n".join(str(p) for p in problems.items)
    assert list(found) == ["good"]
    assert "placements.yaml:4: code 'Bad-Code'" in text
    assert "placements.yaml:7: noscreen: screen must be a screen name" in text
    assert "placements.yaml:10: badarg: arg" in text


async def test_a_screen_not_wired_yet_opens_the_menu_and_still_counts(
    fake: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.placements.content as placement_content

    path = tmp_path / "placements.yaml"
    path.write_text(
        "placements:\n  quiz1:\n    screen: survey\n    arg: spring\n  selfref:\n    screen: p\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(placement_content, "PLACEMENTS_FILE", path)
    bot = await start_bot(fake, tmp_path)
    try:
        opened = await _start(bot, USERS[0], "p_quiz1")  # no survey feature in this bot
        assert "out of date" in opened.text and "Choose a section" in opened.text
        fake.advance(2)
        looped = await _start(bot, USERS[1], "p_selfref")  # a placement pointing at itself
        assert "out of date" in looped.text
        rows = await bot.services.db.fetchall("SELECT code, count FROM placement_joins")
        assert sorted(tuple(r) for r in rows) == [("quiz1", 1), ("selfref", 1)]
    finally:
        await bot.stop()
