"""`python -m bot run`: long polling, or a webhook server (aiohttp, `bot/webhook.py`) when
WEBHOOK_URL is set.

SIGTERM and SIGINT stop intake, let in-flight updates finish, and close the database.
"""

from __future__ import annotations

import argparse
import asyncio

from bot.api_session import PollWatch
from bot.app import build_dispatcher, create_app
from bot.clock import system_clock
from bot.config import ConfigError, Settings, check_database_folder, load_settings
from bot.instance import InstanceLock
from bot.logging_setup import setup_logging
from bot.startup import attach_heartbeat, contacted_bot, freeze_startup_objects


async def run_polling(settings: Settings) -> None:
    bot = await contacted_bot(settings)
    services = await create_app(settings, clock=system_clock)
    dp = build_dispatcher(services)
    freeze_startup_objects()
    attach_heartbeat(settings, bot, dp, probe=None)
    conflicts: list[bool] = []

    def on_conflict() -> None:
        conflicts.append(True)
        asyncio.get_running_loop().call_soon(lambda: asyncio.ensure_future(dp.stop_polling()))

    watch = PollWatch(settings.poll_settle_seconds, on_conflict)
    bot.session.middleware(watch)
    dp["polling_established"] = watch.established  # scheduled posts wait for it (bot/app.py)
    await bot.delete_webhook(drop_pending_updates=False)
    await dp.start_polling(
        bot,
        allowed_updates=dp.resolve_used_update_types(),
        handle_signals=True,
        tasks_concurrency_limit=settings.update_concurrency,  # a backlog after downtime
    )
    if conflicts:
        raise ConfigError(
            "BOT_TOKEN: another process already receives this bot's updates (Telegram answered"
            " Conflict); stop it first: one bot process per token"
        )


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    setup_logging(settings.log_level, log_format=settings.log_format)
    check_database_folder(settings.database_path)
    with InstanceLock(settings.database_path).acquire():
        if settings.webhook_url:
            from bot.webhook import run_webhook  # the web server only in this mode

            run_webhook(settings)
        else:
            asyncio.run(run_polling(settings))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help="run the bot (the default): polling or webhook")
    parser.set_defaults(func=run)
