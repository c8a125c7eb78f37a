"""The role filter every admin, campaign-admin and report-staff router puts on its updates."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import TelegramObject, User

from bot.admin.roles import AdminDirectory


class HasPermission(Filter):
    """The sender's role now (the role table in memory, changed with every commit) grants
    `permission` (any role if None).

    Used on every admin router for messages and callbacks alike; callback data is never trusted.
    """

    def __init__(self, permission: str | None = None) -> None:
        self.permission = permission

    async def __call__(
        self, event: TelegramObject, admins: AdminDirectory, event_from_user: User | None = None
    ) -> bool:
        if event_from_user is None:
            return False
        if self.permission is None:
            return await admins.role_of(event_from_user.id) is not None
        return await admins.may(event_from_user.id, self.permission)
