"""The services a handler may use, built once per dispatcher and passed to handlers as `services`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot.admin.roles import AdminDirectory
from bot.clock import system_clock
from bot.config import Settings
from bot.db import Database
from bot.db.users import UserRepo
from bot.i18n import Translator
from bot.links import DeepLinks
from bot.pages import Pages

if TYPE_CHECKING:
    from bot.admin.broadcast_desk import BroadcastDesk
    from bot.campaigns.service import CampaignService
    from bot.delivery import DeliveryEngine
    from bot.reports.service import ReportService
    from bot.rights.service import FaqService
    from bot.screens import ScreenRegistry


@dataclass
class Services:
    settings: Settings
    db: Database
    users: UserRepo
    i18n: Translator
    pages: Pages
    screens: ScreenRegistry
    clock: Callable[[], datetime] = system_clock
    links: DeepLinks = field(default_factory=DeepLinks)
    faq: FaqService | None = None  # built by bot.app.create_services
    delivery: DeliveryEngine | None = None
    reports: ReportService | None = None  # only when REPORT_PUBLIC_KEYS is set (bot/reports)
    campaigns: CampaignService | None = None  # built by bot.app.create_services
    broadcasts: BroadcastDesk | None = None  # built by bot.app.create_services

    def now(self) -> datetime:
        """Current time in the Coalition's time zone (tests replace `clock`)."""
        return self.clock().astimezone(self.settings.tz)

    async def close(self) -> None:
        """Close the databases (the reports' own file first)."""
        if self.reports is not None:
            await self.reports.store.db.close()
        await self.db.close()

    def deep_link(self, payload: str) -> str:
        return self.links.start(payload)

    def named(self) -> dict[str, object]:
        """What handlers receive by parameter name (aiogram injects dispatcher data by name).
        `clock` reads the time in the Coalition's time zone; `reports` only when configured."""
        named: dict[str, object] = {
            "settings": self.settings,
            "clock": self.now,
            "users": self.users,
            "i18n": self.i18n,
            "pages": self.pages,
            "screens": self.screens,
            "links": self.links,
            "faq": self.faq,
            "campaigns": self.campaigns,
            "delivery": self.delivery,
            "broadcasts": self.broadcasts,
            "admins": AdminDirectory(self.db, self.settings),
        }
        if self.reports is not None:
            named["reports"] = self.reports
        return named
