"""End to end through the fake Bot API: a full anonymous report, the receipt, the phone forgets.

These tests prove the promises of ../shared/design/anonymous-reports.md on the real bot.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import struct
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.reports.cli import write_key_file
from bot.reports.storage import reports_path
from devtools.fake_telegram import FakeTelegram
from tests.conftest import ADMIN_ID, RunningBot
from tests.reports_helpers import (
    ADDITION,
    DESCRIPTION,
    PHOTO,
    VOICE,
    Trustee,
    answer_questions,
    full_report,
    open_offline,
    start_reports_bot,
)

USER = 5_550_001_234


@pytest.fixture
async def reports_bot(
    unlimited_fake: FakeTelegram, tmp_path: Path, trustee: Trustee
) -> AsyncIterator[RunningBot]:
    harness = await start_reports_bot(unlimited_fake, tmp_path, trustee)
    try:
        yield harness
    finally:
        await harness.stop()


def db_bytes(bot: RunningBot) -> bytes:
    """Every file the bot keeps beside its database: both databases, any WAL or journal."""
    folder = Path(bot.settings.database_path).parent
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if ".sqlite3" in p.name)


def identity_patterns(user_id: int) -> list[bytes]:
    return [
        str(user_id).encode(),
        struct.pack("<q", user_id),
        struct.pack(">q", user_id),
    ]


async def test_full_report_leaves_no_plaintext_no_identity_and_the_phone_forgets(
    reports_bot: RunningBot,
) -> None:
    receipt = await full_report(reports_bot, USER)
    await reports_bot.say(USER, receipt)
    chat = reports_bot.fake.chat(USER)
    # Everything of the session goes (after the short test delay), the closing note on how to
    # delete the chat too; the user's own /start from before the session stays.
    await reports_bot.fake.wait_for(lambda: len(chat.messages) <= 1, 10)
    assert [m.text for m in chat.messages] == ["/start"]
    shown = [
        e.message.text or "" for e in reports_bot.fake.events if e.message and e.chat_id == USER
    ]
    assert any("Delete chat" in t for t in shown)

    raw = db_bytes(reports_bot)
    for secret in (DESCRIPTION.encode(), b"Zebrasafari", PHOTO[:64], VOICE[:64], receipt.encode()):
        assert secret not in raw
    for pattern in identity_patterns(USER):
        assert pattern not in raw
    # No file_id survives ingestion: the ids the bot downloaded are nowhere in the database.
    file_ids = [p["file_id"] for m, p in reports_bot.fake.calls if m == "getFile"]
    assert len(file_ids) == 2
    for file_id in file_ids:
        assert file_id.encode() not in raw


async def test_receipt_message_is_deleted_at_once_when_typed_back(
    reports_bot: RunningBot,
) -> None:
    reports_bot.services.reports.deletes.delay_seconds = 600  # only immediate deletions count
    receipt = await full_report(reports_bot, USER)
    chat = reports_bot.fake.chat(USER)
    receipt_ids = [m.message_id for m in chat.messages if m.text and receipt[:4] in m.text]
    assert receipt_ids and all(
        m.protect_content for m in chat.messages if m.message_id in receipt_ids
    )
    wrong = await reports_bot.say(USER, "1111 2222 3333 4444")
    assert "does not match" in wrong.text
    await reports_bot.say(USER, receipt)
    await reports_bot.settle()
    assert not any(receipt[:4] in (m.text or "") for m in chat.messages)
    assert set(receipt_ids) <= set(chat.deleted_ids)
    assert reports_bot.services.reports.sessions.get(USER) is None


async def test_export_opened_offline_gives_back_exactly_what_was_sent(
    reports_bot: RunningBot, trustee: Trustee, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    receipt = await full_report(reports_bot, USER)
    await reports_bot.say(USER, receipt)
    await reports_bot.say(ADMIN_ID, "/start")
    export_message = await reports_bot.say(ADMIN_ID, "/reports_export")
    assert export_message.media == "document"
    export = reports_bot.fake.file_bytes(export_message.raw["document"]["file_id"])
    assert DESCRIPTION.encode() not in export and PHOTO[:64] not in export
    export_path = tmp_path / "export.json"
    export_path.write_bytes(export)
    key_path = tmp_path / "trustee.key"
    write_key_file(key_path, trustee.key_id, trustee.private)

    out = tmp_path / "opened"
    opened = json.loads(open_offline(export_path, key_path, out, capsys))
    assert len(opened) == 1
    report = opened[0]
    assert report["category"] == "police" and report["oblast"] == "sughd"
    answers = report["entries"][0]
    assert answers["text"] == DESCRIPTION
    assert answers["answers"] == {
        "who": "witness",
        "month": "3",
        "place": "police",
        "region": "sughd",
        "what": ["beating", "no_lawyer"],
        "danger": "no",
        "contact": "yes",
        "stats": "yes",
    }
    files = sorted(p for p in (out / report["ref"]).iterdir())
    assert [p.read_bytes() for p in files] == [PHOTO, VOICE]
    # The database copy opens the same way (the staff may take the file itself).
    markdown = open_offline(
        reports_path(Path(reports_bot.settings.database_path)),
        key_path,
        None,
        capsys,
        as_json=False,
    )
    assert DESCRIPTION in markdown and "Beating, No lawyer" in markdown


async def test_staff_reply_is_readable_with_the_receipt_only(
    reports_bot: RunningBot, trustee: Trustee
) -> None:
    receipt = await full_report(reports_bot, USER)
    await reports_bot.say(USER, receipt)
    reports = reports_bot.services.reports
    ref = (await reports.store.list())[0].ref
    await reports_bot.say(ADMIN_ID, "/start")
    answer = "Please call lawyer Nodira tomorrow Xylophonic"
    confirmed = await reports_bot.say(ADMIN_ID, f"/report_reply {ref} {answer}")
    assert ref in confirmed.text
    admin_chat = reports_bot.fake.chat(ADMIN_ID)
    assert not any(answer in (m.text or "") for m in admin_chat.messages)  # admin's message deleted
    assert b"Xylophonic" not in db_bytes(reports_bot)
    status = await reports_bot.say(ADMIN_ID, f"/report_status {ref} lawyer")
    assert "referred to a lawyer" in status.text
    audit = await reports_bot.services.admins.audit_entries()
    assert {(a.action, a.target) for a in audit if a.admin_id == ADMIN_ID} >= {
        ("report_reply", ref),
        ("report_status:lawyer", ref),
    }
    assert all(answer not in (a.target or "") for a in audit)  # never the content

    other = 6_660_001
    await reports_bot.say(other, "/start")
    await reports_bot.tap(other, "English")
    await reports_bot.tap(other, "Check my report")
    miss = await reports_bot.say(other, "0000 0000 0000 0000")
    assert "No report" in miss.text and answer not in miss.text

    await reports_bot.say(USER, "/menu")
    await reports_bot.tap(USER, "Check my report")
    shown = await reports_bot.say(USER, receipt)
    assert answer in shown.text and shown.protect_content
    assert "referred to a lawyer" in shown.text
    chat = reports_bot.fake.chat(USER)
    assert not any(receipt[:4] in (m.text or "") for m in chat.messages)  # deleted at once
    # The reporter adds information: sealed as a new entry.
    await reports_bot.tap(USER, "Add information")
    added = await reports_bot.say(USER, ADDITION)
    assert "Added" in added.text
    assert b"Kuzbaraboom" not in db_bytes(reports_bot)
    # What "Check my report" showed disappears after the (short) delay.
    await reports_bot.fake.wait_for(
        lambda: not any(answer in (m.text or "") for m in chat.messages), 10
    )


async def test_wrong_receipts_get_growing_delays(reports_bot: RunningBot) -> None:
    receipt = await full_report(reports_bot, USER)
    await reports_bot.say(USER, receipt)
    await reports_bot.say(USER, "/menu")
    await reports_bot.tap(USER, "Check my report")
    for _attempt in range(3):
        miss = await reports_bot.say(USER, "1234 1234 1234 1234")
        assert "No report" in miss.text
    blocked = await reports_bot.say(USER, receipt)  # even the right code waits now
    assert "Too many wrong codes" in blocked.text


async def test_someone_in_danger_gets_the_hotlines_at_once(reports_bot: RunningBot) -> None:
    await reports_bot.say(USER, "/start")
    await reports_bot.tap(USER, "English")
    await reports_bot.tap(USER, "Report anonymously")
    await reports_bot.tap(USER, "Start the report")
    for _step in range(5):
        await reports_bot.tap(USER, "Skip")
    await reports_bot.tap(USER, "Skip")  # what happened
    await reports_bot.tap(USER, "Yes, right now")
    await reports_bot.fake.wait_for(lambda: "answer you" in reports_bot.last_text(USER))
    texts = [m.text or "" for m in reports_bot.fake.chat(USER).messages if m.from_bot]
    danger = next(t for t in texts if "hotline" in t.lower())
    for number in ("98 708 76 76", "98 787 33 33", "98 787 66 66", "+992 933 331 703"):
        assert number in danger
    assert "answer you" in texts[-1]  # the next question comes after the hotlines


async def test_exit_wipes_the_session_at_once(reports_bot: RunningBot) -> None:
    reports_bot.services.reports.deletes.delay_seconds = 600
    await answer_questions(reports_bot, USER)
    await reports_bot.say(USER, DESCRIPTION)
    await reports_bot.send_file(USER, "photo", PHOTO)
    await reports_bot.tap(USER, "Exit and delete")
    await reports_bot.settle()
    chat = reports_bot.fake.chat(USER)
    bot_texts = [m.text or "" for m in chat.messages if m.from_bot]
    assert len(bot_texts) == 1 and "Coalition" in bot_texts[0]  # one harmless menu message
    assert not any(DESCRIPTION in (m.text or "") for m in chat.messages)
    assert reports_bot.services.reports.sessions.get(USER) is None
    assert await reports_bot.services.reports.store.list() == []


async def test_oversized_and_unsupported_input_lose_nothing(reports_bot: RunningBot) -> None:
    await answer_questions(reports_bot, USER)
    short = await reports_bot.say(USER, "too short")
    assert "at least" in short.text
    await reports_bot.say(USER, "— and they did not let him see a lawyer.")
    await reports_bot.settle()
    await reports_bot.fake.send_document(USER, b"x", file_size=25 * 1024 * 1024)
    big = await reports_bot.fake.next_bot_message(USER)
    assert "20 MB" in big.text and "Nothing you entered is lost" in big.text
    reports_bot.fake.send_update(
        {
            "message": {
                "message_id": 99999,
                "date": int(reports_bot.fake.now()),
                "chat": {"id": USER, "type": "private", "first_name": "T"},
                "from": {"id": USER, "is_bot": False, "first_name": "T"},
                "location": {"latitude": 38.55, "longitude": 68.78},
            }
        }
    )
    refused = await reports_bot.fake.next_bot_message(USER)
    assert "location" in refused.text
    summary = await reports_bot.tap(USER, "Continue")
    # Both parts are kept; the summary gives their length and quotes none of it back.
    assert f"Description: {len('too short') + 2 + 40} characters" in summary.text
    assert "too short" not in summary.text and "see a lawyer" not in summary.text


async def test_reports_commands_are_for_admins_only(reports_bot: RunningBot) -> None:
    await reports_bot.say(USER, "/start")
    await reports_bot.tap(USER, "English")
    answer = await reports_bot.say(USER, "/reports_export")
    assert "don't know this command" in answer.text


async def test_staff_chat_gets_references_only_at_fixed_times_of_day(
    unlimited_fake: FakeTelegram, tmp_path: Path, trustee: Trustee
) -> None:
    staff = -100123456
    unlimited_fake.add_group(staff, title="Staff", admins=[ADMIN_ID])
    bot = await start_reports_bot(unlimited_fake, tmp_path, trustee, staff_chat_id=staff)
    try:
        from jobs.reports import notices

        # The only notice jobs are daily at the configured times: no arrival triggers one.
        jobs = [j for j in bot.dp["scheduler"].get_jobs() if j.id.startswith("reports-notices")]
        assert sorted(str(j.trigger) for j in jobs) == [
            "cron[hour='17', minute='0']",
            "cron[hour='9', minute='0']",
        ]
        for user in (USER, USER + 1):
            receipt = await full_report(bot, user)
            await bot.say(user, receipt)
        await bot.settle()
        assert [m for m in unlimited_fake.chat(staff).messages if m.from_bot] == []
        assert (
            await notices(bot.services.reports, bot.bot, bot.settings, bot.services.i18n) == 2
        )  # what the 09:00 or 17:00 job does
        sent = [m for m in unlimited_fake.chat(staff).messages if m.from_bot]
        assert len(sent) == 1
        refs = sorted(r.ref for r in await bot.services.reports.store.list())
        assert all(ref in sent[0].text for ref in refs) and "2" in sent[0].text
        # Listed in the order of the random references, not of arrival.
        assert [sent[0].text.index(ref) for ref in refs] == sorted(
            sent[0].text.index(ref) for ref in refs
        )
        assert DESCRIPTION[:20] not in sent[0].text
        assert (
            await notices(bot.services.reports, bot.bot, bot.settings, bot.services.i18n) == 0
        )  # nothing twice
    finally:
        await bot.stop()


async def test_full_flow_at_debug_logs_no_text_receipt_or_user_id(
    reports_bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    # As in test_e2e_logging: our code at DEBUG; libraries at INFO (aiosqlite's DEBUG echoes
    # every SQL parameter of every table, which is a library's debugging aid, not our log).
    caplog.set_level(logging.INFO)
    for name in ("bot", "handlers", "jobs"):
        caplog.set_level(logging.DEBUG, logger=name)
    receipt = await full_report(reports_bot, USER)
    await reports_bot.say(USER, receipt)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert DESCRIPTION not in logged and "Zebrasafari" not in logged
    assert receipt not in logged and receipt[:4] + " " not in logged
    assert str(USER) not in logged


def test_report_tables_have_no_identity_columns(tmp_path: Path) -> None:
    from bot.db import _split_sql
    from bot.reports.storage import REPORT_MIGRATIONS

    conn = sqlite3.connect(tmp_path / "schema.sqlite3")
    for statement in _split_sql((REPORT_MIGRATIONS / "0001_reports.sql").read_text()):
        conn.execute(statement)
    forbidden = (
        "user",
        "chat",
        "message",
        "file",
        "username",
        "language",
        "locale",
        "time",
        "date",
        "created",
        "forward",
        "phone",
        "name",
    )
    for table in ("reports", "report_entries", "report_meta"):
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
        assert columns
        for column in columns:
            assert not any(word in column for word in forbidden), (table, column)
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        assert "WITHOUT ROWID" in sql and "AUTOINCREMENT" not in sql


async def test_an_open_check_screen_does_not_swallow_other_questions(
    reports_bot: RunningBot,
) -> None:
    await reports_bot.say(USER, "/start")
    await reports_bot.tap(USER, "English")
    await reports_bot.tap(USER, "Check my report")
    answer = await reports_bot.say(USER, "what are my rights after detention?")
    assert "No report" not in answer.text
    assert reports_bot.services.reports.receipt_limits.wait_seconds(USER) == 0
    chat = reports_bot.fake.chat(USER)
    assert any("rights after detention" in (m.text or "") for m in chat.messages)  # not deleted
