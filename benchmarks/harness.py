"""Shared benchmark machinery: the fake Bot API in this process, a bot in a child process, and
virtual users who each wait for the bot's answer before their next step (like people do).

Latency is measured on one clock (time.perf_counter in this process): from the moment an update
is queued on the fake server to the moment the fake receives the bot's answering call.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import statistics
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from devtools.fake_telegram import BotEvent, FakeTelegram, RateLimits

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:BENCH-token_for-the-fake-server"
LOCALES = ("tg", "ru", "en")
STEP_TIMEOUT = 10.0


async def start_fake() -> FakeTelegram:
    """The fake Bot API with Telegram's flood limits OFF: we measure the bot, not the limits."""
    fake = FakeTelegram(token=TOKEN, rate_limits=RateLimits(enabled=False))
    return await fake.start()


def bot_env(fake: FakeTelegram, database: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE=fake.base_url,
        DATABASE_PATH=str(database),
        LOG_LEVEL="WARNING",
        DEFAULT_LOCALE="ru",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


async def spawn(
    fake: FakeTelegram, database: Path, *args: str, **extra_env: str
) -> asyncio.subprocess.Process:
    """`python <args>` as a child process talking to the fake (default: the bot, `-m bot`)."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        *(args or ("-m", "bot")),
        cwd=ROOT,
        env=bot_env(fake, database, **extra_env),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far: a shared machine's other work
    slows the wall clock much more than it changes this."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def wait_polling(fake: FakeTelegram, timeout: float = 60.0) -> None:  # noqa: ASYNC109
    await fake.wait_for(lambda: any(m == "getUpdates" for m, _ in fake.calls), timeout)


async def stop(process: asyncio.subprocess.Process) -> str:
    """SIGTERM, wait, and return what the child wrote to stderr (warnings and errors)."""
    if process.returncode is None:
        process.terminate()
    try:
        _out, err = await asyncio.wait_for(process.communicate(), 30)
    except TimeoutError:
        process.kill()
        _out, err = await process.communicate()
    return (err or b"").decode(errors="replace")


async def seed_users(database: Path, count: int, first_id: int = 1_000_000) -> None:
    """Create the schema (the bot's own migrations) and insert `count` users at once."""
    from bot.db import Database

    db = await Database(database).open()
    await db.close()
    with sqlite3.connect(database) as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO users (user_id, locale, subscribed, first_seen) "
            "VALUES (?, ?, ?, '2025-01-01')",
            ((first_id + i, LOCALES[i % 3], i % 2) for i in range(count)),
        )


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


# ------------------------------------------------------------------------------ virtual users

Done = Callable[[BotEvent], bool]


@dataclass
class User:
    user_id: int
    # ("text", "/start"); ("tap", "n1:help:") presses that callback data; ("follow", "n1:faq:")
    # presses a button of the last screen whose data starts so (falls back to the prefix).
    steps: list[tuple[str, str]]
    position: int = 0
    last_message_id: int = 1
    last_buttons: list[str] = field(default_factory=list)
    locale: str = "en"

    def button(self, prefix: str) -> str:
        matching = [data for data in self.last_buttons if data.startswith(prefix)]
        return matching[self.user_id % len(matching)] if matching else prefix


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    timeouts: int = 0
    elapsed: float = 0.0
    late_starts: int = 0  # paced run: no idle user when an update was due

    def summary(self) -> dict[str, float]:
        count = len(self.latencies)
        return {
            "updates": count,
            "updates_per_s": count / self.elapsed if self.elapsed else 0.0,
            "p50_ms": percentile(self.latencies, 50) * 1000,
            "p99_ms": percentile(self.latencies, 99) * 1000,
            "mean_ms": (statistics.fmean(self.latencies) * 1000) if count else float("nan"),
            "timeouts": self.timeouts,
            "late_starts": self.late_starts,
        }


class Driver:
    """Pushes each user's next step and resolves it when the bot's answer arrives.

    `answered(event)` decides which call of the bot completes a step (our bot: the screen with
    its buttons; the echo bot: its single send or callback answer).
    """

    def __init__(
        self, fake: FakeTelegram, screen_complete: bool, recorder: Recorder | None = None
    ) -> None:
        self.fake = fake
        self.screen_complete = screen_complete
        self.recorder = recorder
        self._chat_waiters: dict[int, asyncio.Future[BotEvent]] = {}
        self._query_waiters: dict[str, asyncio.Future[BotEvent]] = {}
        fake.on_event(self._on_event)
        if recorder is not None:
            fake.on_call(recorder.on_call)

    def _on_event(self, event: BotEvent) -> None:
        if event.kind == "answer":
            waiter = self._query_waiters.pop(str(event.params.get("callback_query_id")), None)
            if waiter is not None and not self.screen_complete and not waiter.done():
                waiter.set_result(event)
            return
        if event.kind not in ("send", "edit") or event.chat_id is None:
            return
        waiter = self._chat_waiters.get(event.chat_id)
        if waiter is None or waiter.done():
            return
        if self.screen_complete and not (event.message and event.message.reply_markup):
            return  # an intermediate note; the step is done when the screen arrives
        waiter.set_result(event)

    async def step(self, user: User, results: Results) -> None:
        kind, value = user.steps[user.position % len(user.steps)]
        user.position += 1
        loop = asyncio.get_running_loop()
        chat_done: asyncio.Future[BotEvent] = loop.create_future()
        self._chat_waiters[user.user_id] = chat_done
        waiters = [chat_done]
        pushed = time.perf_counter()
        if kind == "text":
            if self.recorder is not None:
                self.recorder.begin(user.user_id, step_key(user.locale, "text", value))
            await self.fake.send_text(user.user_id, value, language_code=user.locale)
        else:
            data = user.button(value) if kind == "follow" else value
            self.fake._user(user.user_id, language_code=user.locale)  # as if they had typed before
            if self.recorder is not None:
                self.recorder.begin(user.user_id, step_key(user.locale, "tap", data))
            query_id = await self.fake.press(user.user_id, user.last_message_id, data, force=True)
            if self.recorder is not None:
                self.recorder.queries[query_id] = user.user_id
            if not self.screen_complete:
                query_done: asyncio.Future[BotEvent] = loop.create_future()
                self._query_waiters[query_id] = query_done
                waiters.append(query_done)
        try:
            finished, _pending = await asyncio.wait(
                waiters, timeout=STEP_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
            )
            if not finished:
                results.timeouts += 1
                return
            event = next(iter(finished)).result()
            results.latencies.append(event.at - pushed)
            if event.message is not None:
                user.last_message_id = event.message.message_id
                user.last_buttons = [
                    b["callback_data"] for b in event.message.buttons if "callback_data" in b
                ]
        finally:
            self._chat_waiters.pop(user.user_id, None)

    async def closed_loop(self, users: list[User], steps_each: int) -> Results:
        """Every user runs `steps_each` steps as fast as the bot answers: the saturation figure."""
        results = Results()

        async def run(user: User) -> None:
            for _ in range(steps_each):
                await self.step(user, results)

        started = time.perf_counter()
        await asyncio.gather(*(run(u) for u in users))
        results.elapsed = time.perf_counter() - started
        return results

    async def paced(self, users: list[User], rate: float, total: int) -> Results:
        """Updates at a fixed rate (open loop) from whichever users are not waiting for an answer."""
        results = Results()
        idle = deque(users)
        tasks: set[asyncio.Task] = set()

        became_idle = asyncio.Event()

        async def run(user: User) -> None:
            await self.step(user, results)
            idle.append(user)
            became_idle.set()

        started = time.perf_counter()
        for index in range(total):
            delay = started + index / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if not idle:
                results.late_starts += 1
                while not idle:
                    became_idle.clear()
                    await became_idle.wait()
            task = asyncio.create_task(run(idle.popleft()))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        await asyncio.gather(*tasks)
        results.elapsed = time.perf_counter() - started
        return results


def step_key(locale: str, kind: str, value: str) -> str:
    """What a step is, for the same-work baseline: the language, a text or a tap, its value."""
    return f"{locale}|{kind}|{value}"


class Recorder:
    """Records the Bot API calls our bot makes for each kind of step (the first time each step
    key is seen), so `benchmarks/replay_bot.py` can make exactly those calls and nothing else."""

    def __init__(self) -> None:
        self.calls: dict[str, list[tuple[str, dict]]] = {}
        self.queries: dict[str, int] = {}
        self._open: dict[int, tuple[str, list[tuple[str, dict]]]] = {}

    def begin(self, user_id: int, key: str) -> None:
        self._close(user_id)
        self._open[user_id] = (key, [])

    def _close(self, user_id: int) -> None:
        done = self._open.pop(user_id, None)
        if done is not None and done[0] not in self.calls:
            self.calls[done[0]] = done[1]

    def finish(self) -> dict[str, list[tuple[str, dict]]]:
        for user_id in list(self._open):
            self._close(user_id)
        return self.calls

    def on_call(self, method: str, params: dict) -> None:
        user_id = self.queries.get(str(params.get("callback_query_id")))
        if user_id is None:
            chat = params.get("chat_id")
            scope = params.get("scope")
            if chat is None and isinstance(scope, dict):
                chat = scope.get("chat_id")
            user_id = chat if isinstance(chat, int) else None
        if user_id is not None and user_id in self._open:
            self._open[user_id][1].append((method, params))


def menu_script(index: int) -> list[tuple[str, str]]:
    """/start, language, help, menu, about, /help, menu, /language, language, about (cycled)."""
    first, second = LOCALES[index % 3], LOCALES[(index + 1) % 3]
    return [
        ("text", "/start"),
        ("tap", f"l2:{first}:"),
        ("tap", "n1:help:"),
        ("tap", "n1:home:"),
        ("tap", "n1:about:"),
        ("text", "/help"),
        ("tap", "n1:home:"),
        ("text", "/language"),
        ("tap", f"l2:{second}:"),
        ("tap", "n1:about:"),
    ]


def faq_script(index: int) -> list[tuple[str, str]]:
    """/start, language, Know your rights, a topic, an answer, a typed question, a found answer,
    all topics, another topic, the menu (cycled). Questions are the FAQ's search test set."""
    locale = LOCALES[index % 3]
    questions = SEARCH_QUESTIONS[locale] or ["what are my rights"]
    return [
        ("text", "/start"),
        ("tap", f"l2:{locale}:"),
        ("follow", "n1:rights:"),
        ("follow", "n1:faqt:"),
        ("follow", "n1:faq:"),
        ("text", questions[index % len(questions)]),
        ("follow", "n1:faq:"),
        ("follow", "n1:rights:"),
        ("follow", "n1:faqt:"),
        ("tap", "n1:home:"),
    ]


def _search_questions() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {locale: [] for locale in LOCALES}
    for path in sorted((ROOT / "tests" / "data" / "search_questions").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if item.get("lang") in found and item.get("q"):
                found[item["lang"]].append(str(item["q"]))
    return found


SEARCH_QUESTIONS = _search_questions()


def start_script(index: int) -> list[tuple[str, str]]:
    """/start again and again (the first one shows the language picker)."""
    return [("text", "/start")]


def question_script(index: int) -> list[tuple[str, str]]:
    """Typed questions only, from the FAQ's search test set, in the user's language."""
    locale = LOCALES[index % 3]
    questions = SEARCH_QUESTIONS[locale] or ["what are my rights"]
    return [("text", questions[(index + k) % len(questions)]) for k in range(7)]


def taps_script(index: int) -> list[tuple[str, str]]:
    """Menu buttons: Get help now, the menu, About."""
    return [("tap", "n1:help:"), ("tap", "n1:home:"), ("tap", "n1:about:")]


def language_script(index: int) -> list[tuple[str, str]]:
    """Language picks, back and forth between two languages."""
    first, second = LOCALES[index % 3], LOCALES[(index + 1) % 3]
    return [("tap", f"l2:{first}:"), ("tap", f"l2:{second}:")]


SCRIPTS = {
    "menu": menu_script,
    "faq": faq_script,
    "start": start_script,
    "question": question_script,
    "taps": taps_script,
    "language": language_script,
}


def make_users(
    count: int, first_id: int, script: Callable[[int], list[tuple[str, str]]]
) -> list[User]:
    return [User(first_id + i, script(i), locale=LOCALES[i % 3]) for i in range(count)]
