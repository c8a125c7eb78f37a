"""The services a handler may use, built once per dispatcher and passed to handlers as `services`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.clock import system_clock
from bot.config import Settings
from bot.db import Database
from bot.db.users import UserRepo
from bot.i18n import Translator
from bot.pages import Pages

if TYPE_CHECKING:
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
    bot_username: str = "notorturetj_bot"
    faq: FaqService | None = None  # loaded at start-up by handlers/rights.py
    delivery: DeliveryEngine | None = None
    reports: ReportService | None = None  # only when REPORT_PUBLIC_KEYS is set (bot/reports)
    campaigns: CampaignService | None = None  # loaded on first use (bot/campaigns/service.py)

    def now(self) -> datetime:
        """Current time in the Coalition's time zone (tests replace `clock`)."""
        return self.clock().astimezone(self.settings.tz)

    async def close(self) -> None:
        """Close the databases (the reports' own file first)."""
        if self.reports is not None:
            await self.reports.store.db.close()
        await self.db.close()

    def deep_link(self, payload: str) -> str:
        return f"https://t.me/{self.bot_username}?start={payload}"
