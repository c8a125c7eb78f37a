"""sendPoll and stopPoll with Telegram's checks, and people answering polls.

Checks as Telegram answers them (400): question 1-300 characters, 2-12 options of 1-100
characters each, a quiz needs `correct_option_id` among the options, the explanation 0-200
characters (after parsing) with at most 2 line feeds, `open_period` 5-600 seconds, and a
channel only takes anonymous polls. A poll closes `open_period` seconds after it was sent, on
the fake's clock (`advance` moves it); `stopPoll` closes it at once.

A person answers with `answer_poll(user, poll_id, option_ids)`: a non-anonymous poll gives the
bot a `poll_answer` update (poll_id, user, option_ids: no date, as in Telegram); an anonymous
one (a channel's) a `poll` update with the new counts. An answer to a closed poll is refused
(LookupError), as a phone no longer lets one vote.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from devtools.fake_telegram.limits import Limits
from devtools.fake_telegram.models import BotEvent
from devtools.fake_telegram.rules import bad, check_reply_markup, render_text

QUESTION_LIMIT = 300
OPTION_LIMIT = 100
OPTIONS_MIN, OPTIONS_MAX = 2, 12
EXPLANATION_LIMIT = 200
EXPLANATION_LINE_FEEDS = 2
OPEN_PERIOD_MIN, OPEN_PERIOD_MAX = 5, 600


@dataclass
class PollState:
    """One poll the bot sent, as Telegram keeps it."""

    id: str
    chat_id: int
    message_id: int
    question: str
    options: list[str]
    type: str
    is_anonymous: bool
    correct_option_id: int | None
    explanation: str | None
    close_date: float | None  # the fake's clock; None: open until stopped
    closed: bool = False
    votes: list[int] = field(default_factory=list)
    voters: dict[int, list[int]] = field(default_factory=dict)

    def option_id(self, index: int) -> str:
        return f"{self.id}-{index}"

    def as_poll(self) -> dict[str, Any]:
        poll: dict[str, Any] = {
            "id": self.id,
            "question": self.question,
            "options": [
                {"persistent_id": self.option_id(i), "text": text, "voter_count": self.votes[i]}
                for i, text in enumerate(self.options)
            ],
            "total_voter_count": len(self.voters),
            "is_closed": self.closed,
            "is_anonymous": self.is_anonymous,
            "type": self.type,
            "allows_multiple_answers": False,
            "allows_revoting": False,
            "members_only": False,
        }
        if self.type == "quiz" and self.correct_option_id is not None:
            poll["correct_option_id"] = self.correct_option_id
        if self.explanation:
            poll["explanation"] = self.explanation
        if self.close_date is not None:
            poll["close_date"] = int(self.close_date)
        return poll


def _options(value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise bad("can't parse options JSON object") from None
    if not isinstance(value, list):
        raise bad("can't parse options JSON object")
    texts = []
    for option in value:
        text = option.get("text") if isinstance(option, dict) else option
        mode = option.get("text_parse_mode") if isinstance(option, dict) else None
        text = render_text(text, mode, None, caption=True)[0].strip()
        if not text:
            raise bad("poll options must be non-empty")
        if len(text) > OPTION_LIMIT:
            raise bad("poll options length must not exceed 100")
        texts.append(text)
    if not OPTIONS_MIN <= len(texts) <= OPTIONS_MAX:
        raise bad("poll must have 2-12 options")
    return texts


def _flag(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, str):
        return value.lower() in ("true", "1")
    return bool(value)


class PollMethods(Limits):
    """The bot's polls by id; people vote in them."""

    @property
    def polls(self) -> dict[str, PollState]:
        found = self.__dict__.get("_polls")
        if found is None:
            found = self.__dict__["_polls"] = {}
        return found

    def _refresh_polls(self) -> None:
        now = self.now()
        for poll in self.polls.values():
            if not poll.closed and poll.close_date is not None and now >= poll.close_date:
                poll.closed = True

    async def _m_sendPoll(self, p, files, token):
        chat = self._chat_for_send(p)
        question = render_text(p.get("question"), p.get("question_parse_mode"), None, caption=True)[
            0
        ].strip()
        if not question:
            raise bad("poll question must be non-empty")
        if len(question) > QUESTION_LIMIT:
            raise bad("poll question length must not exceed 300")
        options = _options(p.get("options"))
        kind = str(p.get("type") or "regular")
        if kind not in ("regular", "quiz"):
            raise bad("wrong poll type specified")
        anonymous = _flag(p.get("is_anonymous"), True)
        if chat.type == "channel" and not anonymous:
            raise bad("non-anonymous polls can't be sent to channel chats")
        correct = p.get("correct_option_id")
        if kind == "quiz":
            try:
                correct = int(correct)
            except (TypeError, ValueError):
                raise bad("wrong correct option ID specified") from None
            if not 0 <= correct < len(options):
                raise bad("wrong correct option ID specified")
        else:
            correct = None
        explanation = None
        if p.get("explanation"):
            explanation, _entities = render_text(
                p.get("explanation"), p.get("explanation_parse_mode"), None, caption=True
            )
            if len(explanation) > EXPLANATION_LIMIT:
                raise bad("explanation length must not exceed 200")
            if explanation.count("\n") > EXPLANATION_LINE_FEEDS:
                raise bad("explanation can't contain more than 2 line feeds")
        close_date = None
        if p.get("open_period") is not None:
            period = int(p["open_period"])
            if not OPEN_PERIOD_MIN <= period <= OPEN_PERIOD_MAX:
                raise bad("wrong open period specified")
            close_date = self.now() + period
        rows = check_reply_markup(p.get("reply_markup"))
        self._flood(token, chat)
        poll = PollState(
            id=str(next(self._ids) * 1_000_003 + secrets.randbelow(1000)),
            chat_id=chat.id,
            message_id=chat.next_message_id,
            question=question,
            options=options,
            type=kind,
            is_anonymous=anonymous,
            correct_option_id=correct,
            explanation=explanation,
            close_date=close_date,
            votes=[0] * len(options),
        )
        self.polls[poll.id] = poll
        shown = self._store(chat, token, text=question, media=("poll", poll.as_poll()), rows=rows)
        shown.text = question
        shown.raw.pop("caption", None)
        self._emit(BotEvent("send", "sendPoll", chat.id, shown, p))
        return shown.raw

    async def _m_stopPoll(self, p, files, token):
        chat = self._resolve_chat(p.get("chat_id"))
        message = chat.messages.get(int(p.get("message_id") or 0))
        if message is None or message.media != "poll":
            raise bad("message with poll to stop not found")
        poll = self.polls[message.raw["poll"]["id"]]
        self._refresh_polls()
        if poll.closed:
            raise bad("poll has already been closed")
        poll.closed = True
        message.raw["poll"] = poll.as_poll()
        return poll.as_poll()

    # ------------------------------------------------------------------ people

    def poll_in(self, chat_id: int) -> PollState | None:
        """The latest poll the bot sent to this chat."""
        found = [poll for poll in self.polls.values() if poll.chat_id == chat_id]
        return found[-1] if found else None

    def answer_poll(self, user_id: int, poll_id: str, option_ids: list[int]) -> int:
        """The person votes; returns the update id. LookupError if the poll is closed,
        unknown, not in the person's chat (non-anonymous) or already answered by them."""
        self._refresh_polls()
        poll = self.polls.get(poll_id)
        if poll is None:
            raise LookupError(f"no poll {poll_id}")
        if poll.closed:
            raise LookupError(f"poll {poll_id} is closed")
        if user_id in poll.voters:
            raise LookupError("a quiz is answered once")
        if any(not 0 <= i < len(poll.options) for i in option_ids) or len(option_ids) != 1:
            raise LookupError("one option of the poll")
        poll.voters[user_id] = list(option_ids)
        for i in option_ids:
            poll.votes[i] += 1
        if poll.is_anonymous:
            return self.send_update({"poll": poll.as_poll()})
        return self.send_update(
            {
                "poll_answer": {
                    "poll_id": poll.id,
                    "user": self._user(user_id),
                    "option_ids": list(option_ids),
                    "option_persistent_ids": [poll.option_id(i) for i in option_ids],
                }
            }
        )
