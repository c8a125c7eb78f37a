"""/cancel_broadcast: discard one's own draft, or (owners, admins) stop a scheduled or running one."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.admin.broadcast_desk import BroadcastDesk
from bot.admin.roles import AdminDirectory
from handlers.admin.filters import HasPermission


async def cancel_broadcast(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    broadcasts: BroadcastDesk,
    admins: AdminDirectory,
) -> None:
    if await state.get_state() is not None:
        await state.clear()
        await message.answer(_("Broadcast discarded."))
        return
    assert message.from_user is not None
    # Discarding one's own draft (above) needs only "broadcast"; stopping a broadcast that is
    # scheduled or being sent needs "cancel" (owners, admins; not editors: bot/admin/roles.py).
    if not await admins.may(message.from_user.id, "cancel"):
        await message.answer(
            _("Only an owner or an admin can cancel a broadcast that is scheduled or being sent.")
        )
        return
    arg = (command.args or "").strip()
    found = await broadcasts.cancel(int(arg) if arg.isdigit() else None)
    if found is None:
        await message.answer(_("No broadcast is running or scheduled."))
        return
    await admins.audit(message.from_user.id, "cancel_broadcast", str(found.number))
    # Its summary ("cancelled", with the figures) went to the admin who composed it; that is
    # the one message when they cancel it themselves.
    if found.chat_id != message.chat.id:
        await message.answer(_("Broadcast {number} cancelled.").format(number=found.number))


def setup() -> Router:
    router = Router(name="admin_broadcast_cancel")
    router.message.register(
        cancel_broadcast, Command("cancel_broadcast"), HasPermission("broadcast")
    )
    return router
