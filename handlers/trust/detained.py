""" "🚨 I am being detained": the rights of the first hours, the hotlines, and a ready message
for a relative (copy or share; the person writes where they are). One screen, opened by the
menu and by `?start=detained`: no state, no database write, no log line, nothing kept."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CopyTextButton, InlineKeyboardButton
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot.links import DeepLinks
from bot.pages import Pages
from bot.screens import Renderer, Screen, ScreenRegistry, ScreenRequest
from bot.telegram_html import escape

DETAINED = "detained"


def detained_screen(pages: Pages, links: DeepLinks) -> Renderer:
    async def render_detained(request: ScreenRequest) -> Screen:
        locale = request.locale
        relative = pages.get("relative", locale)
        heading = _(
            "<b>✉️ A message for a relative</b>\n"
            "Copy it, write where you are instead of «…», and send it to someone you trust:"
        )
        text = "\n\n".join(
            [
                pages.get(DETAINED, locale),
                pages.get("hotlines", locale),
                f"{heading}\n<code>{escape(relative)}</code>",
            ]
        )
        rows = [
            [
                InlineKeyboardButton(
                    text=_("📋 Copy the message"), copy_text=CopyTextButton(text=relative)
                )
            ],
            [
                InlineKeyboardButton(
                    text=_("📤 Send it to a relative"), url=links.share(links.bot(), relative)
                )
            ],
        ]
        return Screen(links.on_domain(text), rows)

    return render_detained


def setup(screens: ScreenRegistry, pages: Pages, links: DeepLinks) -> Router:
    router = Router(name="trust.detained")
    screens.register(
        DETAINED,
        detained_screen(pages, links),
        menu_label=__("🚨 I am being detained"),
        menu_order=15,
    )
    return router
