"""kill -9 of the bot at the moment the receipt reaches Telegram loses nothing.

The bot runs in a subprocess against the fake Bot API in this process. When the fake receives
the sendMessage that carries the receipt, the test kills the bot with SIGKILL before Telegram
answers. The database must already hold the complete report: commit happens before the receipt.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
from pathlib import Path

from bot.reports.cli import PrivateKeyFile, load_sealed, open_reports
from bot.reports.receipt import CHEAP_KDF, ReceiptSalts, derive_lookup
from bot.reports.storage import reports_path
from devtools.fake_telegram import FakeTelegram, RateLimits
from devtools.fake_telegram.models import BotEvent
from tests.conftest import TOKEN, RunningBot
from tests.processes import CHILD_START_S, spawn_bot
from tests.reports_helpers import (
    DESCRIPTION,
    PHOTO,
    RECEIPT_RE,
    Trustee,
    answer_questions,
    new_trustee,
)

RUNNER = """
import asyncio
from bot.app import build_bot, build_dispatcher, create_app
from bot.config import load_settings
from bot.reports.receipt import CHEAP_KDF
from tests.conftest import quiet_clock

async def main():
    settings = load_settings(_env_file=None)
    services = await create_app(settings, clock=quiet_clock())
    services.reports.kdf = CHEAP_KDF  # tests only: the cheapest Argon2id
    await build_dispatcher(services).start_polling(
        build_bot(settings), handle_signals=False, polling_timeout=1
    )

asyncio.run(main())
"""
USER = 7_770_123_456


async def _spawn_runner(
    fake: FakeTelegram, folder: Path, trustee: Trustee
) -> asyncio.subprocess.Process:
    """The bot of RUNNER (cheapest Argon2id) in a child process, to be killed mid-report."""
    return await spawn_bot(
        fake.base_url,
        folder,
        "-c",
        RUNNER,
        report_public_keys=trustee.config_line,
        log_level="WARNING",
    )


async def test_kill_9_when_the_receipt_is_sent_loses_nothing(tmp_path: Path) -> None:
    trustee = new_trustee()
    db_path = tmp_path / "bot.sqlite3"
    async with FakeTelegram(token=TOKEN, rate_limits=RateLimits(enabled=False)) as fake:
        process = await _spawn_runner(fake, tmp_path, trustee)
        seen: list[str] = []

        def kill_on_receipt(event: BotEvent) -> None:
            text = (event.params or {}).get("text") or ""
            if event.method == "sendMessage" and (found := RECEIPT_RE.search(str(text))):
                seen.append(found.group(0).replace(" ", ""))
                os.kill(process.pid, signal.SIGKILL)  # before Telegram even answers

        fake.on_event(kill_on_receipt)
        try:
            await fake.wait_for(
                lambda: any(m == "getUpdates" for m, _ in fake.calls), CHILD_START_S
            )
            person = RunningBot(fake, None, None, None, None)  # type: ignore[arg-type]
            await answer_questions(person, USER)
            await person.say(USER, DESCRIPTION)
            await person.send_file(USER, "photo", PHOTO)
            await person.tap(USER, "Continue")
            await person.tap(USER, "Send report")
            await fake.wait_for(lambda: seen, 20)
            assert await asyncio.wait_for(process.wait(), 10) == -signal.SIGKILL
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()

    receipt = seen[0]
    conn = sqlite3.connect(reports_path(db_path))  # reopening replays a journal, as a restart would
    lookups = [bytes(r[0]) for r in conn.execute("SELECT lookup FROM reports")]
    salts = ReceiptSalts(
        *(
            bytes(v)
            for (v,) in conn.execute(
                "SELECT value FROM report_meta WHERE item IN ('lookup_salt', 'keypair_salt') ORDER BY item DESC"
            )
        )
    )
    conn.close()
    assert lookups == [derive_lookup(receipt, CHEAP_KDF, salts)]
    opened = open_reports(
        load_sealed(reports_path(db_path)),
        PrivateKeyFile(trustee.key_id, trustee.private),
        tmp_path / "out",
    )
    entries = opened[0]["entries"]
    assert entries[0]["text"] == DESCRIPTION
    assert [e["kind"] for e in entries] == ["answers", "file"]
    assert (tmp_path / "out" / opened[0]["ref"]).iterdir().__next__().read_bytes() == PHOTO
    assert not re.search(rb"Zebrasafari", db_path.read_bytes())


NOTE = "If no receipt code appears here within a minute, your report was not saved"


async def test_kill_9_while_encrypting_stores_nothing_and_the_person_was_told(
    tmp_path: Path,
) -> None:
    """Killed between «Send report» and the commit: no half report anywhere, and the person had
    read (on the confirmation screen, and reads on the «Encrypting» message left on the phone)
    that no receipt within a minute means the report was not saved."""
    trustee = new_trustee()
    async with FakeTelegram(token=TOKEN, rate_limits=RateLimits(enabled=False)) as fake:
        process = await _spawn_runner(fake, tmp_path, trustee)
        killed: list[str] = []

        def kill_while_encrypting(event: BotEvent) -> None:
            text = str((event.params or {}).get("text") or "")
            if event.method == "editMessageText" and "Encrypting" in text and not killed:
                killed.append(text)
                os.kill(process.pid, signal.SIGKILL)  # the report is not committed yet

        fake.on_event(kill_while_encrypting)
        try:
            await fake.wait_for(
                lambda: any(m == "getUpdates" for m, _ in fake.calls), CHILD_START_S
            )
            person = RunningBot(fake, None, None, None, None)  # type: ignore[arg-type]
            await answer_questions(person, USER)
            await person.say(USER, DESCRIPTION)
            await person.send_file(USER, "photo", PHOTO)
            confirmation = await person.tap(USER, "Continue")
            await person.tap(USER, "Send report")
            await fake.wait_for(lambda: killed, 20)
            assert await asyncio.wait_for(process.wait(), 10) == -signal.SIGKILL
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()

    assert "Please check your report" in confirmation.text and NOTE in confirmation.text
    assert NOTE in killed[0]
    assert not any(RECEIPT_RE.search(m.text or "") for m in fake.chat(USER).messages)
    assert _report_rows(tmp_path) == {"reports": 0, "report_entries": 0}


def _report_rows(folder: Path) -> dict[str, int]:
    """Rows of the report tables in every database file the bot wrote there (reopening replays
    any WAL, as a restart would)."""
    rows: dict[str, int] = {}
    for path in folder.iterdir():
        if path.suffix not in (".sqlite3", ".db"):
            continue
        conn = sqlite3.connect(path)
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in {"reports", "report_entries"} & names:
            count = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            rows[table] = rows.get(table, 0) + count
        conn.close()
    return rows
