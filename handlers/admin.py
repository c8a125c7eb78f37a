"""Admin commands: roles, audit log and /stats; the /broadcast composer is in admin_broadcast.py.

A router-level filter re-reads the sender's role on every message and callback; for anyone
without a role nothing here matches, so the fallback answers "unknown command" / "stale
button" exactly as for any other user: nothing reveals that admin commands exist.
"""

from __future__ import annotations

import asyncio
import html
from typing import Any

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.types import (
    BufferedInputFile,
    Message,
)
from aiogram.utils.i18n import gettext as _

from bot.admin import stats as admin_stats
from bot.admin.callbacks import AdminCb
from bot.admin.roles import AdminDirectory, HasPermission
from bot.screens import ScreenRegistry
from bot.services import Services
from handlers.admin_broadcast import (
    Compose,
    abort,
    cancel_broadcast,
    choose_audience,
    choose_language,
    choose_when,
    confirm,
    preview,
    receive_content,
    receive_when,
    start_broadcast,
)

# ------------------------------------------------------------------ roles and audit


async def list_admins(message: Message, services: Services) -> None:
    members = await AdminDirectory(services).members()
    lines = [_("<b>Owners, admins and editors</b>")]
    lines += [f"• <code>{uid}</code> — {role}" for uid, role in members]
    lines.append(
        _("Add: /admin_add &lt;id&gt; &lt;admin|editor&gt; · remove: /admin_remove &lt;id&gt;")
    )
    await message.answer("\n".join(lines))


async def add_admin(message: Message, command: CommandObject, services: Services) -> None:
    parts = (command.args or "").split()
    if len(parts) != 2 or not parts[0].isdigit() or parts[1] not in ("admin", "editor"):
        await message.answer(_("Use: /admin_add &lt;numeric id&gt; &lt;admin|editor&gt;"))
        return
    assert message.from_user is not None
    try:
        await AdminDirectory(services).set_role(message.from_user.id, int(parts[0]), parts[1])
    except ValueError:
        await message.answer(_("Owners are set in ADMIN_IDS and cannot be changed here."))
        return
    await message.answer(_("Done: {id} is now {role}.").format(id=parts[0], role=parts[1]))


async def remove_admin(message: Message, command: CommandObject, services: Services) -> None:
    arg = (command.args or "").strip()
    if not arg.isdigit():
        await message.answer(_("Use: /admin_remove &lt;numeric id&gt;"))
        return
    assert message.from_user is not None
    if await AdminDirectory(services).remove(message.from_user.id, int(arg)):
        await message.answer(_("Done: {id} has no role any more.").format(id=arg))
    else:
        await message.answer(_("{id} has no stored role.").format(id=arg))


async def show_audit(message: Message, services: Services) -> None:
    entries = await AdminDirectory(services).audit_entries()
    if not entries:
        await message.answer(_("The audit log is empty."))
        return
    lines = [_("<b>Audit log</b> (newest first)")]
    lines += [
        f"• {e.at} <code>{e.admin_id}</code> {html.escape(e.action)} {html.escape(e.target or '')}"
        for e in entries
    ]
    await message.answer("\n".join(lines))


# ------------------------------------------------------------------ statistics


async def show_stats(message: Message, services: Services, locale: str) -> None:
    assert message.from_user is not None
    # Report figures are for those who may see reports (owners, admins), never for editors.
    with_reports = await AdminDirectory(services).may(message.from_user.id, "reports")
    collected = await admin_stats.gather(services, with_reports=with_reports)
    titles = admin_stats.ChartTitles(
        users=_("Users by language"),
        subscribers=_("subscribers"),
        blocked=_("blocked"),
        reports_per_week=_("Reports per week, by kind"),
        reports_by_region=_("Reports by region"),
    )
    # Drawing takes a fraction of a second: keep the event loop answering everyone else.
    png = await asyncio.to_thread(admin_stats.chart, collected, titles)
    await message.answer_photo(
        BufferedInputFile(png, filename="stats.png"),
        caption=admin_stats.summary(services, locale, collected),
    )
    await AdminDirectory(services).audit(message.from_user.id, "stats")


def setup(screens: ScreenRegistry) -> Router:
    router = Router(name="admin")
    staff = HasPermission()
    router.message.filter(F.chat.type == ChatType.PRIVATE, staff)
    router.callback_query.filter(staff)

    def perm(name: str) -> Any:
        return HasPermission(name)

    m, c = router.message.register, router.callback_query.register
    m(list_admins, Command("admins"), perm("manage"))
    m(add_admin, Command("admin_add"), perm("manage"))
    m(remove_admin, Command("admin_remove"), perm("manage"))
    m(show_audit, Command("audit"), perm("audit"))
    m(show_stats, Command("stats"), perm("stats"))
    m(start_broadcast, Command("broadcast"), perm("broadcast"))
    m(cancel_broadcast, Command("cancel_broadcast"), perm("broadcast"))
    m(receive_content, StateFilter(Compose.content), ~F.text.startswith("/"), perm("broadcast"))
    m(
        receive_when,
        StateFilter(Compose.when_text),
        F.text,
        ~F.text.startswith("/"),
        perm("broadcast"),
    )
    bcast = perm("broadcast")
    c(choose_language, AdminCb.filter(F.action == "lang"), StateFilter(Compose.content), bcast)
    c(preview, AdminCb.filter(F.action == "next"), StateFilter(Compose.content), bcast)
    c(choose_audience, AdminCb.filter(F.action == "aud"), StateFilter(Compose.audience), bcast)
    c(choose_when, AdminCb.filter(F.action == "when"), StateFilter(Compose.when), bcast)
    c(confirm, AdminCb.filter(F.action == "confirm"), StateFilter(Compose.confirm), bcast)
    c(abort, AdminCb.filter(F.action == "abort"), StateFilter(Compose.confirm), bcast)
    return router
