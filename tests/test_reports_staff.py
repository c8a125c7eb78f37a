"""The staff's report views over the fake Bot API: /reports (columns, open statuses by default,
filters, pages), translated triage labels in /reports and in the staff notices, /audit in
TIMEZONE, and role checks on every command and button."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot.reports.service import Notice
from bot.reports.staff_list import PAGE_SIZE
from bot.reports.store import Triage
from devtools.fake_telegram import FakeTelegram
from handlers.reports.staff_list import ListAction, ReportListCb
from jobs.reports import notices
from tests.conftest import ADMIN_ID, RunningBot
from tests.reports_helpers import Trustee, start_reports_bot

STAFF_CHAT = -100777000
EDITOR = 5_550_002
STRANGER = 5_550_003
WEEK = date(2026, 4, 13)
REF_RE = re.compile(r"R-[2-9A-HJ-NP-Z]{6}")
CODES = ("police", "gknb", "detention", "colony", "dushanbe", "sughd", "khatlon", "danger")


@pytest.fixture
async def staff_bot(
    unlimited_fake: FakeTelegram, tmp_path: Path, trustee: Trustee
) -> AsyncIterator[RunningBot]:
    unlimited_fake.add_group(STAFF_CHAT, title="Staff", admins=[ADMIN_ID])
    harness = await start_reports_bot(unlimited_fake, tmp_path, trustee, staff_chat_id=STAFF_CHAT)
    await harness.services.admins.set_role(ADMIN_ID, EDITOR, "editor")
    try:
        yield harness
    finally:
        await harness.stop()


async def add_report(
    bot: RunningBot,
    *,
    place: str | None = "police",
    region: str | None = "sughd",
    urgency: str = "no",
    status: str = "new",
) -> str:
    store = bot.services.reports.store
    ref = await store.create(
        lookup=secrets.token_bytes(32),
        reporter_key=secrets.token_bytes(32),
        triage=Triage(place, region, urgency, True),
        entries=[],
        today=WEEK,
    )
    if status != "new":
        assert await store.set_status(ref, status)
    return ref


def refs_in(text: str) -> set[str]:
    return set(REF_RE.findall(text))


async def say(bot: RunningBot, user: int, text: str, chat_id: int | None = None):
    """A message from `user` (English Telegram), in a private chat or the staff chat."""
    await bot.settle()
    await bot.fake.send_text(user, text, chat_id=chat_id, language_code="en")
    return await bot.fake.next_bot_message(chat_id or user, timeout=5)


async def press(bot: RunningBot, user: int, message_id: int, data: str, chat_id=None) -> None:
    await bot.settle()
    await bot.fake.press(user, message_id, data, chat_id=chat_id, force=True)
    await bot.settle()


def crafted(status: str = "all", **fields: str | int) -> str:
    return ReportListCb(action=ListAction.SHOW, status=status, **fields).pack()


async def test_list_has_column_names_and_every_open_status_by_default(
    staff_bot: RunningBot,
) -> None:
    open_refs = {
        await add_report(staff_bot, status=s) for s in ("new", "in_review", "lawyer", "new")
    }
    closed = await add_report(staff_bot, status="closed")
    answer = await say(staff_bot, ADMIN_ID, "/reports")
    lines = answer.text.splitlines()
    assert "Reference · Week · Place · Region · Urgency · Status" in lines
    assert refs_in(answer.text) == open_refs and closed not in answer.text
    assert "in review" in answer.text and "referred to a lawyer" in answer.text
    row = next(line for line in lines if REF_RE.search(line))
    assert row.split(" · ")[1:] in (
        ["2026-04-13", "Police", "Sughd", "not urgent", s]
        for s in ("new", "in review", "referred to a lawyer")
    )
    # Nothing but the coarse fields: no day, no time of day.
    assert not re.search(r"\d{1,2}:\d{2}", answer.text)
    assert "status: open" in answer.text


async def test_each_filter_narrows_the_list(staff_bot: RunningBot) -> None:
    plain = await add_report(staff_bot)
    danger = await add_report(staff_bot, urgency="danger", region="khatlon")
    army = await add_report(staff_bot, place="army", region="dushanbe", status="in_review")
    closed = await add_report(staff_bot, place="army", status="closed")
    cases = {
        "status=in_review": {army},
        "status=closed": {closed},
        "closed": {closed},  # the older form
        "status=all": {plain, danger, army, closed},
        "region=khatlon": {danger},
        "place=army": {army},
        "place=army status=all": {army, closed},
        "urgency=danger": {danger},
        "region=sughd place=police urgency=no": {plain},
    }
    for args, expected in cases.items():
        answer = await say(staff_bot, ADMIN_ID, f"/reports {args}")
        assert refs_in(answer.text) == expected, args
    narrowed = await say(staff_bot, ADMIN_ID, "/reports region=khatlon urgency=danger")
    assert "region: Khatlon" in narrowed.text and "urgency: ⚠️ danger now" in narrowed.text
    empty = await say(staff_bot, ADMIN_ID, "/reports region=gbao")
    assert "No reports match these filters." in empty.text
    usage = await say(staff_bot, ADMIN_ID, "/reports region=mars")
    assert "region= " in usage.text and "sughd (Sughd)" in usage.text and not refs_in(usage.text)


async def test_status_buttons_switch_the_view_in_place(staff_bot: RunningBot) -> None:
    fresh = await add_report(staff_bot)
    closed = await add_report(staff_bot, status="closed")
    shown = await say(staff_bot, ADMIN_ID, "/reports region=sughd")
    assert refs_in(shown.text) == {fresh}
    edited = await staff_bot.tap(ADMIN_ID, "closed")
    assert edited.message_id == shown.message_id and refs_in(edited.text) == {closed}
    assert "region: Sughd" in edited.text  # the other filters stay
    assert "• closed" in [b["text"] for row in edited.reply_markup for b in row]
    again = await staff_bot.tap(ADMIN_ID, "all")
    assert refs_in(again.text) == {fresh, closed}


async def test_long_lists_come_in_pages_each_within_telegram_limits(
    unlimited_fake: FakeTelegram, tmp_path: Path, trustee: Trustee
) -> None:
    bot = await start_reports_bot(unlimited_fake, tmp_path, trustee, default_locale="tg")
    try:
        # The longest labels there are, in the language with the longest words.
        total = 2 * PAGE_SIZE + 4
        refs = {
            await add_report(bot, place="institution", region="drs", urgency="danger")
            for _ in range(total)
        }
        await bot.say(ADMIN_ID, "/start", language_code="tg")
        await bot.services.users.set_locale(ADMIN_ID, "tg")
        first = await say(bot, ADMIN_ID, "/reports status=all")
        assert "Рақам · Ҳафта · Ҷой · Вилоят · Фаврият · Ҳолат" in first.text
        assert "Саҳифаи 1 аз 3" in first.text and len(refs_in(first.text)) == PAGE_SIZE
        seen = refs_in(first.text)
        page = first
        for number in (2, 3):
            page = await bot.tap(ADMIN_ID, "▶️")
            assert f"Саҳифаи {number} аз 3" in page.text
            assert not seen & refs_in(page.text)
            seen |= refs_in(page.text)
        assert seen == refs and "▶️" not in [b["text"] for r in page.reply_markup for b in r]
        back = await bot.tap(ADMIN_ID, "◀️")
        assert "Саҳифаи 2 аз 3" in back.text
        for method, params in unlimited_fake.calls:
            if method in ("sendMessage", "editMessageText"):
                assert len(params["text"]) <= 4096
    finally:
        await bot.stop()


async def test_the_staff_chat_reads_the_list_in_its_default_language(
    staff_bot: RunningBot,
) -> None:
    ref = await add_report(staff_bot, place="gknb", region="dushanbe", urgency="danger")
    answer = await say(staff_bot, ADMIN_ID, "/reports", chat_id=STAFF_CHAT)  # an English admin
    assert "Номер · Неделя · Место · Регион · Срочность · Статус" in answer.text
    assert ref in answer.text and "Душанбе" in answer.text and "опасность сейчас" in answer.text
    assert not any(re.search(rf"\b{code}\b", answer.text) for code in CODES)
    # Its buttons answer there in the same language.
    await press(staff_bot, ADMIN_ID, answer.message_id, crafted("all"), chat_id=STAFF_CHAT)
    edited = staff_bot.fake.chat(STAFF_CHAT).messages[-1]
    assert "статус: все" in edited.text and ref in edited.text


async def notice_text(bot: RunningBot) -> str:
    reports = bot.services.reports
    reports.notices.add(Notice("R-AAAAAA", "new", "police", "dushanbe", "danger"))
    reports.notices.add(Notice("R-BBBBBB", "new", "detention", "sughd", "no"))
    reports.notices.add(Notice("R-CCCCCC", "new", None, None, "unknown"))
    assert await notices(reports, bot.bot, bot.settings, bot.services.i18n) == 3
    return bot.fake.chat(STAFF_CHAT).messages[-1].text


async def test_russian_staff_notice_shows_labels_not_codes(staff_bot: RunningBot) -> None:
    text = await notice_text(staff_bot)
    assert "Милиция · Душанбе · ⚠️ опасность сейчас" in text
    assert "Согд" in text and "R-CCCCCC · — · —" in text
    assert not any(re.search(rf"\b{code}\b", text) for code in CODES)


async def test_tajik_staff_notice_shows_labels_not_codes(
    unlimited_fake: FakeTelegram, tmp_path: Path, trustee: Trustee
) -> None:
    unlimited_fake.add_group(STAFF_CHAT, title="Staff", admins=[ADMIN_ID])
    bot = await start_reports_bot(
        unlimited_fake, tmp_path, trustee, staff_chat_id=STAFF_CHAT, default_locale="tg"
    )
    try:
        text = await notice_text(bot)
        assert "Милитсия · Душанбе · ⚠️ хатар ҳозир" in text and "Суғд" in text
        assert "Хабарҳои нав: 3" in text
        assert not any(re.search(rf"\b{code}\b", text) for code in CODES)
    finally:
        await bot.stop()


async def test_audit_shows_local_time_with_the_zone_name(staff_bot: RunningBot) -> None:
    async with staff_bot.services.db.transaction() as tx:
        await tx.execute(
            "INSERT INTO audit_log (admin_id, action, target, at) VALUES (?, ?, ?, ?)",
            (ADMIN_ID, "report_status:closed", "R-AAAAAA", "2026-12-02T04:15:00+00:00"),
        )
    answer = await say(staff_bot, ADMIN_ID, "/audit")
    assert "2026-12-02 09:15 (Asia/Dushanbe)" in answer.text
    assert "04:15" not in answer.text and "+00:00" not in answer.text


@pytest.mark.parametrize("user", [STRANGER, EDITOR])
async def test_reports_list_is_for_the_reports_permission_only(
    staff_bot: RunningBot, user: int
) -> None:
    ref = await add_report(staff_bot)
    unknown = await say(staff_bot, user, "/no_such_command")
    for command in ("/reports", "/reports status=all", "/reports region=sughd"):
        answer = await say(staff_bot, user, command)
        assert answer.text == unknown.text and ref not in answer.text


@pytest.mark.parametrize("user", [STRANGER, EDITOR])
@pytest.mark.parametrize("in_staff_chat", [False, True])
async def test_crafted_list_buttons_from_others_do_nothing(
    staff_bot: RunningBot, user: int, in_staff_chat: bool
) -> None:
    ref = await add_report(staff_bot)
    chat = STAFF_CHAT if in_staff_chat else user
    shown = await say(staff_bot, ADMIN_ID, "/reports", chat_id=STAFF_CHAT)
    target = (
        shown.message_id if in_staff_chat else (await say(staff_bot, user, "/start")).message_id
    )
    before = len(staff_bot.fake.calls)
    for data in (crafted("all"), crafted("open", page=1), crafted("closed", region="sughd")):
        await press(staff_bot, user, target, data, chat_id=chat)
    calls = staff_bot.fake.calls[before:]
    # The fallback's "stale button" answer (in a private chat it shows the main menu again);
    # nothing of the list: no reference, no column, and the staff chat's message is untouched.
    assert [m for m, _p in calls].count("answerCallbackQuery") == 3
    assert all(ref not in str(p) and "Reference" not in str(p) for _m, p in calls)
    if in_staff_chat:
        assert not [m for m, _p in calls if m in ("editMessageText", "sendMessage")]


async def test_crafted_values_from_staff_show_nothing(staff_bot: RunningBot) -> None:
    ref = await add_report(staff_bot)
    shown = await say(staff_bot, ADMIN_ID, "/reports")
    before = len(staff_bot.fake.calls)
    for data in (
        crafted("everything"),
        crafted("all", region="mars"),
        crafted("all", place="'; DROP TABLE reports"),
        crafted("all", urgency="panic"),
        crafted("all", page=-1),
    ):
        await press(staff_bot, ADMIN_ID, shown.message_id, data)
    calls = staff_bot.fake.calls[before:]
    assert not [m for m, _p in calls if m in ("editMessageText", "sendMessage")]
    assert all(ref not in str(p) for _m, p in calls)
    assert await staff_bot.services.reports.store.by_ref(ref) is not None
