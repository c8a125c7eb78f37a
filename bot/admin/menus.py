"""The staff's command menus: one per staff chat, in the person's language, set at start-up and
whenever a role or a staff member's language changes. Citizens keep the menu they had
(bot/commands.py: the default one, or their chat's Tajik one).
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat

from bot.admin.overview import commands_of
from bot.admin.roles import AdminDirectory
from bot.commands import commands_for, set_chat_commands
from bot.db.users import UserRepo
from bot.i18n import Translator
from bot.screens import ScreenRegistry

log = logging.getLogger(__name__)


class CommandMenus:
    """Sets a chat's command menu from the person's role, read from the database each time."""

    def __init__(
        self,
        admins: AdminDirectory,
        users: UserRepo,
        screens: ScreenRegistry,
        i18n: Translator,
        *,
        default_locale: str,
        reports_on: bool,
    ) -> None:
        self.admins = admins
        self.users = users
        self.screens = screens
        self.i18n = i18n
        self.default_locale = default_locale
        self.reports_on = reports_on

    def staff_commands(self, role: str, locale: str) -> list[BotCommand]:
        """Everybody's commands first, then the ones the role may use."""
        citizens = commands_for(self.screens, self.i18n, locale)
        with self.i18n.use_locale(locale):
            staff = commands_of(role, reports_on=self.reports_on)
        taken = {c.command for c in citizens}
        return citizens + [
            BotCommand(command=name, description=text) for name, text in staff if name not in taken
        ]

    async def set_all(self, bot: Bot) -> None:
        """Start-up: every owner (ADMIN_IDS) and every stored admin and editor."""
        for user_id, _role in await self.admins.members():
            await self.refresh(bot, user_id)

    async def refresh(self, bot: Bot, user_id: int, locale: str | None = None) -> None:
        """The chat's menu for the role the person has now (none: a citizen's menu again)."""
        if locale is None:
            record = await self.users.get(user_id)
            locale = record.locale if record is not None and record.locale else None
        locale = locale or self.default_locale
        role = await self.admins.role_of(user_id)
        if role is None:
            await set_chat_commands(bot, self.screens, self.i18n, user_id, locale)
            return
        try:
            await bot.set_my_commands(
                self.staff_commands(role, locale), scope=BotCommandScopeChat(chat_id=user_id)
            )
        except TelegramAPIError as exc:  # e.g. an owner who never opened the bot
            log.info("staff command menu not set: %s", exc.__class__.__name__)

    async def language_changed(
        self, bot: Bot, user_id: int, previous: str | None, locale: str
    ) -> None:
        """A staff member's menu follows their language; a citizen's changes only when Tajik is
        chosen or left (Telegram has no Tajik interface: one API call less per pick)."""
        if await self.admins.role_of(user_id) is not None:
            if previous != locale:
                await self.refresh(bot, user_id, locale)
        elif (locale == "tg") != (previous == "tg"):
            await set_chat_commands(bot, self.screens, self.i18n, user_id, locale)
