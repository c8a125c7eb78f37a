"""The users table: language, subscription and blocked flags, the receptions region. Cached."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date

from bot.db import Database

CACHE_SIZE = 20_000


@dataclass(frozen=True)
class UserRecord:
    user_id: int
    locale: str | None
    subscribed: bool
    blocked: bool
    first_seen: str
    region: str | None = None  # chosen for the legal receptions (migration 0009)


_COLUMNS = "user_id, locale, subscribed, blocked, first_seen, region"


def _record(row: Sequence) -> UserRecord:
    return UserRecord(row[0], row[1], bool(row[2]), bool(row[3]), row[4], row[5])


class UserRepo:
    """All SQL on `users`. A bounded cache avoids one SELECT per update; writes go through here."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._cache: OrderedDict[int, UserRecord] = OrderedDict()

    def _remember(self, record: UserRecord) -> UserRecord:
        self._cache[record.user_id] = record
        self._cache.move_to_end(record.user_id)
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return record

    async def get(self, user_id: int) -> UserRecord | None:
        if (cached := self._cache.get(user_id)) is not None:
            return cached
        row = await self.db.fetchone(f"SELECT {_COLUMNS} FROM users WHERE user_id = ?", (user_id,))
        return None if row is None else self._remember(_record(row))

    async def get_or_create(self, user_id: int, today: date) -> UserRecord:
        """The user's record; a first contact creates it (and clears a stale blocked flag)."""
        record = await self.get(user_id)
        if record is not None:
            if record.blocked:  # writing to us means they unblocked the bot
                return await self.set_blocked(user_id, False)
            return record
        row = await self.db.write_returning(
            "INSERT INTO users (user_id, first_seen) VALUES (?, ?) "
            f"ON CONFLICT (user_id) DO NOTHING RETURNING {_COLUMNS}",
            (user_id, today.isoformat()),
        )
        if row is not None:
            return self._remember(_record(row))
        self._cache.pop(user_id, None)  # a concurrent first update of theirs created it
        record = await self.get(user_id)
        assert record is not None
        return record

    async def _update(self, user_id: int, column: str, value: object) -> UserRecord:
        self._cache.pop(user_id, None)
        row = await self.db.write_returning(
            f"UPDATE users SET {column} = ? WHERE user_id = ? RETURNING {_COLUMNS}",
            (value, user_id),
        )
        if row is None:
            raise LookupError("unknown user")
        return self._remember(_record(row))

    async def set_locale(self, user_id: int, locale: str) -> UserRecord:
        return await self._update(user_id, "locale", locale)

    async def set_subscribed(self, user_id: int, subscribed: bool) -> UserRecord:
        return await self._update(user_id, "subscribed", int(subscribed))

    async def set_region(self, user_id: int, region: str | None) -> UserRecord:
        """The region chosen for the legal receptions (None forgets it)."""
        return await self._update(user_id, "region", region)

    async def set_blocked(self, user_id: int, blocked: bool) -> UserRecord:
        """Mark a user who blocked (or unblocked) the bot; unknown users are ignored."""
        if await self.get(user_id) is None:
            return UserRecord(user_id, None, False, blocked, "")
        return await self._update(user_id, "blocked", int(blocked))

    def forget_cached(self, user_id: int) -> None:
        self._cache.pop(user_id, None)

    async def iter_recipients(
        self, *, locale: str | None = None, subscribed_only: bool = True, batch: int = 1000
    ) -> AsyncIterator[UserRecord]:
        """Stream active recipients in id order, `batch` rows at a time (memory stays flat)."""
        last_id = -1
        while True:
            rows = await self.db.fetchall(
                "SELECT user_id, locale, subscribed, blocked, first_seen FROM users "
                "WHERE user_id > ? AND blocked = 0 AND (? = 0 OR subscribed = 1) "
                "AND (? IS NULL OR locale = ?) ORDER BY user_id LIMIT ?",
                (last_id, int(subscribed_only), locale, locale, batch),
            )
            if not rows:
                return
            for row in rows:
                yield UserRecord(row[0], row[1], bool(row[2]), bool(row[3]), row[4])
            last_id = rows[-1][0]

    async def counts(self) -> dict[str, int]:
        """Totals for statistics: all, per locale, subscribed, blocked."""
        row = await self.db.fetchone(
            "SELECT COUNT(*), SUM(subscribed AND NOT blocked), SUM(blocked), "
            "SUM(locale = 'tg'), SUM(locale = 'ru'), SUM(locale = 'en') FROM users"
        )
        assert row is not None
        keys = ("users", "subscribers", "blocked", "tg", "ru", "en")
        return {key: int(value or 0) for key, value in zip(keys, row, strict=True)}
