"""/stats through the fake Bot API: the chart comes from a worker process (matplotlib never
loads into the bot), phone-sized, with translated labels and correct plurals; a broken or stuck
worker gets a translated answer with the figures instead of silence."""

from __future__ import annotations

import asyncio
import json
import struct
import sys
from pathlib import Path

import pytest

from bot.admin import chart_client
from bot.admin.stats import Stats, chart_spec, summary
from bot.i18n import Translator
from tests.conftest import ADMIN_ID, RunningBot
from tests.test_admin_flow import subscribe

REPORTS = Stats(
    users={"users": 10, "subscribers": 4, "blocked": 1, "tg": 6, "ru": 3, "en": 1},
    broadcasts_done=0,
    reports_by_category={"2026-11-23": {"police": 2, "?": 1}},
    reports_by_region={"dushanbe": 2, "?": 1},
)


def _png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(chart_client.PNG_MAGIC)
    return struct.unpack(">II", png[16:24])


async def _stats(bot: RunningBot, locale: str = "en") -> tuple[dict, str]:
    """Send /stats once the bot is idle; the bot's answer (a photo, or text) and its words."""
    bot.fake.advance(5)  # the fake's 1 message/s limit
    await bot.say(ADMIN_ID, "/stats", language_code=locale)
    await bot.settle()
    answer = bot.fake.bot_messages(ADMIN_ID)[-1]
    return answer, answer.text or answer.caption or ""


async def test_the_chart_is_drawn_outside_the_bot_and_fits_a_phone(
    running_bot: RunningBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [m for m in sys.modules if m.split(".")[0] == "matplotlib"]:
        monkeypatch.delitem(sys.modules, name)  # whatever an earlier test loaded
    await subscribe(running_bot, [8001, 8002], "tg")
    photo, caption = await _stats(running_bot)
    assert photo.media == "photo"
    assert "Subscribers: 2" in caption and "Тоҷикӣ 2" in caption  # a language name, not "tg"
    assert len(caption) <= 1024  # Telegram's caption limit
    width, height = _png_size(running_bot.fake.file_bytes(photo.raw["photo"][-1]["file_id"]))
    assert width == 1080 and height >= 800  # one panel under the other (3 without reports)
    assert not [m for m in sys.modules if m.split(".")[0] == "matplotlib"]


async def test_the_worker_is_given_the_admins_words(
    running_bot: RunningBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen = tmp_path / "spec.json"
    tee = (
        "import subprocess, sys; data = sys.stdin.buffer.read(); "
        f"open({str(seen)!r}, 'wb').write(data); "
        "sys.stdout.buffer.write(subprocess.run([sys.executable, '-m', 'bot.admin.chart'], "
        "input=data, capture_output=True, check=True).stdout)"
    )
    monkeypatch.setattr(chart_client, "WORKER", (sys.executable, "-c", tee))
    await running_bot.say(ADMIN_ID, "/start", language_code="ru")
    await running_bot.tap(ADMIN_ID, "Русский")
    photo, caption = await _stats(running_bot, "ru")
    assert photo.media == "photo" and "Подписчики: 0" in caption
    spec = json.loads(seen.read_text(encoding="utf-8"))
    titles = [panel["title"] for panel in spec["panels"]]
    assert titles == [
        "Пользователи по языкам",
        "Подписчики ежедневных постов",
        "Заблокировали бота",
    ]
    assert spec["panels"][0]["labels"] == ["Тоҷикӣ", "Русский", "English"]
    assert spec["panels"][1]["labels"] == ["подписаны", "не подписаны"]


def test_report_kinds_and_regions_are_the_report_flows_labels() -> None:
    translator = Translator()
    with translator.use_locale("ru"):
        panels = chart_spec(REPORTS)["panels"]
    weeks, regions = panels[3], panels[4]
    assert weeks["labels"] == ["23.11"]
    assert [s["name"] for s in weeks["series"]] == ["Милиция", "не указано"]  # "?" last
    assert regions["labels"] == ["Душанбе", "не указано"] and regions["values"] == [2, 1]
    with translator.use_locale("tg"):
        panels = chart_spec(REPORTS)["panels"]
    assert panels[4]["labels"][0] == "Душанбе" and panels[3]["series"][0]["name"] == "Милитсия"


def test_the_weeks_in_the_caption_take_the_right_plural() -> None:
    translator = Translator()
    two_weeks = Stats(
        users=REPORTS.users,
        broadcasts_done=0,
        reports_by_category={"2026-11-16": {"police": 1}, "2026-11-23": {"police": 2}},
    )
    with translator.use_locale("en"):
        assert "Reports in the last 1 week: 3" in summary(REPORTS)
        assert "Reports in the last 2 weeks: 3" in summary(two_weeks)
    with translator.use_locale("ru"):
        assert "Сообщений за последнюю 1 неделю: 3" in summary(REPORTS)
        assert "Сообщений за последние 2 недели: 3" in summary(two_weeks)
    with translator.use_locale("tg"):
        assert "Хабарҳо дар 2 ҳафтаи охир: 3" in summary(two_weeks)


@pytest.mark.parametrize(
    ("worker", "limit"),
    [
        ("import sys; sys.stderr.write('boom'); sys.exit(3)", None),  # crashes
        ("import sys; sys.stdout.write('not a picture')", None),  # answers nonsense
        ("import time; time.sleep(30)", 0.5),  # is stuck
    ],
)
async def test_a_failing_worker_gets_the_figures_and_a_translated_line(
    running_bot: RunningBot, monkeypatch: pytest.MonkeyPatch, worker: str, limit: float | None
) -> None:
    monkeypatch.setattr(chart_client, "WORKER", (sys.executable, "-c", worker))
    if limit is not None:
        monkeypatch.setattr(chart_client, "TIMEOUT_S", limit)
    await running_bot.say(ADMIN_ID, "/start", language_code="ru")
    await running_bot.tap(ADMIN_ID, "Русский")
    answer, text = await _stats(running_bot, "ru")
    assert answer.media is None
    assert "Подписчики: 0" in text and "не удалось нарисовать график" in text


async def test_at_most_two_workers_draw_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    running, most = 0, 0

    async def slow_render(spec: dict, limit: float | None) -> bytes:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.05)
        running -= 1
        return chart_client.PNG_MAGIC

    monkeypatch.setattr(chart_client, "_render", slow_render)
    pictures = await asyncio.gather(*(chart_client.render({"panels": []}) for _ in range(6)))
    assert len(pictures) == 6 and most == chart_client.MAX_WORKERS
