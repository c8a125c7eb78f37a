"""Feature routers, in the order they see updates. The catch-all fallback is always last."""

from __future__ import annotations

from functools import partial

from aiogram import Router

from bot.screens import render
from bot.services import Services
from handlers import admin, campaigns, fallback, help, reports, rights, start


def setup_routers(services: Services) -> list[Router]:
    """Build fresh routers (a Router can be included once, so tests get new ones every time).

    Each feature gets, by name, what its screens and handlers are built from."""
    screens = services.screens
    assert services.campaigns is not None  # built by bot.app.create_services
    # Reports exist only with trustee keys (REPORT_PUBLIC_KEYS); exits show the main menu.
    report_routers = (
        [reports.setup(screens, services.reports, partial(render, screens))]
        if services.reports is not None
        else []
    )
    return [
        start.setup(screens),
        help.setup(screens, services.pages),
        admin.setup(),  # its filter re-checks the role; others fall through unchanged
        *report_routers,  # early: a report session's texts must not reach FAQ search
        campaigns.setup(screens, services.campaigns),  # admin commands, then the subscribers'
        rights.setup(screens, services.faq, services.links),
        fallback.setup(),
    ]
