""" "✅ Is this the real bot?": the exact @username (learnt from getMe), the channels, what the
real bot never asks, how to report a fake. Opened from About, by `?start=verify` and /verify."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import InlineKeyboardButton
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot.config import ChannelTarget
from bot.links import DeepLinks
from bot.pages import Pages
from bot.screens import Renderer, Screen, ScreenRegistry, ScreenRequest, screen_command
from bot.telegram_html import escape

VERIFY = "verify"


def public_channels(channels: list[ChannelTarget]) -> list[str]:
    """The channels people can look up: "@name" ones (a numeric id means nothing to a reader)."""
    names = [channel.chat for channel in channels if channel.chat.startswith("@")]
    return list(dict.fromkeys(names))


def verify_screen(pages: Pages, links: DeepLinks, channels: list[ChannelTarget]) -> Renderer:
    async def render_verify(request: ScreenRequest) -> Screen:
        lines = [
            _("<b>✅ Is this the real bot?</b>"),
            "",
            _(
                "The Coalition's bot is <b>@{username}</b>, exactly so. Tap the name at the top "
                "of this chat: its profile must show this @username, letter by letter."
            ).format(username=escape(links.username)),
        ]
        names = public_channels(channels)
        if names:
            shown = ", ".join(f"<b>{escape(name)}</b>" for name in names)
            lines.append(_("The Coalition's channels: {channels}").format(channels=shown))
        text = "\n".join(lines) + "\n\n" + links.on_domain(pages.get(VERIFY, request.locale))
        rows = [
            [InlineKeyboardButton(text=f"📢 {name}", url=links.chat(name.lstrip("@")))]
            for name in names
        ]
        note = _("The Coalition's real bot: @{username}").format(username=links.username)
        share = links.share(links.start(VERIFY), note)
        rows.append([InlineKeyboardButton(text=_("📤 Share"), url=share)])
        return Screen(text, rows)

    return render_verify


def setup(
    screens: ScreenRegistry, pages: Pages, links: DeepLinks, channels: list[ChannelTarget]
) -> Router:
    router = Router(name="trust.verify")
    screens.register(VERIFY, verify_screen(pages, links, channels))
    screens.add_command("verify", __("Is this the real bot? How to recognise fakes"), order=86)
    router.message.register(screen_command(VERIFY), Command("verify"))
    return router
