"""SQL of the quizzes (migration 0012): events, participants, their polls, counts, day totals.

Times are the bot's clock in seconds (`datetime.timestamp()`), so tests move them at will.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from bot.db import Database

OPEN, RUNNING, FINISHED = "open", "running", "finished"
NONE, SENDING, ASKED, CLOSED = "none", "sending", "open", "closed"


@dataclass(frozen=True)
class Event:
    code: str
    quiz_id: str
    admin_chat: int
    admin_locale: str
    state: str
    question: int
    phase: str
    closes_at: float | None
    next_at: float | None
    admin_told: bool
    opened_at: float
    finished_at: float | None


@dataclass(frozen=True)
class Participant:
    code: str
    user_id: int
    locale: str
    nickname: str | None
    score: int
    correct: int
    elapsed: float
    gone: bool
    place: int | None
    prize_code: str | None


@dataclass(frozen=True)
class SentPoll:
    poll_id: str
    code: str
    user_id: int
    question: int
    sent_at: float
    closes_at: float
    answered: bool


EVENT_COLUMNS = (
    "code, quiz_id, admin_chat, admin_locale, state, question, phase, closes_at, next_at, "
    "admin_told, opened_at, finished_at"
)
PARTICIPANT_COLUMNS = (
    "code, user_id, locale, nickname, score, correct, elapsed, gone, place, prize_code"
)


def _event(row) -> Event:
    return Event(
        str(row[0]),
        str(row[1]),
        int(row[2]),
        str(row[3]),
        str(row[4]),
        int(row[5]),
        str(row[6]),
        row[7],
        row[8],
        bool(row[9]),
        float(row[10]),
        row[11],
    )


def _participant(row) -> Participant:
    return Participant(
        str(row[0]),
        int(row[1]),
        str(row[2]),
        row[3],
        int(row[4]),
        int(row[5]),
        float(row[6]),
        bool(row[7]),
        row[8],
        row[9],
    )


class QuizStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- events --------------------------------------------------------------------------------

    async def create_event(
        self, code: str, quiz_id: str, admin_chat: int, admin_locale: str, now: float
    ) -> None:
        await self.db.execute(
            "INSERT INTO quiz_events (code, quiz_id, admin_chat, admin_locale, state, opened_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (code, quiz_id, admin_chat, admin_locale, OPEN, now),
        )

    async def event(self, code: str) -> Event | None:
        row = await self.db.fetchone(
            f"SELECT {EVENT_COLUMNS} FROM quiz_events WHERE code = ?", (code,)
        )
        return _event(row) if row else None

    async def events_in(self, *states: str) -> list[Event]:
        marks = ",".join("?" * len(states))
        rows = await self.db.fetchall(
            f"SELECT {EVENT_COLUMNS} FROM quiz_events WHERE state IN ({marks}) ORDER BY opened_at",
            states,
        )
        return [_event(r) for r in rows]

    async def set_step(
        self,
        code: str,
        *,
        state: str,
        question: int,
        phase: str,
        closes_at: float | None = None,
        next_at: float | None = None,
    ) -> None:
        await self.db.execute(
            "UPDATE quiz_events SET state = ?, question = ?, phase = ?, closes_at = ?, "
            "next_at = ? WHERE code = ?",
            (state, question, phase, closes_at, next_at, code),
        )

    async def start(self, code: str, now: float) -> bool:
        """open → running (question 0, sending); False if it was not open (a double tap)."""
        changed = await self.db.execute(
            "UPDATE quiz_events SET state = ?, question = 0, phase = ?, next_at = ? "
            "WHERE code = ? AND state = ?",
            (RUNNING, SENDING, now, code, OPEN),
        )
        return changed > 0

    async def finish(
        self, code: str, quiz_id: str, ranking: list[tuple[int, int, str | None]], now: float
    ) -> None:
        """Places and prize codes (user, place, code), the event finished and counted, at once."""
        async with self.db.transaction() as tx:
            for user_id, place, prize in ranking:
                await tx.execute(
                    "UPDATE quiz_participants SET place = ?, prize_code = ? "
                    "WHERE code = ? AND user_id = ?",
                    (place, prize, code, user_id),
                )
            await tx.execute(
                "UPDATE quiz_events SET state = ?, phase = ?, finished_at = ?, next_at = NULL "
                "WHERE code = ?",
                (FINISHED, NONE, now, code),
            )
            await tx.execute(
                "INSERT INTO quiz_event_counts (quiz_id, events, participants) VALUES (?, 1, ?) "
                "ON CONFLICT (quiz_id) DO UPDATE SET events = events + 1, "
                "participants = participants + excluded.participants",
                (quiz_id, len(ranking)),
            )

    async def admin_told(self, code: str) -> None:
        await self.db.execute("UPDATE quiz_events SET admin_told = 1 WHERE code = ?", (code,))

    # --- participants --------------------------------------------------------------------------

    async def join(self, code: str, user_id: int, locale: str, now: float) -> bool:
        """A new participant row (no nickname yet); False if this user is in already."""
        changed = await self.db.execute(
            "INSERT OR IGNORE INTO quiz_participants (code, user_id, locale, joined_at) "
            "VALUES (?, ?, ?, ?)",
            (code, user_id, locale, now),
        )
        return changed > 0

    async def rejoin(self, code: str, user_id: int, locale: str) -> None:
        await self.db.execute(
            "UPDATE quiz_participants SET gone = 0, locale = ? WHERE code = ? AND user_id = ?",
            (locale, code, user_id),
        )

    async def participant(self, code: str, user_id: int) -> Participant | None:
        row = await self.db.fetchone(
            f"SELECT {PARTICIPANT_COLUMNS} FROM quiz_participants WHERE code = ? AND user_id = ?",
            (code, user_id),
        )
        return _participant(row) if row else None

    async def awaiting_nickname(self) -> dict[int, str]:
        """user id -> event code, for those choosing a nickname in an event not over."""
        rows = await self.db.fetchall(
            "SELECT p.user_id, p.code FROM quiz_participants p JOIN quiz_events e "
            "ON e.code = p.code WHERE p.nickname IS NULL AND p.gone = 0 AND e.state != ?",
            (FINISHED,),
        )
        return {int(r[0]): str(r[1]) for r in rows}

    async def set_nickname(self, code: str, user_id: int, nickname: str, key: str) -> bool:
        """False if another participant of the event has it."""
        try:
            await self.db.execute(
                "UPDATE quiz_participants SET nickname = ?, nickname_key = ? "
                "WHERE code = ? AND user_id = ?",
                (nickname, key, code, user_id),
            )
        except sqlite3.IntegrityError:
            return False
        return True

    async def set_gone(self, code: str, user_id: int) -> None:
        await self.db.execute(
            "UPDATE quiz_participants SET gone = 1 WHERE code = ? AND user_id = ?",
            (code, user_id),
        )

    async def playing(self, code: str) -> list[Participant]:
        """Those with a nickname who did not leave, in the order they joined."""
        rows = await self.db.fetchall(
            f"SELECT {PARTICIPANT_COLUMNS} FROM quiz_participants WHERE code = ? "
            "AND nickname IS NOT NULL AND gone = 0 ORDER BY joined_at, user_id",
            (code,),
        )
        return [_participant(r) for r in rows]

    async def without_poll(self, code: str, question: int) -> list[Participant]:
        rows = await self.db.fetchall(
            f"SELECT {PARTICIPANT_COLUMNS} FROM quiz_participants p WHERE code = ? "
            "AND nickname IS NOT NULL AND gone = 0 AND NOT EXISTS (SELECT 1 FROM quiz_polls q "
            "WHERE q.code = p.code AND q.user_id = p.user_id AND q.question = ?) "
            "ORDER BY joined_at, user_id",
            (code, question),
        )
        return [_participant(r) for r in rows]

    async def ranking(self, code: str) -> list[Participant]:
        """Best first: points, then less time over the correct answers, then the nickname."""
        rows = await self.db.fetchall(
            f"SELECT {PARTICIPANT_COLUMNS} FROM quiz_participants WHERE code = ? "
            "AND nickname IS NOT NULL AND gone = 0 "
            "ORDER BY score DESC, elapsed ASC, nickname_key ASC",
            (code,),
        )
        return [_participant(r) for r in rows]

    async def untold(self, code: str) -> list[Participant]:
        rows = await self.db.fetchall(
            f"SELECT {PARTICIPANT_COLUMNS} FROM quiz_participants WHERE code = ? "
            "AND nickname IS NOT NULL AND gone = 0 AND told = 0 ORDER BY place",
            (code,),
        )
        return [_participant(r) for r in rows]

    async def told(self, code: str, user_id: int) -> None:
        await self.db.execute(
            "UPDATE quiz_participants SET told = 1 WHERE code = ? AND user_id = ?",
            (code, user_id),
        )

    async def count(self, code: str) -> tuple[int, int]:
        """(with a nickname and still in, choosing one)."""
        row = await self.db.fetchone(
            "SELECT SUM(nickname IS NOT NULL AND gone = 0), SUM(nickname IS NULL AND gone = 0) "
            "FROM quiz_participants WHERE code = ?",
            (code,),
        )
        return (int(row[0] or 0), int(row[1] or 0)) if row else (0, 0)

    # --- polls ---------------------------------------------------------------------------------

    async def add_poll(
        self, poll_id: str, code: str, user_id: int, question: int, sent_at: float, closes: float
    ) -> None:
        await self.db.execute(
            "INSERT OR IGNORE INTO quiz_polls (poll_id, code, user_id, question, sent_at, "
            "closes_at) VALUES (?, ?, ?, ?, ?, ?)",
            (poll_id, code, user_id, question, sent_at, closes),
        )

    async def poll(self, poll_id: str) -> SentPoll | None:
        row = await self.db.fetchone(
            "SELECT poll_id, code, user_id, question, sent_at, closes_at, answered "
            "FROM quiz_polls WHERE poll_id = ?",
            (poll_id,),
        )
        if row is None:
            return None
        return SentPoll(
            str(row[0]), str(row[1]), int(row[2]), int(row[3]), row[4], row[5], bool(row[6])
        )

    async def last_close(self, code: str, question: int) -> float | None:
        row = await self.db.fetchone(
            "SELECT MAX(closes_at) FROM quiz_polls WHERE code = ? AND question = ?",
            (code, question),
        )
        return row[0] if row else None

    async def answer(self, poll: SentPoll, points: int, elapsed: float) -> bool:
        """The poll answered once (a repeat scores nothing); points and time added with it."""
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE quiz_polls SET answered = 1 WHERE poll_id = ? AND answered = 0",
                (poll.poll_id,),
            )
            if changed and points > 0:
                await tx.execute(
                    "UPDATE quiz_participants SET score = score + ?, correct = correct + 1, "
                    "elapsed = elapsed + ? WHERE code = ? AND user_id = ?",
                    (points, elapsed, poll.code, poll.user_id),
                )
        return changed > 0

    # --- prizes --------------------------------------------------------------------------------

    async def prize(self, prize_code: str) -> tuple[Participant, str, bool] | None:
        """(winner, quiz id, shown before); marks it shown."""
        row = await self.db.fetchone(
            f"SELECT {', '.join('p.' + c.strip() for c in PARTICIPANT_COLUMNS.split(','))}, "
            "e.quiz_id, p.prize_shown FROM quiz_participants p JOIN quiz_events e "
            "ON e.code = p.code WHERE p.prize_code = ?",
            (prize_code,),
        )
        if row is None:
            return None
        await self.db.execute(
            "UPDATE quiz_participants SET prize_shown = 1 WHERE prize_code = ?", (prize_code,)
        )
        return _participant(row[:10]), str(row[10]), bool(row[11])

    # --- forgetting ----------------------------------------------------------------------------

    async def purge(self, before: float) -> int:
        """Delete events that ended before `before`, or were opened before it and never ended,
        with their participants and polls; then empty the write-ahead log."""
        changed = await self.db.execute(
            "DELETE FROM quiz_events WHERE (finished_at IS NOT NULL AND finished_at < ?) "
            "OR (finished_at IS NULL AND opened_at < ?)",
            (before, before),
        )
        if changed:
            await self.db.execute(
                "DELETE FROM quiz_participants WHERE code NOT IN (SELECT code FROM quiz_events)"
            )
            await self.db.execute(
                "DELETE FROM quiz_polls WHERE code NOT IN (SELECT code FROM quiz_events)"
            )
            await self.db.checkpoint()
        return changed

    # --- counts --------------------------------------------------------------------------------

    async def totals(self) -> tuple[int, int, int, int]:
        """(events held, their participants, question-of-the-day answers, correct ones)."""
        row = await self.db.fetchone(
            "SELECT COALESCE(SUM(events), 0), COALESCE(SUM(participants), 0) FROM quiz_event_counts"
        )
        day = await self.db.fetchone(
            "SELECT COALESCE(SUM(voters), 0), COALESCE(SUM(correct), 0) FROM quiz_day_results"
        )
        assert row is not None and day is not None
        return int(row[0]), int(row[1]), int(day[0]), int(day[1])

    async def day_result(self, poll_id: str, voters: int, correct: int) -> None:
        await self.db.execute(
            "INSERT INTO quiz_day_results (poll_id, voters, correct) VALUES (?, ?, ?) "
            "ON CONFLICT (poll_id) DO UPDATE SET voters = excluded.voters, "
            "correct = excluded.correct",
            (poll_id, voters, correct),
        )
