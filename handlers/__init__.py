"""Feature routers, in the order they see updates. The catch-all fallback is always last."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from aiogram import Router

from bot.admin.roles import AdminDirectory
from bot.articles.service import ArticleService
from bot.campaigns.service import CampaignService
from bot.clock import Clock
from bot.config import Settings
from bot.links import DeepLinks
from bot.pages import Pages
from bot.placements.service import PlacementService
from bot.quiz.service import QuizService
from bot.receptions.service import ReceptionService
from bot.reports.service import ReportService
from bot.rights.service import FaqService
from bot.screens import ScreenRegistry, render
from handlers import admin, fallback, help, rights, start, trust
from handlers import articles as articles_feature
from handlers import campaigns as campaigns_feature
from handlers import placements as placements_feature
from handlers import quiz as quiz_feature
from handlers import receptions as receptions_feature
from handlers import reports as reports_feature
from handlers.idle_routers import skip_idle_routers
from handlers.inline_filters import run_plain_filters_inline
from handlers.shared_observers import lean


def setup_routers(
    *,
    screens: ScreenRegistry,
    pages: Pages,
    faq: FaqService,
    links: DeepLinks,
    campaigns: CampaignService,
    reports: ReportService | None,
    admins: AdminDirectory,
    articles: ArticleService,
    settings: Settings,
    receptions: ReceptionService,
    placements: PlacementService,
    quiz: QuizService,
    clock: Clock,
) -> list[Router]:
    """Build fresh routers (a Router can be included once, so tests get new ones every time).

    Each feature gets, by name, what its screens and handlers are built from. The reports
    routers exist only with trustee keys (REPORT_PUBLIC_KEYS); their exits show the main menu.
    Each feature's empty observers are shared as soon as it is built (`lean`), so the next
    feature's routers reuse the memory they took."""
    report_routers = (
        [partial(reports_feature.setup, screens, reports, partial(render, screens))]
        if reports is not None
        else []
    )
    builders: list[Callable[[], Router]] = [
        partial(start.setup, screens),
        partial(help.setup, screens, pages, admins, links),  # staff also see the way to /admin
        admin.setup,  # its filter re-checks the role; others fall through unchanged
        *report_routers,  # early: a report session's texts must not reach FAQ search
        partial(campaigns_feature.setup, screens, campaigns),  # admin commands, then subscribers'
        partial(articles_feature.setup, screens, articles),  # the website's articles, photos
        partial(
            trust.setup,
            screens,
            pages,
            links,
            channels=settings.channels,
            retention_days=settings.report_retention_days,
            inline_mode=settings.inline_mode,
        ),
        partial(receptions_feature.setup, screens, receptions, clock),  # staff, then the people's
        partial(placements_feature.setup, screens, placements, clock),  # ?start=p_<code>, /qr
        partial(quiz_feature.setup, screens, quiz, clock),  # staff, nicknames, poll answers
        partial(rights.setup, screens, faq, links),  # free text: the guide's answers, articles
        fallback.setup,
    ]
    routers = [lean(build()) for build in builders]  # built one after another, in this order
    for router in routers:
        run_plain_filters_inline(router)  # cheap predicates: no thread hop per update
        skip_idle_routers(router)  # a tap never enters the guide's routers, and so on
    return routers
