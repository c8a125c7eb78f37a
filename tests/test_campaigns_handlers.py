"""Daily posts through the fake Bot API (subscribe mid-campaign, choose, unsubscribe), the admin
commands (and their invisibility to others), the preview CLI and the demo script."""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.campaigns.content import load_campaigns
from bot.cli import main
from devtools.fake_telegram import FakeTelegram
from tests.conftest import ADMIN_ID, fixed_clock, start_bot
from tests.test_demo import run_demo_script

NOV_15 = datetime(2026, 11, 15, 9, 0, tzinfo=ZoneInfo("Asia/Dushanbe"))


async def test_subscribe_mid_campaign_choose_and_unsubscribe(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    bot = await start_bot(fake, tmp_path, clock=fixed_clock(NOV_15))
    try:
        user = 3001
        await bot.say(user, "/start")
        await bot.tap(user, "Русский")
        await bot.tap(user, "Ежедневные посты")
        shown = await bot.tap(user, "Подписаться")
        assert "6-й день из 31" in shown.text and "15.11 в 10:00" in shown.text
        assert (await bot.services.users.get(user)).subscribed
        await bot.tap(user, "Международные дни")
        assert await bot.services.campaigns.subscriptions.opted_out(user) == {"rights_days"}
        await bot.tap(user, "Отписаться")
        assert not (await bot.services.users.get(user)).subscribed
    finally:
        await bot.stop()


async def test_admin_preview_is_exact_and_hidden_from_others(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    bot = await start_bot(fake, tmp_path, clock=fixed_clock(NOV_15))

    async def say(user: int, text: str) -> object:
        fake.advance(5)  # the fake's private-chat flood limit: 1 message/s after a burst
        return await bot.say(user, text)

    try:
        await bot.say(ADMIN_ID, "/start")
        await bot.tap(ADMIN_ID, "English")
        await say(ADMIN_ID, "/preview udhr 5 tg")
        post = await fake.next_bot_message(ADMIN_ID)
        assert post.html == load_campaigns()["udhr"].posts["5"]["tg"]
        listing = await say(ADMIN_ID, "/campaigns")
        assert "udhr" in listing.text and "15.11.2026 (day 6)" in listing.text
        paused = await say(ADMIN_ID, "/pause udhr")
        assert "paused" in paused.text
        stranger = 3002
        await bot.say(stranger, "/start")
        await bot.tap(stranger, "English")
        answer = await say(stranger, "/preview udhr 5 tg")
        assert "don't know this command" in answer.text
        answer = await say(stranger, "/resume udhr")
        assert "don't know this command" in answer.text
        assert await bot.services.campaigns.ledger.paused() == {"udhr"}
        audit = await bot.services.admins.audit_entries()
        assert (ADMIN_ID, "campaign_pause", "udhr") in [
            (a.admin_id, a.action, a.target) for a in audit
        ]
    finally:
        await bot.stop()


async def test_editor_role_runs_campaigns_until_removed(fake: FakeTelegram, tmp_path: Path) -> None:
    bot = await start_bot(fake, tmp_path, clock=fixed_clock(NOV_15))
    editor = 3003
    directory = bot.services.admins
    try:
        await bot.say(editor, "/start")
        await bot.tap(editor, "English")
        await directory.set_role(ADMIN_ID, editor, "editor")
        fake.advance(5)
        listing = await bot.say(editor, "/campaigns")
        assert "udhr" in listing.text
        await directory.remove(ADMIN_ID, editor)
        fake.advance(5)
        answer = await bot.say(editor, "/campaigns")
        assert "don't know this command" in answer.text
    finally:
        await bot.stop()


def _preview(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
    tmp_path: Path,
    *args: str,
    channels: str = "",
) -> str:
    """`python -m bot campaigns preview ...` through the CLI entry point, in this process."""
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.setenv("CHANNELS", channels)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "none.sqlite3"))
    monkeypatch.chdir(tmp_path)  # no .env of a developer's checkout
    assert main(["campaigns", "preview", *args]) == 0
    return capsys.readouterr().out


def test_preview_cli_prints_the_day_and_its_targets_without_a_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, tmp_path: Path
) -> None:
    udhr = load_campaigns()["udhr"]
    run = functools.partial(_preview, monkeypatch, capsys, tmp_path)
    out = run("--date", "2026-11-15", "--lang", "tg", channels="tg:@ntj_tg")
    assert "udhr · Human Rights Day countdown · day 6 of 31" in out
    assert "→ channel (tg): @ntj_tg" in out and "bot subscribers" in out
    assert udhr.posts["6"]["tg"] in out and udhr.posts["6"]["ru"] not in out
    closing = run("--date", "2026-12-10", "--lang", "en")
    assert "CHANNELS is empty" in closing and udhr.posts["31"]["en"] in closing
    assert "No campaign posts" in run("--date", "2026-02-01")


def test_campaigns_demo_script() -> None:
    transcript = run_demo_script("campaigns.txt")
    assert "» Subscribed" in transcript  # "You joined …" is added only inside a campaign window
    assert "» Turned off" in transcript
    assert "Обуна бекор шуд" in transcript
