"""The steps of a report and of "Check my report" as FSM states (in memory: MemoryStorage).

A state names the step only; the draft stays in the in-memory session (bot/reports/session.py),
and no state data holds anything the person typed. Sessions that a screen opens (the
explanation, the receipt prompt) have no state: a screen has no FSM context, so those are
recognised by the session's mode.
"""

from __future__ import annotations

from collections.abc import Callable

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import BaseStorage, StorageKey
from aiogram.fsm.storage.memory import MemoryStorage

from bot.reports import flow


class ReportSteps(StatesGroup):
    who = State()
    year = State()
    month = State()
    place = State()
    region = State()
    what = State()
    danger = State()
    contact = State()
    stats = State()
    text = State()
    files = State()
    confirm = State()
    typeback = State()  # the receipt is shown; the person types it back


class CheckSteps(StatesGroup):
    shown = State()  # status and replies are shown
    adding = State()  # the reporter adds information or files


def step_state(step: str) -> State:
    """The state of a report step (flow.STEPS) by its key."""
    state = getattr(ReportSteps, step)
    assert isinstance(state, State)
    return state


def step_of(raw_state: str | None) -> str:
    """The step key a state names ("ReportSteps:who" → "who")."""
    return (raw_state or "").rpartition(":")[2]


QUESTION_STATES = tuple(step_state(q.key) for q in flow.QUESTIONS)
DRAFT_STATES = tuple(step_state(step) for step in flow.STEPS)  # questions, text, files, confirm


# Only these are the feature's: another feature's state (a broadcast being composed) is never
# touched by a report ending, and no state data is ever written here.
OWN_STATES = frozenset(ReportSteps.__all_states_names__ + CheckSteps.__all_states_names__)


async def leave_steps(state: FSMContext) -> None:
    """The chat is in no report step any more (another feature's state stays)."""
    if await state.get_state() in OWN_STATES:
        await state.set_state(None)


def forget_steps(storage: BaseStorage, bot_id: int) -> Callable[[int], None]:
    """What a session calls when it ends, on every path (Exit, the type-back, a new session, the
    idle timeout, shutdown): the chat's step goes with it, so no state is left to say that a
    chat was in a report. Synchronous, so a handler that starts a new session right after sets
    its first step on a clean slate (MemoryStorage is a dict; its async API never waits)."""

    def forget(chat_id: int) -> None:
        if not isinstance(storage, MemoryStorage):
            return
        record = storage.storage.get(StorageKey(bot_id=bot_id, chat_id=chat_id, user_id=chat_id))
        if record is not None and record.state in OWN_STATES:
            record.state = None

    return forget
