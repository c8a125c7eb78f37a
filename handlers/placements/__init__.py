"""Posters and QR codes: the `p` screen behind `?start=p_<code>` (counts the day's join, then
opens the placement's screen) and the staff's /qr."""

from __future__ import annotations

from functools import partial

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command

from bot.clock import Clock
from bot.placements.service import PlacementService
from bot.screens import ScreenRegistry
from handlers.admin.filters import HasPermission
from handlers.placements import qr
from handlers.placements.joined import PLACEMENT_SCREEN, placement_screen


def setup(screens: ScreenRegistry, placements: PlacementService, clock: Clock) -> Router:
    screens.register(
        PLACEMENT_SCREEN, partial(placement_screen, screens, placements, clock)
    )  # reached by deep link only: not in the menu
    router = Router(name="placements")
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    router.message.register(qr.cmd_qr, Command("qr"), HasPermission("placements"))
    return router
