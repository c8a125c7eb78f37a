"""Admins: /campaigns (what posts when), /preview, /pause, /resume, /skip, /postnow.

Every message is checked against the sender's role (read from the database each time); anyone
else falls through to the normal "unknown command" answer, so the commands are not revealed.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command

from bot.admin.roles import HasPermission
from bot.campaigns import admin
from bot.screens import ScreenRegistry


def setup(screens: ScreenRegistry) -> Router:
    router = Router(name="campaigns_admin")
    router.message.filter(F.chat.type == ChatType.PRIVATE, HasPermission("campaigns"))
    router.message.register(admin.cmd_campaigns, Command("campaigns"))
    router.message.register(admin.cmd_preview, Command("preview"))
    router.message.register(admin.cmd_pause, Command("pause"))
    router.message.register(admin.cmd_resume, Command("resume"))
    router.message.register(admin.cmd_skip, Command("skip"))
    router.message.register(admin.cmd_postnow, Command("postnow"))
    return router
