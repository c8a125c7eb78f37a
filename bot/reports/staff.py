"""Staff side: batched notices to STAFF_CHAT_ID, and admin commands (list, status, reply, export).

Rights are checked on every message (role "reports", bot/admin/roles.py); anyone else falls through to the normal
"unknown command" answer. Staff see references and triage fields only, never report contents.
"""

from __future__ import annotations

import contextlib
import json
import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message
from aiogram.utils.i18n import gettext as _

from bot.admin.roles import AdminDirectory
from bot.reports.service import Notice
from bot.reports.store import STATUSES, ReportRow, week_of
from bot.services import Services
from bot.telegram_html import escape

log = logging.getLogger(__name__)


def staff_place(message: Message, services: Services) -> bool:
    """Report commands work in a private chat with the bot or in the staff chat, nowhere else."""
    if services.reports is None:
        return False
    return message.chat.type == "private" or message.chat.id == services.settings.staff_chat_id


def _status_label(status: str) -> str:
    return {
        "new": _("new"),
        "in_review": _("in review"),
        "lawyer": _("referred to a lawyer"),
        "closed": _("closed"),
    }[status]


def _triage_line(ref: str, category: str | None, oblast: str | None, urgency: str) -> str:
    parts = [f"<code>{ref}</code>", category or "—", oblast or "—"]
    if urgency == "danger":
        parts.append(_("⚠️ danger now"))
    return " · ".join(parts)


def _report_line(report: ReportRow) -> str:
    line = _triage_line(report.ref, report.category, report.oblast, report.urgency)
    return f"{line} · {report.week} · {_status_label(report.status)}"


def notice_text(notices: list[Notice]) -> str:
    """'3 new reports: R-…' with triage fields only. Call inside a locale context."""
    new = [n for n in notices if n.kind == "new"]
    updates = [n for n in notices if n.kind == "update"]
    lines = []
    if new:
        lines.append(_("<b>New reports: {count}</b>").format(count=len(new)))
        lines += [_triage_line(n.ref, n.category, n.oblast, n.urgency) for n in new]
    if updates:
        lines.append(_("<b>New information in: {count}</b>").format(count=len(updates)))
        lines += [f"<code>{n.ref}</code>" for n in updates]
    lines.append(_("Export with /reports_export and open it on the offline computer."))
    return "\n".join(lines)


async def send_notices(services: Services, bot: Bot) -> int:
    """At one of the fixed times of day: whatever is waiting, in one message; returns how many
    references were announced."""
    reports = services.reports
    chat_id = services.settings.staff_chat_id
    if reports is None or chat_id is None:
        return 0
    due = reports.notices.take_all()
    if not due:
        return 0
    with services.i18n.use_locale(services.settings.default_locale):
        text = notice_text(due)
    try:
        await bot.send_message(chat_id, text)
    except TelegramAPIError as exc:
        log.warning("staff notice not delivered: %s", exc.__class__.__name__)
        for notice in due:  # try again with the next batch
            reports.notices.add(notice)
        return 0
    return len(due)


async def _audit(message: Message, services: Services, action: str, target: str) -> None:
    """Who did what to which reference (never the content): owners read it with /audit."""
    if message.from_user is not None:
        await AdminDirectory(services.db, services.settings).audit(
            message.from_user.id, action, target
        )


async def cmd_list(message: Message, services: Services, command: CommandObject) -> None:
    assert services.reports is not None
    status = (command.args or "new").strip().lower()
    if status not in (*STATUSES, "all"):
        await message.answer(_("Statuses: {statuses}, all").format(statuses=", ".join(STATUSES)))
        return
    reports = await services.reports.store.list(None if status == "all" else status)
    if not reports:
        await message.answer(_("No reports with this status."))
        return
    lines = [_report_line(r) for r in reports[:100]]
    await message.answer("\n".join(lines))


async def cmd_status(message: Message, services: Services, command: CommandObject) -> None:
    assert services.reports is not None
    ref, _sep, status = (command.args or "").strip().partition(" ")
    status = status.strip().lower()
    if not ref or status not in STATUSES:
        await message.answer(
            _("Usage: /report_status R-XXXXXX {statuses}").format(statuses="|".join(STATUSES))
        )
        return
    if not await services.reports.store.set_status(ref, status):
        await message.answer(_("No report {ref}.").format(ref=escape(ref)))
        return
    await _audit(message, services, f"report_status:{status}", ref.upper())
    await message.answer(
        _("{ref}: status is now «{status}».").format(
            ref=escape(ref.upper()), status=_status_label(status)
        )
    )


async def cmd_reply(message: Message, services: Services, command: CommandObject, bot: Bot) -> None:
    assert services.reports is not None
    ref, _sep, text = (command.args or "").strip().partition(" ")
    # The reply is sealed at once; the admin's plaintext message leaves the chat.
    with contextlib.suppress(TelegramAPIError):
        await message.delete()
    if not ref or not text.strip():
        await message.answer(_("Usage: /report_reply R-XXXXXX text of the answer"))
        return
    report = await services.reports.reply(ref, text.strip())
    if report is None:
        await message.answer(_("No report {ref}.").format(ref=escape(ref)))
        return
    await _audit(message, services, "report_reply", report.ref)
    await message.answer(
        _(
            "Answer to {ref} encrypted and saved. The reporter reads it with the receipt code."
        ).format(ref=report.ref)
    )


async def cmd_export(message: Message, services: Services) -> None:
    assert services.reports is not None
    export = await services.reports.store.export()
    data = json.dumps(export, ensure_ascii=False, indent=1).encode()
    name = f"reports-{week_of(services.now().date())}.json"
    await _audit(message, services, "reports_export", str(len(export["reports"])))
    await message.answer_document(
        BufferedInputFile(data, filename=name),
        caption=_(
            "{count} sealed reports. Open on the offline computer: "
            "python -m bot reports open {name} --key KEYFILE"
        ).format(count=len(export["reports"]), name=name),
    )


def setup_staff_router() -> Router:
    # The admin feature's role filter lives with its handlers; imported here until this router
    # moves to handlers/reports/ (a module-level import would close a cycle through jobs/).
    from handlers.admin.filters import HasPermission

    router = Router(name="reports_staff")
    # The role is read from the database on every message (bot/admin/roles.py): owners from
    # ADMIN_IDS and admins may triage reports; anyone else falls through to "unknown command".
    # Cheap checks first: the role lookup reads the database, so only report commands get it.
    router.message.filter(staff_place, F.text.startswith("/report"), HasPermission("reports"))
    router.message.register(cmd_list, Command("reports"))
    router.message.register(cmd_status, Command("report_status"))
    router.message.register(cmd_reply, Command("report_reply"))
    router.message.register(cmd_export, Command("reports_export"))
    return router
