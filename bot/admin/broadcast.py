"""The broadcast composer: the draft kept in the admin's FSM data, and the progress reports.

The draft is plain JSON (FSM storage): the admin's own messages to copy, per language version
("*" = every language), the audience toggles and the time. Nothing here trusts callback data:
handlers pass only what they re-checked.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, tzinfo

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.utils.i18n import gettext as _

from bot import LOCALES
from bot.delivery import Audience, DeliveryEngine, DeliveryProgress, OutgoingMessage
from bot.i18n import Translator

log = logging.getLogger(__name__)

ALL = "*"  # the version for every language without a version of its own
PROGRESS_EDIT_INTERVAL = 3.0  # Telegram tolerates ~20 edits/min per chat; one per 3 s stays below
_watchers: set[asyncio.Task] = set()


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


def progress_text(p: DeliveryProgress) -> str:
    """In the current locale: the watcher below sets the admin's with `i18n.use_locale`."""
    if p.state == "done":
        head = _("✅ Broadcast finished.")
    elif p.state == "cancelled":
        head = _("⏹ Broadcast cancelled.")
    elif p.state == "scheduled":
        head = _("🕒 Broadcast scheduled.")
    else:
        head = _("📤 Broadcast in progress…")
    lines = [
        head,
        _("Sent: {sent} · blocked: {blocked} · failed: {failed} · left: {left}").format(
            sent=p.sent, blocked=p.blocked, failed=p.failed, left=p.left
        ),
    ]
    if not p.finished and p.rate > 0:
        eta = int(p.eta or 0)
        lines.append(
            _("Rate: {rate}/s · about {minutes} min {seconds} s left").format(
                rate=f"{p.rate:.1f}", minutes=eta // 60, seconds=eta % 60
            )
        )
    lines.append(_("Number: {id}").format(id=p.delivery_id))
    return "\n".join(lines)


def watch(
    bot: Bot,
    delivery: DeliveryEngine,
    i18n: Translator,
    chat_id: int,
    delivery_id: int,
    locale: str,
) -> None:
    """Edit one progress message at most every 3 s, then send a summary when it ends."""
    task = asyncio.create_task(_watch(bot, delivery, i18n, chat_id, delivery_id, locale))
    _watchers.add(task)
    task.add_done_callback(_watchers.discard)


async def _watch(
    bot: Bot,
    delivery: DeliveryEngine,
    i18n: Translator,
    chat_id: int,
    delivery_id: int,
    locale: str,
) -> None:
    def text_of(progress: DeliveryProgress) -> str:
        with i18n.use_locale(locale):
            return progress_text(progress)

    progress = await delivery.progress(delivery_id)
    message = await bot.send_message(chat_id, text_of(progress))
    shown = message.text
    while not progress.finished:
        await asyncio.sleep(PROGRESS_EDIT_INTERVAL)
        try:
            progress = await delivery.progress(delivery_id)
        except Exception:  # the database closed at shutdown
            return
        text = text_of(progress)
        if text != shown:
            with contextlib.suppress(TelegramAPIError):
                await bot.edit_message_text(text, chat_id=chat_id, message_id=message.message_id)
                shown = text
    with contextlib.suppress(TelegramAPIError):
        await bot.send_message(chat_id, text_of(progress))
