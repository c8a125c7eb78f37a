"""The phone forgets when the bot process stops: SIGTERM wipes every session before the bot
closes; after kill -9 nothing the person typed is left, only neutral prompts of the bot.

The real bot (`python -m bot run`, as in production) runs in a subprocess against the fake
Bot API in this process; nothing is submitted, so the production Argon2id cost is never paid.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from devtools.fake_telegram import FakeTelegram, RateLimits
from tests.conftest import TOKEN, RunningBot
from tests.processes import CHILD_START_S, spawn_bot
from tests.reports_helpers import PHOTO, answer_questions, new_trustee
from tests.test_reports_phone import CAPTION, SIZO, typed

REPORTER = 7_770_200_001
CHECKER = 7_770_200_002


@asynccontextmanager
async def bot_process(
    fake: FakeTelegram, tmp_path: Path
) -> AsyncIterator[asyncio.subprocess.Process]:
    process = await spawn_bot(
        fake.base_url,
        tmp_path,
        report_public_keys=new_trustee().config_line,
        report_wipe_seconds="600",  # only the shutdown may wipe within this test
        log_level="WARNING",
    )
    try:
        await fake.wait_for(lambda: any(m == "getUpdates" for m, _ in fake.calls), CHILD_START_S)
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def _two_sessions(person: RunningBot, fake: FakeTelegram) -> None:
    """One person in the middle of a report (text and a captioned photo), one on Check."""
    await answer_questions(person, REPORTER)
    await person.say(REPORTER, SIZO)
    await person.send_file(REPORTER, "photo", PHOTO, caption=CAPTION)
    await person.say(CHECKER, "/start")
    await person.tap(CHECKER, "English")
    await person.tap(CHECKER, "Check my report")
    await person.settle()


def _visible(fake: FakeTelegram, user: int) -> str:
    return "\n".join(m.text or "" for m in fake.chat(user).messages)


async def test_sigterm_wipes_every_session_before_the_bot_stops(tmp_path: Path) -> None:
    async with FakeTelegram(token=TOKEN, rate_limits=RateLimits(enabled=False)) as fake:
        async with bot_process(fake, tmp_path) as process:
            person = RunningBot(fake, None, None, None, None)  # type: ignore[arg-type]
            await _two_sessions(person, fake)
            for user in (REPORTER, CHECKER):
                assert typed(fake.chat(user)) == []  # deleted on read
                assert fake.chat(user).bot_messages  # the session's prompts, for now
            process.send_signal(signal.SIGTERM)
            _out, err = await asyncio.wait_for(process.communicate(), 40)
            assert process.returncode == 0, err.decode()[-2000:]
        for user in (REPORTER, CHECKER):
            chat = fake.chat(user)
            assert chat.bot_messages == [], [m.text for m in chat.bot_messages]
            assert typed(chat) == []
            assert [m.text for m in chat.messages] == ["/start"]


async def test_after_kill_9_nothing_the_person_typed_remains(tmp_path: Path) -> None:
    async with FakeTelegram(token=TOKEN, rate_limits=RateLimits(enabled=False)) as fake:
        async with bot_process(fake, tmp_path) as process:
            person = RunningBot(fake, None, None, None, None)  # type: ignore[arg-type]
            await _two_sessions(person, fake)
            os.kill(process.pid, signal.SIGKILL)
            assert await asyncio.wait_for(process.wait(), 10) == -signal.SIGKILL
        chat = fake.chat(REPORTER)
        assert typed(chat) == []
        assert SIZO not in _visible(fake, REPORTER) and CAPTION not in _visible(fake, REPORTER)
        assert "Received, characters: 65" in _visible(fake, REPORTER)  # a neutral trace only
        assert typed(fake.chat(CHECKER)) == []
