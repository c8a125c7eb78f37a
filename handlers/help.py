""" "Get help now" (the Coalition's hotlines) and "About the Coalition": editors' pages."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command
from aiogram.utils.i18n import lazy_gettext as __

from bot.pages import Pages
from bot.screens import HELP, Renderer, Screen, ScreenRegistry, ScreenRequest, screen_command

ABOUT = "about"


def page_screen(pages: Pages, page: str) -> Renderer:
    """A screen showing one editors' page in the reader's language."""

    async def render_page(request: ScreenRequest) -> Screen:
        return Screen(pages.get(page, request.locale))

    return render_page


def setup(screens: ScreenRegistry, pages: Pages) -> Router:
    router = Router(name="help")
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    screens.register(
        HELP, page_screen(pages, "help"), menu_label=__("🆘 Get help now"), menu_order=20
    )
    screens.register(
        ABOUT, page_screen(pages, "about"), menu_label=__("ℹ️ About the Coalition"), menu_order=80
    )
    screens.add_command("help", __("Get help now: the Coalition's hotlines"), order=1)
    screens.add_command("about", __("About the Coalition"), order=80)
    router.message.register(screen_command(HELP), Command("help", "sos"))
    router.message.register(screen_command(ABOUT), Command("about"))
    return router
