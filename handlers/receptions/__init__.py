"""Mobile legal receptions: the staff's commands (staff.py) before the people's screens."""

from __future__ import annotations

from functools import partial

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command
from aiogram.utils.i18n import lazy_gettext as __

from bot.clock import Clock
from bot.receptions.service import ReceptionService
from bot.screens import ScreenRegistry, screen_command
from handlers.receptions import choose, place, staff
from handlers.receptions.callbacks import ReceptionAction, ReceptionCb
from handlers.receptions.screens import RECEPTIONS, REGION, receptions_screen, region_screen


def setup(screens: ScreenRegistry, receptions: ReceptionService, clock: Clock) -> Router:
    screens.register(
        RECEPTIONS,
        partial(receptions_screen, receptions=receptions, clock=clock),
        menu_label=__("⚖️ Free legal advice"),
        menu_order=55,
    )
    screens.register(REGION, region_screen)  # a settings screen can link here (Nav "region")
    screens.add_command("receptions", __("Free legal advice near you"), order=55)
    people = Router(name="receptions")
    people.message.filter(F.chat.type == ChatType.PRIVATE)
    people.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    people.message.register(screen_command(RECEPTIONS), Command("receptions"))
    people.callback_query.register(
        choose.on_region, ReceptionCb.filter(F.action == ReceptionAction.REGION)
    )
    people.callback_query.register(
        choose.on_remind,
        ReceptionCb.filter(F.action.in_({ReceptionAction.REMIND, ReceptionAction.UNREMIND})),
    )
    people.callback_query.register(
        place.on_place, ReceptionCb.filter(F.action == ReceptionAction.PLACE)
    )
    router = Router(name="receptions_all")
    router.include_routers(staff.setup(), people)
    return router
