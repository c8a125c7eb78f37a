"""Wiring of the report feature: the service, and the two menu screens, only when keys are set.

Without REPORT_PUBLIC_KEYS there is nobody to seal reports to, so the feature stays invisible.
"""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot.reports import flow
from bot.reports.callbacks import ReportCb
from bot.reports.service import ReportService
from bot.reports.storage import deployment_salts, open_reports_db, reports_path
from bot.reports.store import ReportStore
from bot.screens import Screen, ScreenRequest
from bot.services import Services

REPORT_SCREEN = "report"
CHECK_SCREEN = "check"


async def report_screen(request: ScreenRequest) -> Screen | None:
    reports = request.services.reports
    if reports is None:
        return None
    # The explanation screen is a session of its own: it goes like every report message.
    session = reports.sessions.start(request.user.user_id, "intro")
    return Screen(
        flow.honesty_text(),
        flow.honesty_markup(),
        footer=False,
        on_shown=lambda _chat, ids: session.track(*ids),
    )


async def check_screen(request: ScreenRequest) -> Screen | None:
    reports = request.services.reports
    if reports is None:
        return None
    session = reports.sessions.start(request.user.user_id, "check")
    text = _(
        "<b>🔎 Check my report</b>\n\n"
        "Type your 16-digit receipt code. I delete your message at once; what I show you "
        "disappears after a few minutes."
    )
    exit_row = [InlineKeyboardButton(text=_("✖️ Exit"), callback_data=ReportCb(action="x").pack())]
    return Screen(text, [exit_row], footer=False, on_shown=lambda _chat, ids: session.track(*ids))


async def attach_reports(services: Services) -> None:
    """Create the report service (on its own database file) and its menu entries when trustee
    keys are configured."""
    settings = services.settings
    if not settings.report_public_keys:
        return
    reports_db = await open_reports_db(reports_path(settings.database_path))
    services.reports = ReportService(
        ReportStore(reports_db),
        list(settings.report_public_keys),
        services.now,
        retention_days=settings.report_retention_days,
        salts=await deployment_salts(reports_db),
    )
    services.reports.deletes.delay_seconds = settings.report_wipe_seconds
    services.screens.register(
        REPORT_SCREEN, report_screen, menu_label=__("🛡 Report anonymously"), menu_order=30
    )
    services.screens.register(
        CHECK_SCREEN, check_screen, menu_label=__("🔎 Check my report"), menu_order=40
    )
