"""Campaign content checks, the calendar, and the exactly-once ledger under crashes, a second
process, pauses, skips and missed days (the real delivery engine's queue, not started)."""

from __future__ import annotations

import logging
import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import App, create_app
from bot.campaigns.content import CAMPAIGNS_DIR, load_campaigns
from bot.campaigns.runner import Send
from bot.campaigns.schedule import date_of, day_post
from bot.content_files import Problems
from tests.conftest import make_settings, quiet_clock

TZ = ZoneInfo("Asia/Dushanbe")
CHANNELS = "tg:@ntj_tg,ru:@ntj_ru,en:@ntj_en"


def at(month: int, day: int, hour: int = 10, minute: int = 5) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


def test_shipped_campaigns_are_complete_in_every_language() -> None:
    problems = Problems()
    campaigns = load_campaigns(problems=problems)
    assert [str(p) for p in problems.items] == []
    assert set(campaigns) == {"udhr", "june26", "rights_days"}
    udhr = campaigns["udhr"]
    assert len(udhr.posts) == 31
    for n in range(1, 31):
        assert f"Article {n} " in udhr.posts[str(n)]["en"], n
        assert f"{31 - n} days to Human Rights Day" in udhr.posts[str(n)]["en"] or n == 30
    assert "LangID=pet" in udhr.posts["7"]["tg"]
    for day in ("03-01", "06-01", "10-10", "11-25", "12-01", "12-03"):
        assert day in campaigns["rights_days"].posts
    assert all("98 708 76 76" in texts["tg"] for texts in campaigns["june26"].posts.values())


def test_udhr_calendar_from_november_10_to_december_10() -> None:
    udhr = load_campaigns()["udhr"]
    assert day_post(udhr, date(2026, 11, 9)) is None
    assert day_post(udhr, date(2026, 11, 10)).day_key == "1"
    assert day_post(udhr, date(2026, 12, 9)).day_key == "30"
    assert day_post(udhr, date(2026, 12, 10)).day_key == "31"
    assert day_post(udhr, date(2026, 12, 11)) is None
    assert date_of(udhr, 2026, "6") == date(2026, 11, 15)


def _broken_copy(tmp_path: Path) -> Path:
    root = tmp_path / "campaigns"
    shutil.copytree(CAMPAIGNS_DIR / "june26", root / "june26")
    folder = root / "june26"
    settings = (folder / "campaign.yaml").read_text(encoding="utf-8")
    settings = settings.replace('time: "10:00"', 'time: "25:00"')
    settings = settings.replace("channels: [tg, ru, en]", "channels: [tg, ru, de]")
    (folder / "campaign.yaml").write_text(settings, encoding="utf-8")
    en = (folder / "en.yaml").read_text(encoding="utf-8")
    en = en.replace("  3: |", "  9: |", 1)
    en = en.replace("https://", "http://", 1)
    en = en.replace("<b>", "<b><i>", 1)
    (folder / "en.yaml").write_text(en, encoding="utf-8")
    tg = (folder / "tg.yaml").read_text(encoding="utf-8")
    (folder / "tg.yaml").write_text(tg.replace("  5: |", "  4: |", 1), encoding="utf-8")
    ru = (folder / "ru.yaml").read_text(encoding="utf-8")
    ru = ru.replace("  2: |\n", "  2: |\n    " + "Пытка. " * 700 + "\n", 1)
    (folder / "ru.yaml").write_text(ru, encoding="utf-8")
    return root


def test_content_check_names_file_and_line_of_each_problem(tmp_path: Path) -> None:
    problems = Problems()
    assert load_campaigns(_broken_copy(tmp_path), problems) == {}
    found = [str(p) for p in problems.items]

    def has(fragment: str, file: str) -> bool:
        return any(fragment in p and f"{file}:" in p and p.split(":")[1].isdigit() for p in found)

    assert has("time must be HH:MM", "campaign.yaml"), found
    assert has("channels must be a list", "campaign.yaml"), found
    settings = tmp_path / "campaigns" / "june26" / "campaign.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("25:00", "10:00").replace("de]", "en]"),
        encoding="utf-8",
    )
    problems = Problems()
    load_campaigns(tmp_path / "campaigns", problems)
    found = [str(p) for p in problems.items]
    assert has("day 9 is outside 1..7", "en.yaml"), found
    assert has("duplicate key 4", "tg.yaml"), found
    assert has("missing day(s): 3", "en.yaml"), found
    assert has("must be a full https:// URL", "en.yaml"), found
    assert has("invalid Telegram HTML", "en.yaml"), found
    assert has("Telegram allows 4096", "ru.yaml"), found


async def _services(tmp_path: Path, **overrides: object) -> App:
    return await create_app(
        make_settings(tmp_path, channels=CHANNELS, **overrides), clock=quiet_clock()
    )


async def _deliveries(services: App) -> list[str]:
    rows = await services.db.fetchall("SELECT dedupe_key FROM deliveries ORDER BY id")
    return [row[0] for row in rows]


async def test_crash_between_ledger_row_and_enqueue_posts_once_later(tmp_path: Path) -> None:
    services = await _services(tmp_path)
    runner = services.campaigns.runner
    real_enqueue = runner.enqueue
    calls = 0

    async def crashing_enqueue(send: Send) -> int:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise ConnectionError("process died here")
        return await real_enqueue(send)

    runner.enqueue = crashing_enqueue
    with pytest.raises(ConnectionError):
        await runner.run_due(at(11, 15))
    runner.enqueue = real_enqueue
    await runner.run_due(at(11, 15, 10, 10))
    await runner.run_due(at(11, 15, 12))
    keys = await _deliveries(services)
    assert sorted(keys) == sorted(
        f"campaign:udhr:2026:6:{t}"
        for t in ("channel:tg", "channel:ru", "channel:en", "subscribers")
    )
    await services.db.close()


async def test_a_second_process_on_the_same_database_does_not_post_twice(tmp_path: Path) -> None:
    first, second = await _services(tmp_path), await _services(tmp_path)
    import asyncio

    await asyncio.gather(
        first.campaigns.runner.run_due(at(11, 20)),
        second.campaigns.runner.run_due(at(11, 20)),
    )
    assert len(await _deliveries(first)) == 4
    await first.db.close()
    await second.db.close()


async def test_late_the_same_day_once_missed_after_the_day_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    services = await _services(tmp_path)
    runner = services.campaigns.runner
    assert await runner.run_due(at(11, 15, 9, 59)) == []
    assert len(await runner.run_due(at(11, 15, 20, 50))) == 4  # down all day: late, once
    caplog.set_level(logging.WARNING)
    caplog.clear()
    assert await runner.run_due(at(11, 18, 10, 1)) != []  # 16 and 17 November were missed
    missed = [
        r.getMessage() for r in caplog.records if "was not posted on its day" in r.getMessage()
    ]
    assert len(missed) == 8, missed  # 2 days x 4 targets
    assert all("2026-11-16" in m or "2026-11-17" in m for m in missed), missed
    caplog.clear()
    await runner.run_due(at(11, 18, 11))
    assert not [r for r in caplog.records if "was not posted" in r.getMessage()]  # logged once
    keys = await _deliveries(services)
    assert not [k for k in keys if ":udhr:2026:7:" in k or ":udhr:2026:8:" in k]
    await services.db.close()


async def test_pause_resume_skip_and_post_now(tmp_path: Path) -> None:
    services = await _services(tmp_path)
    service = services.campaigns
    await service.ledger.set_paused("udhr", True)
    assert await service.runner.run_due(at(11, 12)) == []
    await service.ledger.set_paused("udhr", False)
    assert len(await service.runner.run_due(at(11, 12, 16))) == 4  # resumed: late, same day
    await service.ledger.skip_day("udhr", 2026, "4")
    assert await service.runner.run_due(at(11, 13)) == []
    assert (
        await service.ledger.status(
            __import__("bot.campaigns.ledger", fromlist=["LedgerKey"]).LedgerKey(
                "udhr", 2026, "4", "subscribers"
            )
        )
        == "skipped"
    )
    posted = await service.runner.post_now("udhr", "6", at(11, 14))
    assert posted == dict.fromkeys(("channel:tg", "channel:ru", "channel:en", "subscribers"), True)
    assert set((await service.runner.post_now("udhr", "6", at(11, 14))).values()) == {False}
    assert await service.runner.run_due(at(11, 15)) == []  # day 6 already went out
    await services.db.close()


async def test_a_missed_post_goes_out_late_only_until_the_evening(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    services = await _services(tmp_path)
    runner = services.campaigns.runner
    assert await runner.run_due(at(11, 15, 9, 0)) == []  # running before the post was due
    caplog.set_level(logging.INFO)
    assert await runner.run_due(at(11, 15, 21, 0)) == []  # back at 21:00: too late tonight
    assert await runner.run_due(at(11, 15, 22, 30)) == []
    statuses = {row[4] for row in await services.campaigns.ledger.rows("udhr")}
    assert statuses == {"missed"}
    notes = [r for r in caplog.records if "too late in the day" in r.getMessage()]
    assert len(notes) == 4 and all(r.levelno == logging.INFO for r in notes)  # once per target
    assert len(await runner.run_due(at(11, 16, 10, 1))) == 4  # the next day posts as usual
    await services.db.close()


async def test_the_evening_limit_is_a_setting(tmp_path: Path) -> None:
    services = await _services(tmp_path, campaign_catch_up_until="12:00")
    runner = services.campaigns.runner
    assert await runner.run_due(at(11, 15, 9, 0)) == []
    assert await runner.run_due(at(11, 15, 12, 0)) == []
    services2 = await _services(tmp_path / "b", campaign_catch_up_until="23:30")
    runner2 = services2.campaigns.runner
    assert await runner2.run_due(at(11, 15, 9, 0)) == []
    assert len(await runner2.run_due(at(11, 15, 23, 0))) == 4
    await services.db.close()
    await services2.db.close()


async def test_a_fresh_deployment_does_not_open_with_posts_due_hours_ago(tmp_path: Path) -> None:
    services = await _services(tmp_path)
    runner = services.campaigns.runner
    assert await runner.run_due(at(11, 15, 12, 0)) == []  # first start, two hours after 10:00
    assert await runner.run_due(at(11, 15, 12, 5)) == []  # and not a moment later either
    assert len(await runner.run_due(at(11, 16, 10, 0))) == 4  # from the next day on, as usual
    await services.db.close()
    # Restarted later the same day: it is not a first start any more, so a post missed while
    # the bot was down goes out late as usual.
    again = await _services(tmp_path)
    assert len(await again.campaigns.runner.run_due(at(11, 17, 15, 0))) == 4
    await again.db.close()


async def test_a_first_start_just_after_the_posting_time_still_posts(tmp_path: Path) -> None:
    services = await _services(tmp_path)
    assert len(await services.campaigns.runner.run_due(at(11, 15, 10, 40))) == 4
    await services.db.close()
