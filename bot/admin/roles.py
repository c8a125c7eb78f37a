"""Who may do what: owners (ADMIN_IDS), admins and editors (stored), and the audit log.

The router filter that asks this on every admin update is handlers/admin/filters.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.db import Database

OWNER, ADMIN, EDITOR = "owner", "admin", "editor"
STORED_ROLES = (ADMIN, EDITOR)

# What each role may do. Owners do everything; editors prepare and send broadcasts and read
# statistics (without report figures: those need "reports"); only "cancel" (owners, admins)
# stops a scheduled or running broadcast, anybody's; an editor may only discard a draft.
# Every role runs the daily campaigns (list, preview, pause, skip, post now) and the report triage.
# "receptions": the reminder counts per legal reception (announcing one needs "broadcast");
# "placements": /qr, the QR codes of posters and links.
# "quiz": open and start a quiz evening (/quiz_open), check a prize code (/quiz_prize).
PERMISSIONS: dict[str, frozenset[str]] = {
    OWNER: frozenset(
        {
            "broadcast",
            "cancel",
            "stats",
            "manage",
            "audit",
            "campaigns",
            "reports",
            "receptions",
            "placements",
            "quiz",
        }
    ),
    ADMIN: frozenset(
        {
            "broadcast",
            "cancel",
            "stats",
            "campaigns",
            "reports",
            "receptions",
            "placements",
            "quiz",
        }
    ),
    EDITOR: frozenset({"broadcast", "stats", "campaigns", "receptions", "placements", "quiz"}),
}


@dataclass(frozen=True)
class AuditEntry:
    admin_id: int
    action: str
    target: str | None
    at: str


class AdminDirectory:
    """Roles and audit log in SQL, with the stored roles also held in memory.

    Every admin router asks for the sender's role on every private message and callback, so the
    answer comes from a table in memory (read once from the database, at the first question),
    not from two SQLite round trips. The table changes in the same call that commits a change
    (`set_role`, `remove`): a removed admin loses every permission at once. This process is the
    only writer of the database (bot/instance.py holds the lock), so nothing else can change a
    role behind its back; a restore from a backup happens with the bot stopped.
    """

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings  # owners: ADMIN_IDS, set in the environment, never stored
        self._stored: dict[int, str] | None = None  # user id -> admin/editor, once read

    async def _roles(self) -> dict[int, str]:
        if self._stored is None:
            rows = await self.db.fetchall("SELECT user_id, role FROM admins")
            if self._stored is None:  # another caller may have read it meanwhile
                self._stored = {int(r[0]): r[1] for r in rows}
        return self._stored

    async def role_of(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        if user_id in self.settings.admin_ids:
            return OWNER
        return (await self._roles()).get(user_id)

    async def may(self, user_id: int | None, permission: str) -> bool:
        role = await self.role_of(user_id)
        return role is not None and permission in PERMISSIONS[role]

    async def set_role(self, actor: int, user_id: int, role: str) -> None:
        if role not in STORED_ROLES:
            raise ValueError(f"role must be one of {', '.join(STORED_ROLES)}")
        if user_id in self.settings.admin_ids:
            raise ValueError("owners are set by ADMIN_IDS")
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO admins (user_id, role, added_by, added_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET role = excluded.role, "
                "added_by = excluded.added_by, added_at = excluded.added_at",
                (user_id, role, actor, _now()),
            )
            await _audit(tx, actor, f"admin_add:{role}", str(user_id))
        (await self._roles())[user_id] = role  # committed: takes effect at once

    async def remove(self, actor: int, user_id: int) -> bool:
        async with self.db.transaction() as tx:
            removed = await tx.execute("DELETE FROM admins WHERE user_id = ?", (user_id,))
            if removed:
                await _audit(tx, actor, "admin_remove", str(user_id))
        (await self._roles()).pop(user_id, None)  # committed: no permission left from now on
        return bool(removed)

    async def members(self) -> list[tuple[int, str]]:
        owners = [(uid, OWNER) for uid in self.settings.admin_ids]
        rows = await self.db.fetchall("SELECT user_id, role FROM admins ORDER BY role, user_id")
        return owners + [(int(r[0]), r[1]) for r in rows]

    async def audit(self, actor: int, action: str, target: str | None = None) -> None:
        async with self.db.transaction() as tx:
            await _audit(tx, actor, action, target)

    async def audit_entries(self, limit: int = 30) -> list[AuditEntry]:
        rows = await self.db.fetchall(
            "SELECT admin_id, action, target, at FROM audit_log ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [AuditEntry(int(r[0]), r[1], r[2], r[3]) for r in rows]


def local_time(at: str, zone: ZoneInfo) -> str:
    """A stored UTC moment as staff read it: "2026-12-02 09:15 (Asia/Dushanbe)" (TIMEZONE)."""
    moment = datetime.fromisoformat(at)
    if moment.tzinfo is None:  # stored as UTC; older rows may lack the offset
        moment = moment.replace(tzinfo=UTC)
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M} ({zone.key})"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


async def _audit(tx, actor: int, action: str, target: str | None) -> None:
    await tx.execute(
        "INSERT INTO audit_log (admin_id, action, target, at) VALUES (?, ?, ?, ?)",
        (actor, action, target, _now()),
    )
