"""Wiring, the composition root: settings → storage → services → Bot → Dispatcher → routers.

Every service is built once here from what it needs (`create_app`) and handed to handlers by
name through the dispatcher (`App.named()`): no handler receives the App itself, and the
features' routers get what their screens need when they are set up. No logic lives here.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation

from bot.admin.broadcast_desk import BroadcastDesk
from bot.admin.menus import CommandMenus
from bot.admin.roles import AdminDirectory
from bot.api_session import KeepResponseModels, RetryTransientErrors
from bot.articles.service import ArticleService, create_article_service
from bot.campaigns.service import CampaignService, create_campaign_service
from bot.clock import Clock
from bot.commands import set_bot_profile
from bot.config import Settings
from bot.db import Database
from bot.db.users import UserRepo
from bot.delivery import DeliveryEngine
from bot.i18n import Translator
from bot.links import DeepLinks
from bot.middlewares import InFlightTracker, LocaleMiddleware, UserMiddleware
from bot.pages import Pages, load_pages
from bot.placements.service import PlacementService, create_placement_service
from bot.quiz.service import QuizService, create_quiz_service
from bot.receptions.service import ReceptionService, create_reception_service
from bot.reports.service import ReportService, create_report_service
from bot.reports.storage import open_main_db
from bot.rights.service import FaqService, load_faq_service
from bot.screens import ScreenRegistry
from bot.trust.inline import InlineGuide
from handlers import errors, setup_routers
from handlers.idle_routers import enter_only_able
from handlers.shared_observers import share_empty_observers
from jobs import start_scheduler, stop_scheduler
from jobs.reports import wipe_at_shutdown

log = logging.getLogger(__name__)
SHUTDOWN_GRACE_SECONDS = 20.0


@dataclass
class App:
    """What `create_app` built; the tests and the demo read it, handlers never see it."""

    settings: Settings
    clock: Clock  # as given (system_clock, or a test's); `now()` reads it in TIMEZONE
    db: Database
    users: UserRepo
    i18n: Translator
    pages: Pages
    screens: ScreenRegistry
    links: DeepLinks
    admins: AdminDirectory
    faq: FaqService
    delivery: DeliveryEngine
    broadcasts: BroadcastDesk
    campaigns: CampaignService
    reports: ReportService | None  # only when REPORT_PUBLIC_KEYS is set
    menus: CommandMenus  # the staff's per-chat command menus
    articles: ArticleService  # the website's articles (FEED_URLS; empty without feeds)
    inline_guide: InlineGuide  # the guide's inline answers (read only with INLINE_MODE=true)
    receptions: ReceptionService
    placements: PlacementService
    quiz: QuizService  # quiz evenings and the question of the day

    def now(self) -> datetime:
        """Current time in the Coalition's time zone."""
        return self.clock().astimezone(self.settings.tz)

    def named(self) -> dict[str, object]:
        """What handlers receive by parameter name (aiogram injects dispatcher data by name).
        `clock` reads the time in TIMEZONE; `reports` is there only when configured."""
        named: dict[str, object] = {
            "settings": self.settings,
            "clock": self.now,
            "users": self.users,
            "i18n": self.i18n,
            "pages": self.pages,
            "screens": self.screens,
            "links": self.links,
            "admins": self.admins,
            "faq": self.faq,
            "campaigns": self.campaigns,
            "delivery": self.delivery,
            "broadcasts": self.broadcasts,
            "menus": self.menus,
            "articles": self.articles,
            "inline_guide": self.inline_guide,
            "receptions": self.receptions,
            "placements": self.placements,
            "quiz": self.quiz,
        }
        if self.reports is not None:
            named["reports"] = self.reports
        return named

    async def close(self) -> None:
        """Close the databases (the reports' own file first)."""
        self.articles.close()
        if self.reports is not None:
            await self.reports.store.db.close()
        await self.db.close()


async def create_app(settings: Settings, *, clock: Clock) -> App:
    """Open the databases and load texts; raises ContentError if a content file is broken.

    `clock` is required: the bot runs on `system_clock`, tests and the demo on a clock that
    starts at a moment they choose (so nothing depends on the day a test runs)."""
    db = await open_main_db(settings.database_path)

    def now() -> datetime:
        return clock().astimezone(settings.tz)

    users = UserRepo(db)
    delivery = DeliveryEngine(db, users, settings, now)
    i18n = Translator(default_locale=settings.default_locale)
    admins = AdminDirectory(db, settings)
    screens = ScreenRegistry()
    reports = await create_report_service(settings, now)  # None without trustee keys
    links = DeepLinks(domain=settings.link_domain)
    articles = await create_article_service(db, settings, delivery, links, i18n, now)
    menus = CommandMenus(
        admins,
        users,
        screens,
        i18n,
        default_locale=settings.default_locale,
        reports_on=reports is not None,
    )
    faq = load_faq_service()
    campaigns = create_campaign_service(db, settings, delivery, links, i18n)
    quiz = create_quiz_service(db, settings, delivery, links, i18n, campaigns, now)
    return App(
        settings=settings,
        clock=clock,
        db=db,
        users=users,
        i18n=i18n,
        pages=load_pages(),
        screens=screens,
        links=links,
        admins=admins,
        faq=faq,
        delivery=delivery,
        broadcasts=BroadcastDesk(db, delivery, i18n, settings, now),
        campaigns=campaigns,
        reports=reports,
        menus=menus,
        articles=articles,
        inline_guide=InlineGuide(faq),
        receptions=create_reception_service(db, settings.tz, delivery),
        placements=create_placement_service(db, links),
        quiz=quiz,
    )


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


def build_dispatcher(app: App) -> Dispatcher:
    """A fresh dispatcher with every feature's router; tests build one per test."""
    # Event isolation: two fast taps of one user must not race on that user's state.
    dp = Dispatcher(storage=MemoryStorage(), events_isolation=SimpleEventIsolation())
    tracker = InFlightTracker()
    dp.workflow_data.update(app.named())
    dp["in_flight"] = tracker
    dp.update.outer_middleware(tracker)
    dp.update.outer_middleware(UserMiddleware())
    LocaleMiddleware(app.i18n).setup(dp)
    dp.include_routers(
        *setup_routers(
            screens=app.screens,
            pages=app.pages,
            faq=app.faq,
            links=app.links,
            campaigns=app.campaigns,
            reports=app.reports,
            admins=app.admins,
            articles=app.articles,
            settings=app.settings,
            receptions=app.receptions,
            placements=app.placements,
            quiz=app.quiz,
            clock=app.now,
        )
    )
    enter_only_able(dp)  # an update goes only to the feature routers that could take it
    errors.setup(dp)
    share_empty_observers(dp)  # ~1,000 empty observers become ~30 shared ones (~1 MB)

    async def on_startup(bot: Bot, dispatcher: Dispatcher) -> None:
        await _on_startup(app, bot, dispatcher)

    async def on_shutdown(bot: Bot, dispatcher: Dispatcher) -> None:
        await _on_shutdown(app, bot, dispatcher)

    dp.startup.register(on_startup)
    dp.shutdown.register(on_shutdown)
    return dp


async def _on_startup(app: App, bot: Bot, dispatcher: Dispatcher) -> None:
    me = await bot.me()
    if me.username:
        app.links.username = me.username
    if app.settings.inline_mode and not me.supports_inline_queries:
        log.warning(
            "INLINE_MODE is on but inline mode is off for this bot in @BotFather: send it"
            " /setinline, or nobody can use @bot in a chat"
        )

    # Commands and descriptions are not needed to answer the first update: set them later.
    async def profile() -> None:
        await set_bot_profile(
            bot, app.screens, app.i18n, app.settings.default_locale, app.links.username
        )
        await app.menus.set_all(bot)  # each staff chat's menu, in its language

    task = asyncio.create_task(profile())
    dispatcher["background"] = {task}
    task.add_done_callback(dispatcher["background"].discard)
    established: asyncio.Event | None = dispatcher.workflow_data.get("polling_established")
    if established is None:  # a webhook, or a test: nobody else can be polling
        _start_jobs(app, bot, dispatcher)
    else:  # polling: post nothing before this process is the one that receives the updates
        waiting = asyncio.create_task(_start_jobs_when(established, app, bot, dispatcher))
        dispatcher["background"].add(waiting)
        waiting.add_done_callback(dispatcher["background"].discard)
    await app.delivery.start(bot)
    await app.broadcasts.start(bot)  # progress messages of unfinished broadcasts
    log.info("bot started")


def _start_jobs(app: App, bot: Bot, dispatcher: Dispatcher) -> None:
    dispatcher["scheduler"] = start_scheduler(
        bot,
        settings=app.settings,
        clock=app.now,
        i18n=app.i18n,
        campaigns=app.campaigns,
        reports=app.reports,
        articles=app.articles,
        receptions=app.receptions,
        quiz=app.quiz,
    )


async def _start_jobs_when(
    established: asyncio.Event, app: App, bot: Bot, dispatcher: Dispatcher
) -> None:
    await established.wait()
    _start_jobs(app, bot, dispatcher)


async def _on_shutdown(app: App, bot: Bot, dispatcher: Dispatcher) -> None:
    tracker: InFlightTracker = dispatcher["in_flight"]
    if not await tracker.drain(SHUTDOWN_GRACE_SECONDS):
        log.warning("shutdown: %d updates still running after the grace period", tracker.count)
    scheduler = dispatcher.workflow_data.get("scheduler")
    running = scheduler is not None and scheduler.running
    if running and not await stop_scheduler(scheduler, SHUTDOWN_GRACE_SECONDS):
        log.warning("shutdown: a scheduled job was still running after the grace period")
    for task in list(dispatcher.workflow_data.get("background", ())):
        task.cancel()
    if app.reports is not None:  # the phone forgets: nothing waits for a restart
        await wipe_at_shutdown(app.reports, bot)
    await app.quiz.stop()  # a question's fan-out under way goes on after the restart
    await app.broadcasts.stop()
    await app.delivery.stop()
    await app.close()
    log.info("bot stopped")
