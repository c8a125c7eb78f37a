"""Admin commands: the /admin overview (overview.py), roles and audit (roles.py), /stats
(stats.py), /broadcast and /broadcasts (broadcast_*.py).

The router's filter re-reads the sender's role on every message and callback, and each step's
router checks its own permission again; for anyone without a role nothing here matches, so the
fallback answers "unknown command" / "stale button" exactly as for any other user: nothing
reveals that admin commands exist.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType

from handlers.admin import (
    broadcast_back,
    broadcast_cancel,
    broadcast_compose,
    broadcast_list,
    broadcast_send,
    overview,
    roles,
    stats,
)
from handlers.admin.filters import HasPermission


def setup() -> Router:
    router = Router(name="admin")
    staff = HasPermission()
    router.message.filter(F.chat.type == ChatType.PRIVATE, staff)
    router.callback_query.filter(staff)
    router.include_routers(
        overview.setup(),
        roles.setup(),
        stats.setup(),
        broadcast_compose.setup(),
        broadcast_send.setup(),
        broadcast_back.setup(),
        broadcast_cancel.setup(),
        broadcast_list.setup(),
    )
    return router
