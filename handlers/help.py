""" "Get help now" (the Coalition's hotlines) and "About the Coalition": editors' pages."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command
from aiogram.utils.i18n import lazy_gettext as __

from bot.screens import HELP, Screen, ScreenRegistry, ScreenRequest, screen_command


async def help_screen(request: ScreenRequest) -> Screen:
    return Screen(request.services.pages.get("help", request.locale))


async def about_screen(request: ScreenRequest) -> Screen:
    return Screen(request.services.pages.get("about", request.locale))


def setup(screens: ScreenRegistry) -> Router:
    router = Router(name="help")
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    screens.register(HELP, help_screen, menu_label=__("🆘 Get help now"), menu_order=20)
    screens.register("about", about_screen, menu_label=__("ℹ️ About the Coalition"), menu_order=80)
    screens.add_command("help", __("Get help now: the Coalition's hotlines"), order=1)
    screens.add_command("about", __("About the Coalition"), order=80)
    router.message.register(screen_command(HELP), Command("help", "sos"))
    router.message.register(screen_command("about"), Command("about"))
    return router
