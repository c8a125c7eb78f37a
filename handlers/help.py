""" "Get help now" (the Coalition's hotlines) and "About the Coalition": editors' pages.

Staff (any role) see one more line and button on the help page: the way to /admin.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command
from aiogram.types import InlineKeyboardButton
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot.admin.roles import AdminDirectory
from bot.links import DeepLinks
from bot.pages import Pages
from bot.screens import (
    HELP,
    Renderer,
    Screen,
    ScreenRegistry,
    ScreenRequest,
    nav_button,
    screen_command,
)
from handlers.admin.callbacks import AdminAction, AdminCb

ABOUT = "about"
VERIFY = "verify"  # handlers/trust/verify.py: "Is this the real bot?", linked from About


def page_screen(pages: Pages, page: str, links: DeepLinks) -> Renderer:
    """A screen showing one editors' page in the reader's language (links on LINK_DOMAIN)."""

    async def render_page(request: ScreenRequest) -> Screen:
        return Screen(links.on_domain(pages.get(page, request.locale)))

    return render_page


def about_screen(pages: Pages, screens: ScreenRegistry, links: DeepLinks) -> Renderer:
    """The About page, with "Is this the real bot?" below it when that screen is wired."""

    async def render_about(request: ScreenRequest) -> Screen:
        screen = Screen(links.on_domain(pages.get(ABOUT, request.locale)))
        if screens.get(VERIFY) is not None:
            screen.rows.append([nav_button(_("✅ Is this the real bot?"), VERIFY)])
        return screen

    return render_about


def help_screen(pages: Pages, admins: AdminDirectory, links: DeepLinks) -> Renderer:
    """The help page; for staff (role read now) with the way to their tools below it."""

    async def render_help(request: ScreenRequest) -> Screen:
        screen = Screen(links.on_domain(pages.get("help", request.locale)))
        if await admins.role_of(request.user.user_id) is not None:
            screen.text += "\n\n" + _("🛠 Staff tools: /admin")
            button = InlineKeyboardButton(
                text=_("🛠 Staff tools"),
                callback_data=AdminCb(action=AdminAction.OVERVIEW).pack(),
            )
            screen.rows.append([button])
        return screen

    return render_help


def setup(
    screens: ScreenRegistry, pages: Pages, admins: AdminDirectory, links: DeepLinks
) -> Router:
    router = Router(name="help")
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    screens.register(
        HELP, help_screen(pages, admins, links), menu_label=__("🆘 Get help now"), menu_order=20
    )
    screens.register(
        ABOUT,
        about_screen(pages, screens, links),
        menu_label=__("ℹ️ About the Coalition"),
        menu_order=80,
    )
    screens.add_command("help", __("Get help now: the Coalition's hotlines"), order=1)
    screens.add_command("about", __("About the Coalition"), order=80)
    router.message.register(screen_command(HELP), Command("help", "sos"))
    router.message.register(screen_command(ABOUT), Command("about"))
    return router
