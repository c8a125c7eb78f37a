"""/broadcasts: the last ten broadcasts with their numbers, state, time, audience and figures."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.admin.broadcast_desk import BroadcastDesk
from bot.admin.broadcast_text import list_text
from bot.clock import Clock
from bot.config import Settings
from handlers.admin.filters import HasPermission

RECENT = 10


async def list_broadcasts(
    message: Message, broadcasts: BroadcastDesk, settings: Settings, clock: Clock
) -> None:
    rows = await broadcasts.recent(RECENT)
    await message.answer(list_text(rows, clock(), settings))


def setup() -> Router:
    router = Router(name="admin_broadcast_list")
    router.message.register(list_broadcasts, Command("broadcasts"), HasPermission("broadcast"))
    return router
