"""The broadcast composer: the draft kept in the admin's FSM data (progress: broadcast_desk.py).

The draft is plain JSON (FSM storage): the admin's own messages to copy, per language version
("*" = every language), the audience toggles and the time. Nothing here trusts callback data:
handlers pass only what they re-checked.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from bot import LOCALES
from bot.delivery import Audience, OutgoingMessage

ALL = "*"  # the version for every language without a version of its own


def new_draft(chat_id: int) -> dict:
    return {
        "chat": chat_id,
        "versions": {},
        "current": ALL,
        "group": None,
        "subscribers": [],
        "channels": [],
        "when": None,
    }


def add_message(draft: dict, message_id: int, media_group_id: str | None) -> bool:
    """Put a message into the current version; True if it started a new version (not an album part)."""
    key = draft["current"]
    if media_group_id is not None and draft.get("group") == media_group_id:
        draft["versions"][key].append(message_id)
        return False
    draft["versions"][key] = [message_id]
    draft["group"] = media_group_id
    return True


def to_versions(draft: dict, default_locale: str) -> dict[str, OutgoingMessage]:
    """Copy-message versions; the "*" version serves DEFAULT_LOCALE and every language without one."""
    chat = int(draft["chat"])
    out = {
        locale: OutgoingMessage(copy_from_chat=chat, copy_message_ids=tuple(sorted(ids)))
        for locale, ids in draft["versions"].items()
        if locale in LOCALES and ids
    }
    if draft["versions"].get(ALL):
        general = OutgoingMessage(
            copy_from_chat=chat, copy_message_ids=tuple(sorted(draft["versions"][ALL]))
        )
        for locale in LOCALES:
            out.setdefault(locale, general)
    return out


def toggle(values: list[str], value: str) -> list[str]:
    return [v for v in values if v != value] if value in values else [*values, value]


def to_audience(draft: dict) -> Audience | None:
    """None while nobody is chosen. "all" means subscribers of every language."""
    subs = draft["subscribers"]
    locales = LOCALES if "all" in subs else tuple(loc for loc in LOCALES if loc in subs)
    channels = tuple(loc for loc in LOCALES if loc in draft["channels"])
    if not locales and not channels:
        return None
    return Audience(subscribers=bool(locales), locales=locales or LOCALES, channels=channels)


def parse_when(text: str, tz: tzinfo, now: datetime) -> datetime | None:
    """'YYYY-MM-DD HH:MM' in TIMEZONE (`tz`), after `now`; None otherwise."""
    try:
        naive = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        return None
    moment = naive.replace(tzinfo=tz)
    return moment if moment > now else None
