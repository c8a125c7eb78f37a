"""/privacy: the privacy policy in the reader's language (Telegram clients open a bot's privacy
policy by sending /privacy when the bot has that command), also as `?start=privacy`."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.utils.i18n import lazy_gettext as __

from bot.links import DeepLinks
from bot.pages import Pages
from bot.screens import Renderer, Screen, ScreenRegistry, ScreenRequest, screen_command

PRIVACY = "privacy"


def privacy_screen(pages: Pages, links: DeepLinks, retention_days: int) -> Renderer:
    async def render_privacy(request: ScreenRequest) -> Screen:
        text = links.on_domain(pages.get(PRIVACY, request.locale))
        return Screen(text.replace("{retention_days}", str(retention_days)))

    return render_privacy


def setup(screens: ScreenRegistry, pages: Pages, links: DeepLinks, retention_days: int) -> Router:
    router = Router(name="trust.privacy")
    screens.register(PRIVACY, privacy_screen(pages, links, retention_days))
    screens.add_command("privacy", __("Privacy policy: what the bot stores"), order=85)
    router.message.register(screen_command(PRIVACY), Command("privacy"))
    return router
