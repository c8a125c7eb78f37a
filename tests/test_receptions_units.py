"""Receptions without Telegram: when a reminder is due, what is upcoming, a run killed in the
middle of a send (never twice), passing errors (tried again), blocked chats (dropped), and the
fake Bot API's sendVenue checks."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from bot.db import Database
from bot.db.users import UserRepo
from bot.delivery import DeliveryEngine
from bot.receptions.content import Reception
from bot.receptions.service import ReceptionService, Remind
from bot.receptions.store import ReceptionStore
from devtools.fake_telegram import FakeTelegram
from tests.conftest import TOKEN, make_settings

TZ = ZoneInfo("Asia/Dushanbe")
TEXTS = {"tg": "т", "ru": "р", "en": "e"}


def reception(rid: str = "r1", on: date = date(2026, 5, 10), region: str = "sughd") -> Reception:
    return Reception(
        id=rid,
        region=region,
        on=on,
        starts=time(10),
        ends=time(12),
        city=TEXTS,
        venue=TEXTS,
        organisations=TEXTS,
        topics=TEXTS,
        languages=("tg",),
    )


@pytest.fixture
async def service(tmp_path: Path):
    db = await Database(tmp_path / "bot.sqlite3").open()
    settings = make_settings(tmp_path)
    delivery = DeliveryEngine(db, UserRepo(db), settings, lambda: at(1, 12))
    items = [reception(), reception("r2", date(2026, 5, 20)), reception("r3", region="gbao")]
    yield ReceptionService(items, ReceptionStore(db), delivery, TZ)
    await db.close()


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 5, day, hour, minute, tzinfo=TZ)


async def test_due_the_morning_before_and_too_late_after(service: ReceptionService) -> None:
    r1 = service.get("r1")
    assert service.reminder_due(r1) == at(9, 9)
    assert await service.remind(r1, 11, "ru", at(9, 8, 59)) == Remind.ADDED
    assert await service.remind(r1, 11, "ru", at(9, 8, 59)) == Remind.ALREADY
    assert await service.remind(r1, 12, "ru", at(9, 9)) == Remind.TOO_LATE
    assert [r.id for r in service.upcoming("sughd", at(10, 11, 59))] == ["r1", "r2"]
    assert [r.id for r in service.upcoming("sughd", at(10, 12))] == ["r2"]  # r1 is over


async def test_send_due_once_retry_and_gone(service: ReceptionService) -> None:
    r1 = service.get("r1")
    for chat in (1, 2, 3):
        await service.remind(r1, chat, "en", at(1, 12))
    outcomes = {1: "sent", 2: "gone", 3: "retry"}
    calls: list[int] = []

    async def send(_reception, item) -> str:
        calls.append(item.chat_id)
        return outcomes[item.chat_id]

    assert await service.send_due(at(9, 8, 59), send) == 0 and calls == []
    assert await service.send_due(at(9, 9), send) == 1
    assert sorted(calls) == [1, 2, 3]
    # The retried one stays (unclaimed) and goes at the next run; the others are gone.
    outcomes[3] = "sent"
    calls.clear()
    assert await service.send_due(at(9, 9, 1), send) == 1 and calls == [3]
    assert await service.store.counts() == {"r1": (0, 2)}


async def test_a_run_killed_during_a_send_never_sends_twice(service: ReceptionService) -> None:
    r2 = service.get("r2")
    await service.remind(r2, 7, "tg", at(1, 12))
    claimed = await service.store.claim_due(at(19, 9))  # … and the process dies here
    assert [c.chat_id for c in claimed] == [7]
    calls: list[int] = []

    async def send(_reception, item) -> str:
        calls.append(item.chat_id)
        return "sent"

    assert await service.send_due(at(19, 9, 1), send) == 0
    assert calls == [] and await service.store.counts() == {}


async def test_reminders_of_past_or_removed_receptions_are_deleted(
    service: ReceptionService,
) -> None:
    await service.remind(service.get("r1"), 5, "ru", at(1, 12))
    await service.store.add_reminder("gone-from-file", 6, "ru", at(2, 9))
    sent: list[int] = []

    async def send(_reception, item) -> str:
        sent.append(item.chat_id)
        return "sent"

    assert await service.send_due(at(10, 10, 30), send) == 0  # r1 began at 10:00: too late
    assert sent == [] and await service.store.counts() == {}


async def test_fake_send_venue_checks_like_telegram(tmp_path: Path) -> None:
    async with FakeTelegram(token=TOKEN) as fake, aiohttp.ClientSession() as http:
        fake._private(99)
        url = f"{fake.base_url}/bot{TOKEN}/sendVenue"
        base = {"chat_id": 99, "latitude": 38.5, "longitude": 68.7, "title": "T", "address": "A"}
        async with http.post(url, json=base) as ok:
            body = await ok.json()
            assert body["ok"] and body["result"]["venue"]["title"] == "T"
        for change, error in (
            ({"latitude": 91}, "wrong latitude"),
            ({"longitude": -181}, "wrong longitude"),
            ({"title": ""}, "title"),
            ({"address": " "}, "address"),
        ):
            async with http.post(url, json=base | change) as bad:
                body = await bad.json()
                assert bad.status == 400 and error in body["description"], body


async def test_fake_copy_text_button_limits() -> None:
    async with FakeTelegram(token=TOKEN) as fake, aiohttp.ClientSession() as http:
        fake._private(99)
        url = f"{fake.base_url}/bot{TOKEN}/sendMessage"

        def markup(text: str) -> dict:
            button = {"text": "Copy", "copy_text": {"text": text}}
            return {"inline_keyboard": [[button]]}

        async with http.post(
            url, json={"chat_id": 99, "text": "x", "reply_markup": markup("a")}
        ) as ok:
            assert (await ok.json())["ok"]
        for text in ("", "a" * 257):
            payload = {"chat_id": 99, "text": "x", "reply_markup": markup(text)}
            async with http.post(url, json=payload) as bad:
                assert bad.status == 400 and "copy_text" in (await bad.json())["description"]
