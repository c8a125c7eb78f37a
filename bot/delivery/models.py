"""What the delivery engine delivers, to whom, and how far it got (plain data, JSON round-trip)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot import LOCALES


@dataclass(frozen=True)
class OutgoingPoll:
    """An anonymous quiz poll (the question of the day in a channel): plain texts, the
    explanation in Telegram HTML (it may link to the rights guide)."""

    question: str
    options: tuple[str, ...]
    correct_option_id: int
    explanation: str = ""

    @classmethod
    def from_json(cls, data: dict) -> OutgoingPoll:
        return cls(
            question=str(data["question"]),
            options=tuple(str(o) for o in data["options"]),
            correct_option_id=int(data["correct_option_id"]),
            explanation=str(data.get("explanation") or ""),
        )


@dataclass(frozen=True)
class OutgoingMessage:
    """One language version of what to deliver.

    `text` is Telegram HTML for sendMessage, or the caption when a message is copied.
    `copy_message_ids` with one id → copyMessage; with several (an album) → copyMessages,
    whose captions cannot be replaced, so `text` is then ignored.
    `url_buttons` are rows of (label, URL) buttons under the message (a campaign post's Share,
    an article's "Read in the bot"); an album cannot carry buttons.
    `poll` → sendPoll (an anonymous quiz; `text` is then not needed and not sent).
    """

    text: str | None = None
    copy_from_chat: int | None = None
    copy_message_ids: tuple[int, ...] = ()
    protect_content: bool = False
    url_buttons: tuple[tuple[tuple[str, str], ...], ...] = ()
    poll: OutgoingPoll | None = None

    def __post_init__(self) -> None:
        if self.copy_message_ids and self.copy_from_chat is None:
            raise ValueError("copy_message_ids needs copy_from_chat")
        if not self.copy_message_ids and not self.text and self.poll is None:
            raise ValueError("an OutgoingMessage needs a text or messages to copy")

    @property
    def cost(self) -> int:
        """How many messages Telegram counts against the flood limits."""
        return max(1, len(self.copy_message_ids))

    def to_json(self) -> dict:
        data = asdict(self)
        if self.poll is None:
            del data["poll"]  # what was stored before polls existed stays the same
        return data

    @classmethod
    def from_json(cls, data: dict) -> OutgoingMessage:
        return cls(
            text=data.get("text"),
            copy_from_chat=data.get("copy_from_chat"),
            copy_message_ids=tuple(data.get("copy_message_ids") or ()),
            protect_content=bool(data.get("protect_content")),
            url_buttons=tuple(
                tuple((str(label), str(url)) for label, url in row)
                for row in data.get("url_buttons") or ()
            ),
            poll=OutgoingPoll.from_json(data["poll"]) if data.get("poll") else None,
        )

    @property
    def reply_markup(self) -> InlineKeyboardMarkup | None:
        if not self.url_buttons:
            return None
        rows = [
            [InlineKeyboardButton(text=label, url=url) for label, url in row]
            for row in self.url_buttons
        ]
        return InlineKeyboardMarkup(inline_keyboard=rows)


@dataclass(frozen=True)
class Audience:
    """Who receives a delivery. Users get the version in their own language."""

    subscribers: bool = False  # bot users with subscribed=1, blocked=0
    all_users: bool = False  # every non-blocked user (admin news)
    locales: tuple[str, ...] = LOCALES  # which user languages
    channels: tuple[str, ...] = ()  # locales of Settings.channels to post to
    campaign_id: str | None = None  # skip users who opted out of this campaign
    region: str | None = None  # only users who chose this region (the legal receptions)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Audience:
        return cls(
            subscribers=bool(data.get("subscribers")),
            all_users=bool(data.get("all_users")),
            locales=tuple(data.get("locales") or ()),
            channels=tuple(data.get("channels") or ()),
            campaign_id=data.get("campaign_id"),
            region=data.get("region"),
        )


def versions_to_json(versions: dict[str, OutgoingMessage]) -> str:
    return json.dumps({k: v.to_json() for k, v in versions.items()}, ensure_ascii=False)


def versions_from_json(text: str) -> dict[str, OutgoingMessage]:
    return {k: OutgoingMessage.from_json(v) for k, v in json.loads(text).items()}


def pick_version(
    versions: dict[str, OutgoingMessage], locale: str | None, default_locale: str
) -> OutgoingMessage:
    """The recipient's language, else DEFAULT_LOCALE's version, else any."""
    for key in (locale, default_locale):
        if key in versions:
            return versions[key]
    return next(iter(versions.values()))


@dataclass(frozen=True)
class DeliveryProgress:
    """Counts of one delivery. `rate` is messages per second lately; `eta` in seconds or None.
    The times are aware (UTC as stored): when it may start, when it started, when it was made."""

    delivery_id: int
    kind: str
    state: str  # scheduled | expanding | sending | done | cancelled
    total: int = 0
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    left: int = 0
    cancelled: int = 0
    rate: float = 0.0
    eta: float | None = None
    reasons: dict[str, int] = field(default_factory=dict)
    audience: Audience | None = None
    not_before: datetime | None = None
    started_at: datetime | None = None
    created_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.state in ("done", "cancelled")
