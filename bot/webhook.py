"""Webhook mode (WEBHOOK_URL set): an aiohttp server receives the updates. Loaded only in this
mode, so a polling bot never imports the web server."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import setup_application
from aiohttp import web

from bot.app import build_dispatcher, create_app
from bot.clock import system_clock
from bot.config import Settings
from bot.startup import attach_heartbeat, contacted_bot, freeze_startup_objects
from bot.webhook_answer import AnsweringRequestHandler, AnswerInResponse

WEBHOOK_PATH = "/telegram"
MAX_WEBHOOK_CONNECTIONS = 100  # Telegram's ceiling for setWebhook's max_connections


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
