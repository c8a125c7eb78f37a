"""Run modes: long polling, or a webhook server (aiohttp) when WEBHOOK_URL is set.

SIGTERM and SIGINT stop intake, let in-flight updates finish, and close the database.
"""

from __future__ import annotations

import argparse
import asyncio
import logging

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.app import build_bot, build_dispatcher, create_services
from bot.clock import system_clock
from bot.config import Settings, load_settings
from bot.logging_setup import setup_logging

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram"


async def run_polling(settings: Settings) -> None:
    services = await create_services(settings, clock=system_clock)
    bot = build_bot(settings)
    dp = build_dispatcher(services)
    await bot.delete_webhook(drop_pending_updates=False)
    await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types(), handle_signals=True)


def build_webhook_app(settings: Settings, bot: Bot, dp: Dispatcher) -> web.Application:
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    app = web.Application()

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app.router.add_get("/healthz", healthz)
    SimpleRequestHandler(dispatcher=dp, bot=bot, secret_token=secret).register(app, WEBHOOK_PATH)

    async def set_webhook(bot: Bot) -> None:
        assert settings.webhook_url is not None
        await bot.set_webhook(
            settings.webhook_url.rstrip("/") + WEBHOOK_PATH,
            secret_token=secret,
            allowed_updates=dp.resolve_used_update_types(),
        )

    dp.startup.register(set_webhook)
    setup_application(app, dp, bot=bot)
    return app


def run_webhook(settings: Settings) -> None:
    async def make_app() -> web.Application:
        services = await create_services(settings, clock=system_clock)
        bot = build_bot(settings)
        return build_webhook_app(settings, bot, build_dispatcher(services))

    host, port = settings.listen_host_port
    # run_app turns SIGTERM/SIGINT into a graceful shutdown that runs the dispatcher's shutdown.
    web.run_app(make_app(), host=host, port=port, print=None, access_log=None)


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    setup_logging(settings.log_level)
    if settings.webhook_url:
        if settings.webhook_secret is None:
            log.error("WEBHOOK_SECRET is required with WEBHOOK_URL")
            return 2
        run_webhook(settings)
    else:
        asyncio.run(run_polling(settings))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help="run the bot (the default): polling or webhook")
    parser.set_defaults(func=run)
