"""The staff's report commands: list (staff_list.py), status, reply, export (references and
triage only).

Rights are read from the database on every message and button (role "reports",
bot/admin/roles.py): owners from ADMIN_IDS and admins may triage reports; anyone else falls
through to the normal "unknown command" / "stale button" answer. Commands and buttons work in a
private chat with the bot or the staff chat only; in the staff chat they answer in
DEFAULT_LOCALE (the chat's language), in a private chat in the admin's own. The Reports button
of /admin's overview shows what /reports shows.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import gettext as _

from bot.admin.roles import AdminDirectory
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Translator
from bot.reports.service import ReportService
from bot.reports.staff import status_label
from bot.reports.store import STATUSES, week_of
from bot.telegram_html import escape
from handlers.admin.callbacks import AdminAction, AdminCb
from handlers.admin.filters import HasPermission
from handlers.reports.staff_list import ReportListCb, cmd_list, on_view


def staff_place(message: Message, settings: Settings) -> bool:
    """Report commands work in a private chat with the bot or in the staff chat, nowhere else."""
    return message.chat.type == "private" or message.chat.id == settings.staff_chat_id


def staff_button_place(query: CallbackQuery, settings: Settings) -> bool:
    return isinstance(query.message, Message) and staff_place(query.message, settings)


async def staff_locale(
    handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
    event: TelegramObject,
    data: dict[str, Any],
) -> Any:
    """The staff chat is read by everyone in it: its answers are in DEFAULT_LOCALE, not in the
    language of whoever typed the command."""
    message = event.message if isinstance(event, CallbackQuery) else event
    if isinstance(message, Message) and message.chat.type != "private":
        settings: Settings = data["settings"]
        i18n: Translator = data["i18n"]
        with i18n.use_locale(settings.default_locale):
            return await handler(event, data)
    return await handler(event, data)


async def _audit(message: Message, admins: AdminDirectory, action: str, target: str) -> None:
    """Who did what to which reference (never the content): owners read it with /audit."""
    if message.from_user is not None:
        await admins.audit(message.from_user.id, action, target)


async def cmd_status(
    message: Message, reports: ReportService, admins: AdminDirectory, command: CommandObject
) -> None:
    ref, _sep, status = (command.args or "").strip().partition(" ")
    status = status.strip().lower()
    if not ref or status not in STATUSES:
        await message.answer(
            _("Usage: /report_status R-XXXXXX {statuses}").format(statuses="|".join(STATUSES))
        )
        return
    if not await reports.store.set_status(ref, status):
        await message.answer(_("No report {ref}.").format(ref=escape(ref)))
        return
    await _audit(message, admins, f"report_status:{status}", ref.upper())
    await message.answer(
        _("{ref}: status is now «{status}».").format(
            ref=escape(ref.upper()), status=status_label(status)
        )
    )


async def cmd_reply(
    message: Message, reports: ReportService, admins: AdminDirectory, command: CommandObject
) -> None:
    ref, _sep, text = (command.args or "").strip().partition(" ")
    # The reply is sealed at once; the admin's plaintext message leaves the chat.
    with contextlib.suppress(TelegramAPIError):
        await message.delete()
    if not ref or not text.strip():
        await message.answer(_("Usage: /report_reply R-XXXXXX text of the answer"))
        return
    report = await reports.reply(ref, text.strip())
    if report is None:
        await message.answer(_("No report {ref}.").format(ref=escape(ref)))
        return
    await _audit(message, admins, "report_reply", report.ref)
    await message.answer(
        _(
            "Answer to {ref} encrypted and saved. The reporter reads it with the receipt code."
        ).format(ref=report.ref)
    )


async def cmd_export(
    message: Message, reports: ReportService, admins: AdminDirectory, clock: Clock
) -> None:
    export = await reports.store.export()
    data = json.dumps(export, ensure_ascii=False, indent=1).encode()
    name = f"reports-{week_of(clock().date())}.json"
    await _audit(message, admins, "reports_export", str(len(export["reports"])))
    await message.answer_document(
        BufferedInputFile(data, filename=name),
        caption=_(
            "{count} sealed reports. Open on the offline computer: "
            "python -m bot reports open {name} --key KEYFILE"
        ).format(count=len(export["reports"]), name=name),
    )


async def on_reports_button(query: CallbackQuery, reports: ReportService) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await cmd_list(query.message, reports, CommandObject(prefix="/", command="reports"))


def setup() -> Router:
    # The /admin overview's Reports button: a router of its own, beside the one whose filters
    # take only the list's buttons.
    overview = Router(name="reports_staff_overview")
    overview.callback_query.register(
        on_reports_button, AdminCb.filter(F.action == AdminAction.REPORTS), HasPermission("reports")
    )
    router = Router(name="reports_staff")
    # Cheap checks first: the role lookup reads the database, so only report commands get it.
    router.message.filter(staff_place, F.text.startswith("/report"), HasPermission("reports"))
    # The list's buttons only (the role lookup reads the database), from where commands work.
    router.callback_query.filter(
        ReportListCb.filter(), staff_button_place, HasPermission("reports")
    )
    router.message.middleware(staff_locale)
    router.callback_query.middleware(staff_locale)
    router.message.register(cmd_list, Command("reports"))
    router.callback_query.register(on_view, ReportListCb.filter())
    router.message.register(cmd_status, Command("report_status"))
    router.message.register(cmd_reply, Command("report_reply"))
    router.message.register(cmd_export, Command("reports_export"))
    staff = Router(name="reports_staff_all")
    staff.include_routers(overview, router)
    return staff
