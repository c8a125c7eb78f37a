"""`?start=p_<code>`: one more join for the code today (nothing about who), then its screen."""

from __future__ import annotations

from dataclasses import replace

from aiogram.utils.i18n import gettext as _

from bot.clock import Clock
from bot.placements.service import PlacementService
from bot.screens import HOME, Screen, ScreenRegistry, ScreenRequest, render

PLACEMENT_SCREEN = "p"  # ?start=p_<code> (bot/placements/content.py PREFIX)


async def _home_with_note(screens: ScreenRegistry, request: ScreenRequest) -> Screen | None:
    home = await render(screens, request.user, request.locale, HOME)
    if home is None:
        return None
    note = _("This poster's link is out of date, but you are in the right place. Here is the menu.")
    return replace(home, text=f"<i>{note}</i>\n\n{home.text}")


async def placement_screen(
    screens: ScreenRegistry,
    placements: PlacementService,
    clock: Clock,
    request: ScreenRequest,
) -> Screen | None:
    placement = await placements.joined(request.arg, clock().date())
    if placement is None or placement.screen == PLACEMENT_SCREEN:
        return await _home_with_note(screens, request)
    entry = screens.get(placement.screen)
    screen = None
    if entry is not None and entry.deep_link:
        screen = await render(
            screens, request.user, request.locale, placement.screen, placement.arg
        )
    return screen if screen is not None else await _home_with_note(screens, request)
