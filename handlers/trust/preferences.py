"""/settings: language, daily posts and region in one screen. Each button opens the screen that
already does the job (the language picker, the subscriptions); a button appears only when the
screen it opens is registered in this dispatcher (the region screen comes with its feature)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot import language_name
from bot.screens import (
    Renderer,
    Screen,
    ScreenRegistry,
    ScreenRequest,
    nav_button,
    screen_command,
)

SETTINGS = "settings"
LANGUAGE, DAILY, REGION = "language", "daily", "region"


def settings_screen(screens: ScreenRegistry) -> Renderer:
    async def render_settings(request: ScreenRequest) -> Screen:
        lines = [
            _("<b>⚙️ Settings</b>"),
            "",
            _("🌐 Language: {language}").format(language=language_name(request.locale)),
        ]
        rows = [[nav_button(_("🌐 Change the language"), LANGUAGE)]]
        if screens.get(DAILY) is not None:
            subscribed = request.user.subscribed
            lines.append(_("📰 Daily posts: on") if subscribed else _("📰 Daily posts: off"))
            rows.append([nav_button(_("📰 Daily posts and campaigns"), DAILY)])
        if screens.get(REGION) is not None:
            rows.append([nav_button(_("📍 Region"), REGION)])
        return Screen("\n".join(lines), rows)

    return render_settings


def setup(screens: ScreenRegistry) -> Router:
    router = Router(name="trust.settings")
    screens.register(SETTINGS, settings_screen(screens))
    screens.add_command("settings", __("Settings: language, daily posts, region"), order=88)
    router.message.register(screen_command(SETTINGS), Command("settings"))
    return router
