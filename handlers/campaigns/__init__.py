"""Daily campaigns: the admins' commands (admin.py) before the subscribers' screen (subscribe.py)."""

from __future__ import annotations

from aiogram import Router

from bot.campaigns.service import CampaignService
from bot.screens import ScreenRegistry
from handlers.campaigns import admin, subscribe


def setup(screens: ScreenRegistry, campaigns: CampaignService) -> Router:
    router = Router(name="campaigns")
    router.include_routers(admin.setup(), subscribe.setup(screens, campaigns))
    return router
