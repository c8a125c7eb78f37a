"""Helpers for the report tests: a trustee key pair, a bot with reports on, a full report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.reports.crypto import generate_keypair
from bot.reports.keys import encode_public
from bot.reports.receipt import CHEAP_KDF
from devtools.fake_telegram import FakeTelegram
from tests.conftest import RunningBot, start_bot

# Tests use the cheapest Argon2id setting (ReportService.kdf); production uses PRODUCTION_KDF.
DESCRIPTION = "They held my brother for three days at the district police station Zebrasafari"
ADDITION = "New detail: the officer's nickname was Kuzbaraboom"
PHOTO = b"\xff\xd8\xff\xe0PHOTO-BYTES-" + bytes(range(256)) * 40
VOICE = b"OggS-VOICE-BYTES-" + bytes(reversed(range(256))) * 30
RECEIPT_RE = re.compile(r"\d{4} \d{4} \d{4} \d{4}")


@dataclass
class Trustee:
    key_id: str
    private: bytes
    public: bytes

    @property
    def config_line(self) -> str:
        return f"{self.key_id}:{encode_public(self.public)}"


def new_trustee(key_id: str = "coalition1") -> Trustee:
    private, public = generate_keypair()
    return Trustee(key_id, private, public)


async def start_reports_bot(
    fake: FakeTelegram, tmp_path: Path, trustee: Trustee, **overrides: Any
) -> RunningBot:
    overrides.setdefault("report_wipe_seconds", 0.5)  # REPORT_WIPE_SECONDS, short for tests
    harness = await start_bot(fake, tmp_path, report_public_keys=trustee.config_line, **overrides)
    reports = harness.services.reports
    assert reports is not None
    reports.kdf = CHEAP_KDF
    return harness


async def answer_questions(bot: RunningBot, user: int) -> None:
    await bot.say(user, "/start")
    if "English" in bot.buttons(user):  # a first visit: the language picker
        await bot.tap(user, "English")
    await bot.tap(user, "Report anonymously")
    await bot.tap(user, "Start the report")
    await bot.tap(user, "A witness")
    await bot.tap(user, "Skip")  # year
    await bot.tap(user, "3")  # month
    await bot.tap(user, "Police")
    await bot.tap(user, "Sughd")
    await bot.tap(user, "Beating")
    await bot.tap(user, "No lawyer")
    await bot.tap(user, "Done")
    await bot.tap(user, "No")  # danger
    await bot.tap(user, "Yes")  # contact
    await bot.tap(user, "Yes")  # statistics


async def full_report(bot: RunningBot, user: int) -> str:
    """Answer everything, add a photo and a voice note, send; returns the receipt digits."""
    await answer_questions(bot, user)
    await bot.say(user, DESCRIPTION)
    await bot.send_file(user, "photo", PHOTO)
    await bot.send_file(user, "voice", VOICE)
    await bot.tap(user, "Continue")
    await bot.tap(user, "Send report")
    shown = await bot.fake.wait_for(lambda: _receipt_in_chat(bot, user), 10)
    return shown.replace(" ", "")


def _receipt_in_chat(bot: RunningBot, user: int) -> str | None:
    for message in bot.fake.chat(user).messages:
        if message.from_bot and message.text and (found := RECEIPT_RE.search(message.text)):
            return found.group(0)
    return None


def open_offline(
    source: Path, key: Path, out: Path | None, capsys: Any, as_json: bool = True
) -> str:
    """Run `python -m bot reports open` in-process and return what it printed."""
    from bot.cli import main

    capsys.readouterr()
    argv = ["reports", "open", str(source), "--key", str(key)]
    argv += ["--out", str(out)] if out else ["--out", str(key.parent / "opened-md")]
    argv += ["--json"] if as_json else []
    assert main(argv) == 0
    return capsys.readouterr().out
