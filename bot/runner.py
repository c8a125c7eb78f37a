"""Run modes: long polling, or a webhook server (aiohttp) when WEBHOOK_URL is set.

SIGTERM and SIGINT stop intake, let in-flight updates finish, and close the database.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError
from aiogram.webhook.aiohttp_server import setup_application
from aiohttp import web
from aiohttp_socks import ProxyConnectionError, ProxyError, ProxyTimeoutError

from bot.api_session import CALLER_PACES, NoteContact, PollWatch
from bot.app import build_bot, build_dispatcher, create_app
from bot.clock import system_clock
from bot.config import ConfigError, Settings, check_database_folder, load_settings
from bot.heartbeat import Heartbeat, heartbeat_path
from bot.instance import InstanceLock
from bot.logging_setup import setup_logging
from bot.webhook_answer import AnsweringRequestHandler, AnswerInResponse

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram"
MAX_WEBHOOK_CONNECTIONS = 100  # Telegram's ceiling for setWebhook's max_connections


async def first_contact(bot: Bot, settings: Settings) -> None:
    """One getMe before anything else starts: a proxy or an API base that cannot be reached, or
    a token Telegram refuses, stops the start-up with one line naming the setting."""
    token = CALLER_PACES.set(True)  # no quiet retries: one try, one line
    try:
        await bot.me()  # cached: the start-up hook asks again
    except TelegramUnauthorizedError:
        raise ConfigError("BOT_TOKEN is invalid: Telegram does not accept it") from None
    except (TelegramNetworkError, ProxyConnectionError, ProxyError, ProxyTimeoutError) as exc:
        reason = _reason(exc)
        if settings.proxy_url:
            raise ConfigError(
                f"PROXY_URL: cannot reach Telegram through the proxy {settings.proxy_shown}"
                f" ({reason}); check that the proxy runs and accepts this machine"
            ) from None
        raise ConfigError(
            f"TELEGRAM_API_BASE: cannot reach {settings.telegram_api_base} ({reason}); if"
            " Telegram is blocked here, set PROXY_URL"
        ) from None
    finally:
        CALLER_PACES.reset(token)


_REASONS = (
    ("refused", "connection refused"),
    ("connect call failed", "connection refused"),
    ("timed out", "timed out"),
    ("timeout", "timed out"),
    ("authentication", "the proxy refused the user name or password"),
    ("unreachable", "network unreachable"),
    ("name or service not known", "unknown host name"),
    ("reset", "connection reset"),
)


def _reason(exc: Exception) -> str:
    """A short cause without addresses or credentials."""
    text = str(exc).lower()
    return next((reason for known, reason in _REASONS if known in text), type(exc).__name__)


async def contacted_bot(settings: Settings) -> Bot:
    """A Bot that has reached Telegram once (see `first_contact`)."""
    bot = build_bot(settings)
    try:
        await first_contact(bot, settings)
    except ConfigError:
        await bot.session.close()
        raise
    return bot


def attach_heartbeat(
    settings: Settings, bot: Bot, dp: Dispatcher, probe: Callable[[], Awaitable[object]] | None
) -> Heartbeat:
    """The heartbeat the health check reads: noted on every getUpdates that returned (or on
    `probe`, with a webhook) and written by a task that lives as long as the dispatcher runs."""
    heartbeat = Heartbeat(heartbeat_path(settings.database_path), settings.heartbeat_seconds)
    bot.session.middleware(NoteContact(heartbeat.contact))
    tasks: set[asyncio.Task] = set()

    async def start() -> None:
        tasks.add(asyncio.create_task(heartbeat.run(probe), name="heartbeat"))

    async def stop() -> None:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        heartbeat.path.unlink(missing_ok=True)  # a stopped bot is not healthy

    dp.startup.register(start)
    dp.shutdown.register(stop)
    return heartbeat


def freeze_startup_objects() -> None:
    """Move every object made so far (aiogram's types and validators, the guide's index, the
    routers: ~200,000 that live as long as the process) out of the collector's sight, and turn
    collection on (`python -m bot run` starts with it off). A full collection then scans only
    what updates create: ~1 ms instead of ~145 ms, a pause every update in flight would wait for."""
    gc.freeze()
    gc.enable()


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


def build_webhook_app(settings: Settings, bot: Bot, dp: Dispatcher) -> web.Application:
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    app = web.Application()

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app.router.add_get("/healthz", healthz)
    # A tap's answer goes in the webhook's response: one HTTP request less per tap.
    bot.session.middleware(AnswerInResponse())
    AnsweringRequestHandler(dispatcher=dp, bot=bot, secret_token=secret).register(app, WEBHOOK_PATH)

    async def set_webhook(bot: Bot) -> None:
        assert settings.webhook_url is not None
        await bot.set_webhook(
            settings.webhook_url.rstrip("/") + WEBHOOK_PATH,
            secret_token=secret,
            allowed_updates=dp.resolve_used_update_types(),
            # A tap's request stays open until its answer is written into the response, so
            # Telegram's default of 40 connections would cap a crowd below what the bot serves.
            max_connections=min(MAX_WEBHOOK_CONNECTIONS, settings.update_concurrency),
        )

    dp.startup.register(set_webhook)
    setup_application(app, dp, bot=bot)
    return app


def run_webhook(settings: Settings) -> None:
    async def make_app() -> web.Application:
        bot = await contacted_bot(settings)
        services = await create_app(settings, clock=system_clock)
        dp = build_dispatcher(services)
        attach_heartbeat(settings, bot, dp, probe=bot.get_webhook_info)
        app = build_webhook_app(settings, bot, dp)
        freeze_startup_objects()
        return app

    host, port = settings.listen_host_port
    # run_app turns SIGTERM/SIGINT into a graceful shutdown that runs the dispatcher's shutdown.
    web.run_app(make_app(), host=host, port=port, print=None, access_log=None)


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    setup_logging(settings.log_level, log_format=settings.log_format)
    check_database_folder(settings.database_path)
    with InstanceLock(settings.database_path).acquire():
        if settings.webhook_url:
            run_webhook(settings)
        else:
            asyncio.run(run_polling(settings))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help="run the bot (the default): polling or webhook")
    parser.set_defaults(func=run)
