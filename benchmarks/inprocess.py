"""What one step costs the bot itself, without a network: the real dispatcher, the real services
and the real request building and answer parsing, with a session whose Bot API answers at once.

    python -m benchmarks.inprocess --steps 3000 --scenario question [--profile 25]

Prints the CPU time per update (median of --repeat rounds) and, with --profile N, the N
functions with the most own time under cProfile. Used to find where our own overhead goes; the
throughput benchmark measures the same steps over HTTP against a same-work baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import itertools
import json
import pstats
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.enums import ParseMode
from aiogram.methods import TelegramMethod
from aiogram.types import Update

from benchmarks.harness import LOCALES, SCRIPTS
from bot.api_session import KeepResponseModels
from bot.app import build_dispatcher, create_app
from bot.clock import running_from
from bot.config import load_settings
from bot.startup import freeze_startup_objects

TOKEN = "42:inprocess"
MOMENT_ISO = "2026-04-15T12:00:00+05:00"  # outside every campaign


class InstantSession(AiohttpSession):
    """Builds each request's form as the real session does, then answers it at once with what
    Telegram would return, parsed by aiogram's own `check_response`."""

    def __init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(10)
        self.calls: list[tuple[type, dict]] | None = None  # recorded when a list

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109
    ) -> Any:
        self.build_form_data(bot=bot, method=method)
        params = method.model_dump(warnings=False)
        if self.calls is not None:
            self.calls.append((type(method), method.model_dump(exclude_none=True)))
        result: Any = True
        if method.__api_method__ in {"sendMessage", "editMessageText", "sendPhoto"}:
            chat = params.get("chat_id") or 1
            result = {
                "message_id": params.get("message_id") or next(self._ids),
                "date": 1_776_236_400,
                "chat": {"id": chat, "type": "private"},
                "text": params.get("text") or "",
            }
        elif method.__api_method__ == "getMe":
            result = {"id": 42, "is_bot": True, "first_name": "Bot", "username": "notorture_bot"}
        content = json.dumps({"ok": True, "result": result})
        return self.check_response(bot, method, 200, content).result


def _update(bot: Bot, update_id: int, user_id: int, kind: str, value: str) -> Update:
    """An update as polling gives it: parsed with the bot in its context (no remount)."""
    person = {"id": user_id, "is_bot": False, "first_name": "P"}
    chat = {"id": user_id, "type": "private"}
    message = {"message_id": update_id, "date": 1_776_236_400, "chat": chat, "from": person}
    if kind == "text":
        entities = [{"type": "bot_command", "offset": 0, "length": len(value.split()[0])}]
        data = {"text": value} | ({"entities": entities} if value.startswith("/") else {})
        raw = {"update_id": update_id, "message": message | data}
        return Update.model_validate(raw, context={"bot": bot})
    query = {
        "id": str(update_id),
        "from": person,
        "chat_instance": "ci",
        "data": value,
        "message": message
        | {"text": "screen", "from": {"id": 42, "is_bot": True, "first_name": "B"}},
    }
    raw = {"update_id": update_id, "callback_query": query}
    return Update.model_validate(raw, context={"bot": bot})


def same_work(calls: dict[int, list[tuple[type, dict]]]) -> Dispatcher:
    """A bare dispatcher that makes, for each update, the calls our bot made for it."""
    dp = Dispatcher()

    async def replay(event: Any, bot: Bot, event_update: Update) -> None:
        for method, params in calls.get(event_update.update_id, ()):
            await bot(method(**params))

    dp.message.register(replay)
    dp.callback_query.register(replay)
    return dp


async def _rounds(
    dp: Dispatcher, bot: Bot, updates: list[Update], repeat: int, profiler: Any = None
) -> list[float]:
    rounds = []
    for _ in range(repeat):
        gc.collect()
        started = time.process_time()
        if profiler is not None:
            profiler.enable()
        for update in updates:
            await dp.feed_update(bot, update)
        if profiler is not None:
            profiler.disable()
        rounds.append((time.process_time() - started) / len(updates) * 1000)
    return rounds


async def measure(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            _env_file=None,
            bot_token=TOKEN,
            telegram_api_base="http://127.0.0.1:9",
            database_path=Path(folder) / "bot.sqlite3",
            admin_ids="1",
            default_locale="ru",
            timezone="Asia/Dushanbe",
        )
        from datetime import datetime

        app = await create_app(settings, clock=running_from(datetime.fromisoformat(MOMENT_ISO)))
        dp = build_dispatcher(app)
        session = InstantSession()
        session.middleware(KeepResponseModels())
        bot = Bot(TOKEN, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
        script = SCRIPTS[args.scenario]
        users = [(5_000_000 + i, LOCALES[i % 3], script(i)) for i in range(args.users)]
        ids = itertools.count(1)
        for user_id, locale, _ in users:  # each person has chosen a language, as in the benchmark
            await app.users.get_or_create(user_id, datetime.fromisoformat(MOMENT_ISO).date())
            await app.users.set_locale(user_id, locale)
        updates = [
            _update(bot, next(ids), user_id, *steps[k % len(steps)])
            for k in range(args.steps // len(users) + 1)
            for user_id, _, steps in users
        ][: args.steps]
        for update in updates[:200]:  # warm the caches, as a running bot has
            await dp.feed_update(bot, update)
        # The calls our bot makes for each update, for the same-work dispatcher.
        calls: dict[int, list[tuple[type, dict]]] = {}
        for update in updates:
            session.calls = calls.setdefault(update.update_id, [])
            await dp.feed_update(bot, update)
        session.calls = None
        freeze_startup_objects()
        profiler = cProfile.Profile() if args.profile else None
        baseline = same_work(calls)
        ours: list[float] = []
        theirs: list[float] = []
        for _ in range(args.repeat):  # in turn, so both see the same machine
            ours += await _rounds(dp, bot, updates, 1, profiler)
            theirs += await _rounds(baseline, bot, updates, 1)
        mine, base = statistics.median(ours), statistics.median(theirs)
        print(
            f"{args.scenario}: {len(updates)} updates × {args.repeat}: CPU {mine:.3f} ms/update"
            f" (rounds {', '.join(f'{r:.3f}' for r in ours)}); same-work {base:.3f} ms/update;"
            f" ratio {base / mine:.2f}; our own {mine - base:.3f} ms/update"
        )
        if profiler is not None:
            if args.profile_file:
                profiler.dump_stats(args.profile_file)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)
        await app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", choices=sorted(SCRIPTS), default="question")
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--profile-file", help="also save the profile (for pstats, snakeviz)")
    asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    main()
