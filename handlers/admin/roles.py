"""Owners manage roles (/admins, /admin_add, /admin_remove) and read the audit log (/audit).

A role change also changes that person's command menu (bot/admin/menus.py)."""

from __future__ import annotations

import html

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.admin.menus import CommandMenus
from bot.admin.roles import AdminDirectory, local_time
from bot.config import Settings
from handlers.admin.filters import HasPermission


async def list_admins(message: Message, admins: AdminDirectory) -> None:
    members = await admins.members()
    lines = [_("<b>Owners, admins and editors</b>")]
    lines += [f"• <code>{uid}</code> — {role}" for uid, role in members]
    lines.append(
        _("Add: /admin_add &lt;id&gt; &lt;admin|editor&gt; · remove: /admin_remove &lt;id&gt;")
    )
    await message.answer("\n".join(lines))


async def add_admin(
    message: Message, command: CommandObject, admins: AdminDirectory, menus: CommandMenus
) -> None:
    parts = (command.args or "").split()
    if len(parts) != 2 or not parts[0].isdigit() or parts[1] not in ("admin", "editor"):
        await message.answer(_("Use: /admin_add &lt;numeric id&gt; &lt;admin|editor&gt;"))
        return
    assert message.from_user is not None
    try:
        await admins.set_role(message.from_user.id, int(parts[0]), parts[1])
    except ValueError:
        await message.answer(_("Owners are set in ADMIN_IDS and cannot be changed here."))
        return
    if message.bot is not None:
        await menus.refresh(message.bot, int(parts[0]))
    await message.answer(_("Done: {id} is now {role}.").format(id=parts[0], role=parts[1]))


async def remove_admin(
    message: Message, command: CommandObject, admins: AdminDirectory, menus: CommandMenus
) -> None:
    arg = (command.args or "").strip()
    if not arg.isdigit():
        await message.answer(_("Use: /admin_remove &lt;numeric id&gt;"))
        return
    assert message.from_user is not None
    if await admins.remove(message.from_user.id, int(arg)):
        if message.bot is not None:  # back to the menu everybody has
            await menus.refresh(message.bot, int(arg))
        await message.answer(_("Done: {id} has no role any more.").format(id=arg))
    else:
        await message.answer(_("{id} has no stored role.").format(id=arg))


async def show_audit(message: Message, admins: AdminDirectory, settings: Settings) -> None:
    entries = await admins.audit_entries()
    if not entries:
        await message.answer(_("The audit log is empty."))
        return
    lines = [_("<b>Audit log</b> (newest first)")]
    lines += [
        f"• {local_time(e.at, settings.tz)} <code>{e.admin_id}</code> {html.escape(e.action)} {html.escape(e.target or '')}"
        for e in entries
    ]
    await message.answer("\n".join(lines))


def setup() -> Router:
    router = Router(name="admin_roles")
    manage = HasPermission("manage")
    router.message.register(list_admins, Command("admins"), manage)
    router.message.register(add_admin, Command("admin_add"), manage)
    router.message.register(remove_admin, Command("admin_remove"), manage)
    router.message.register(show_audit, Command("audit"), HasPermission("audit"))
    return router
