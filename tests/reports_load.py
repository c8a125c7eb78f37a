"""A crowd at once: wrong receipts and submissions arriving together, with peak RSS sampled.

Shared by tests/test_reports_memory.py and benchmarks/reports_bench.py. Everyone is brought to
the point of sending with the cheap Argon2id setting; the crowd then fires together with the
production setting while a thread samples this process's RSS (the bot runs in this process).
"""

from __future__ import annotations

import asyncio
import statistics
import threading
import time
from dataclasses import dataclass, field

import psutil

from bot.reports import receipt
from bot.reports.flow import QUESTIONS
from bot.reports.receipt import CHEAP_KDF, PRODUCTION_KDF
from devtools.fake_telegram import FakeTelegram
from devtools.fake_telegram.models import BotEvent, ShownMessage
from tests.conftest import RunningBot
from tests.reports_helpers import DESCRIPTION

WRONG = "1234 5678 9012 3456"


class RssSampler:
    """Peak resident memory of this process, sampled every few milliseconds in a thread."""

    def __init__(self, interval: float = 0.003) -> None:
        self._process = psutil.Process()
        self._interval = interval
        self._stop = threading.Event()
        self.peak = self._process.memory_info().rss
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._process.memory_info().rss)
            self._stop.wait(self._interval)  # not time.sleep: libfaketime breaks it (EINVAL)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


class KdfCounter:
    """Counts Argon2id derivations running at once (wraps receipt._kdf, thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now = 0
        self.most = 0
        self.total = 0
        self._original = receipt._kdf

    def __enter__(self) -> KdfCounter:
        original = self._original

        def counted(*args, **kwargs):
            with self._lock:
                self.now += 1
                self.total += 1
                self.most = max(self.most, self.now)
            try:
                return original(*args, **kwargs)
            finally:
                with self._lock:
                    self.now -= 1

        receipt._kdf = counted
        return self

    def __exit__(self, *exc: object) -> None:
        receipt._kdf = self._original


@dataclass
class LoadResult:
    idle_rss: int
    peak_rss: int
    most_derivations: int
    derivations: int
    check_answers: list[float] = field(default_factory=list)  # seconds, one per wrong receipt
    receipts: list[float] = field(default_factory=list)  # seconds, one per submission
    check_texts: list[str] = field(default_factory=list)  # what each wrong receipt was told
    seconds: float = 0.0

    @property
    def median_answer(self) -> float:
        return statistics.median(self.check_answers + self.receipts)


async def press(fake: FakeTelegram, user: int, label: str) -> ShownMessage:
    """Tap the button with this label on the newest bot message that has it; wait for the
    bot's next message or edit in this chat (each person waits for the bot, not for the crowd)."""
    message_id, data = next(
        (message.message_id, button["callback_data"])
        for message in reversed(fake.chat(user).messages)
        for row in message.reply_markup or []
        for button in row
        if label in button["text"] and "callback_data" in button
    )
    await fake.press(user, message_id, data)
    return await fake.next_bot_message(user, timeout=60)


async def type_text(fake: FakeTelegram, user: int, text: str) -> None:
    await fake.send_text(user, text)
    await fake.next_bot_message(user, timeout=60)


async def to_check_screen(fake: FakeTelegram, user: int) -> None:
    await type_text(fake, user, "/start")
    await press(fake, user, "English")
    await press(fake, user, "Check my report")


async def to_files_screen(fake: FakeTelegram, user: int) -> None:
    """Every question skipped (so no consent to statistics either), the description written."""
    await type_text(fake, user, "/start")
    await press(fake, user, "English")
    await press(fake, user, "Report anonymously")
    await press(fake, user, "Start the report")
    for _question in QUESTIONS:
        await press(fake, user, "Skip")
    await type_text(fake, user, DESCRIPTION)  # first the "✓ received" acknowledgement,
    await fake.wait_for(lambda: _has_button(fake, user, "Continue"), 60)  # then the files step


def _has_button(fake: FakeTelegram, user: int, label: str) -> bool:
    return any(
        label in button["text"]
        for message in fake.chat(user).messages
        for row in message.reply_markup or []
        for button in row
    )


async def to_confirm_screen(fake: FakeTelegram, user: int) -> None:
    await to_files_screen(fake, user)
    await press(fake, user, "Continue")


async def crowd(
    bot: RunningBot, checkers: int = 20, submitters: int = 20, patience: float = 120
) -> LoadResult:
    """`checkers` wrong receipts and `submitters` «Send report» presses, all at once."""
    reports = bot.services.reports
    assert reports is not None
    fake = bot.fake
    check_users = [8_100_000 + n for n in range(checkers)]
    send_users = [8_200_000 + n for n in range(submitters)]
    reports.kdf = CHEAP_KDF
    await asyncio.gather(
        *(to_check_screen(fake, u) for u in check_users),
        *(to_confirm_screen(fake, u) for u in send_users),
    )
    await bot.settle()
    reports.kdf = PRODUCTION_KDF
    answered: dict[int, float] = {}
    texts: dict[int, str] = {}
    started = 0.0

    def on_event(event: BotEvent) -> None:
        chat = int(event.chat_id or 0)
        if event.method == "sendMessage" and chat not in answered and started:
            answered[chat] = event.at - started
            texts[chat] = str((event.params or {}).get("text") or "")

    fake.on_event(on_event)
    buttons = {
        user: next(
            (message.message_id, b["callback_data"])
            for message in reversed(fake.chat(user).messages)
            for row in message.reply_markup or []
            for b in row
            if "Send report" in b["text"]
        )
        for user in send_users
    }
    idle = psutil.Process().memory_info().rss
    with KdfCounter() as kdf, RssSampler() as rss:
        started = time.perf_counter()
        for user in check_users:
            await fake.send_text(user, WRONG)
        for user in send_users:
            await fake.press(user, *buttons[user])
        everyone = set(check_users) | set(send_users)
        await fake.wait_for(lambda: everyone <= set(answered), patience)
        await bot.settle(patience)
        elapsed = time.perf_counter() - started
    return LoadResult(
        idle_rss=idle,
        peak_rss=rss.peak,
        most_derivations=kdf.most,
        derivations=kdf.total,
        check_answers=[answered[u] for u in check_users],
        receipts=[answered[u] for u in send_users],
        check_texts=[texts[u] for u in check_users],
        seconds=elapsed,
    )
