"""Wiring: settings → storage → services → Bot → Dispatcher → routers. No logic lives here."""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation

from bot.admin.broadcast_desk import BroadcastDesk
from bot.api_session import KeepResponseModels, RetryTransientErrors
from bot.campaigns.service import create_campaign_service
from bot.clock import Clock
from bot.commands import set_bot_profile
from bot.config import Settings
from bot.db.users import UserRepo
from bot.delivery import DeliveryEngine
from bot.i18n import Translator
from bot.middlewares import InFlightTracker, LocaleMiddleware, UserMiddleware
from bot.pages import load_pages
from bot.reports.screens import attach_reports
from bot.reports.storage import open_main_db
from bot.rights.service import load_faq_service
from bot.screens import ScreenRegistry
from bot.services import Services
from handlers import errors, setup_routers

log = logging.getLogger(__name__)
SHUTDOWN_GRACE_SECONDS = 20.0


async def create_services(settings: Settings, *, clock: Clock) -> Services:
    """Open the database and load texts; raises ContentError if a content file is broken.

    `clock` is required: the bot runs on `system_clock`, tests and the demo on a clock that
    starts at a moment they choose (so nothing depends on the day a test runs)."""
    db = await open_main_db(settings.database_path)
    services = Services(
        settings=settings,
        db=db,
        users=UserRepo(db),
        i18n=Translator(default_locale=settings.default_locale),
        pages=load_pages(),
        screens=ScreenRegistry(),
        clock=clock,
    )
    services.delivery = DeliveryEngine(db, services.users, settings, services.now)
    services.broadcasts = BroadcastDesk(
        db, services.delivery, services.i18n, settings, services.now
    )
    services.faq = load_faq_service()
    services.campaigns = create_campaign_service(db, settings, services.delivery)
    await attach_reports(services)  # only when REPORT_PUBLIC_KEYS is configured
    return services


def build_bot(settings: Settings) -> Bot:
    session = AiohttpSession(
        api=TelegramAPIServer.from_base(
            settings.telegram_api_base, is_local=settings.telegram_api_local
        ),
        proxy=settings.proxy_url,
    )
    session.middleware(KeepResponseModels())
    session.middleware(RetryTransientErrors())
    return Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(
            parse_mode=ParseMode.HTML,
            link_preview_is_disabled=True,  # previews cost data on slow networks
        ),
    )


def build_dispatcher(services: Services) -> Dispatcher:
    """A fresh dispatcher with every feature's router; tests build one per test."""
    # Event isolation: two fast taps of one user must not race on that user's state.
    dp = Dispatcher(storage=MemoryStorage(), events_isolation=SimpleEventIsolation())
    tracker = InFlightTracker()
    dp["services"] = services
    dp.workflow_data.update(services.named())
    dp["in_flight"] = tracker
    dp.update.outer_middleware(tracker)
    dp.update.outer_middleware(UserMiddleware())
    LocaleMiddleware(services.i18n).setup(dp)
    dp.include_routers(*setup_routers(services))
    errors.setup(dp)
    dp.startup.register(_on_startup)
    dp.shutdown.register(_on_shutdown)
    return dp


async def _on_startup(bot: Bot, services: Services, dispatcher: Dispatcher) -> None:
    me = await bot.me()
    if me.username:
        services.links.username = me.username
    # Commands and descriptions are not needed to answer the first update: set them later.
    task = asyncio.create_task(set_bot_profile(bot, services))
    dispatcher["background"] = {task}
    task.add_done_callback(dispatcher["background"].discard)
    from jobs import start_scheduler

    dispatcher["scheduler"] = start_scheduler(services, bot)
    if services.delivery is not None:
        await services.delivery.start(bot)
    if services.broadcasts is not None:
        await services.broadcasts.start(bot)  # progress messages of unfinished broadcasts
    log.info("bot started")


async def _on_shutdown(bot: Bot, services: Services, dispatcher: Dispatcher) -> None:
    tracker: InFlightTracker = dispatcher["in_flight"]
    if not await tracker.drain(SHUTDOWN_GRACE_SECONDS):
        log.warning("shutdown: %d updates still running after the grace period", tracker.count)
    scheduler = dispatcher.workflow_data.get("scheduler")
    if scheduler is not None and scheduler.running:
        from jobs import stop_scheduler

        if not await stop_scheduler(scheduler, SHUTDOWN_GRACE_SECONDS):
            log.warning("shutdown: a scheduled job was still running after the grace period")
    for task in list(dispatcher.workflow_data.get("background", ())):
        task.cancel()
    from jobs.reports import wipe_at_shutdown

    await wipe_at_shutdown(services, bot)  # the phone forgets: nothing waits for a restart
    if services.broadcasts is not None:
        await services.broadcasts.stop()
    if services.delivery is not None:
        await services.delivery.stop()
    await services.close()
    log.info("bot stopped")
