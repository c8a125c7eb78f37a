"""What each staff role may do: the commands of /admin's overview and of the staff's command menu.

One table for both, filtered by the permissions of bot/admin/roles.py, so a role is never shown
a command that would answer it "unknown command".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot.admin.roles import ADMIN, EDITOR, OWNER, PERMISSIONS


@dataclass(frozen=True)
class StaffCommand:
    name: str
    permission: str | None  # None: every staff role
    description: Any  # a lazy translated text, at most 256 characters (Telegram's limit)
    needs_reports: bool = False  # shown only when REPORT_PUBLIC_KEYS is set
    # A fuller description for roles that also hold `wider` (e.g. stopping anybody's broadcast).
    wider: str | None = None
    wider_description: Any = None


# /skip, /unskip and /postnow need "campaigns", which every role holds (bot/admin/roles.py).
STAFF_COMMANDS: tuple[StaffCommand, ...] = (
    StaffCommand("admin", None, __("Staff tools: what your role may do")),
    StaffCommand("broadcast", "broadcast", __("Send a message to subscribers and channels")),
    StaffCommand("broadcasts", "broadcast", __("Recent broadcasts with their figures")),
    StaffCommand(
        "cancel_broadcast",
        "broadcast",
        __("Discard the broadcast you are composing"),
        wider="cancel",
        wider_description=__("Discard a draft, or stop a scheduled or running broadcast"),
    ),
    StaffCommand("stats", "stats", __("Statistics: a chart and the figures")),
    StaffCommand("campaigns", "campaigns", __("Daily campaigns: what posts next")),
    StaffCommand("skip", "campaigns", __("Skip a day of a campaign")),
    StaffCommand("unskip", "campaigns", __("Undo a skipped day")),
    StaffCommand("postnow", "campaigns", __("Post a campaign day now")),
    StaffCommand("announce", "broadcast", __("Announce a legal reception to its region")),
    StaffCommand("qr", "placements", __("A QR code for a poster or a link, ready to print")),
    StaffCommand("quiz_open", "quiz", __("Open a quiz evening: its join link and QR code")),
    StaffCommand("quiz_prize", "quiz", __("Check a quiz prize code")),
    StaffCommand("reports", "reports", __("Reports by status"), needs_reports=True),
    StaffCommand("admins", "manage", __("Owners, admins and editors")),
    StaffCommand("admin_add", "manage", __("Give someone the admin or editor role")),
    StaffCommand("admin_remove", "manage", __("Take a role away")),
    StaffCommand("audit", "audit", __("The audit log: who did what")),
)

ROLE_NAMES: dict[str, Any] = {
    OWNER: __("owner"),
    ADMIN: __("admin"),
    EDITOR: __("editor"),
}


def may_use(role: str, permission: str | None, *, needs_reports: bool, reports_on: bool) -> bool:
    """Whether `role` may use something that needs `permission` (and reports, if it says so)."""
    if needs_reports and not reports_on:
        return False
    return permission is None or permission in PERMISSIONS[role]


def commands_of(role: str, *, reports_on: bool) -> list[tuple[str, str]]:
    """(command, description) pairs of a role, translated in the current locale."""
    found = []
    for command in STAFF_COMMANDS:
        if not may_use(
            role, command.permission, needs_reports=command.needs_reports, reports_on=reports_on
        ):
            continue
        wider = command.wider is not None and command.wider in PERMISSIONS[role]
        description = command.wider_description if wider else command.description
        found.append((command.name, str(description)))
    return found


def overview_text(role: str, *, reports_on: bool) -> str:
    """/admin's text: the role, then every command it may use, in the current locale."""
    lines = [
        _("<b>Staff tools</b>"),
        _("Your role: {role}.").format(role=ROLE_NAMES[role]),
        "",
    ]
    lines += [f"/{name} — {text}" for name, text in commands_of(role, reports_on=reports_on)]
    lines += ["", _("The buttons below start the most used ones.")]
    return "\n".join(lines)
