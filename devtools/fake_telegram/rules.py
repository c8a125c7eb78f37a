"""Telegram's rules the fake enforces: texts, captions, keyboards, commands and flood limits.

Each check raises ApiError with the status and description Telegram would answer with.
"""

from __future__ import annotations

import math
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from bot.telegram_html import HtmlError, parse_html, utf16_len

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_BYTES = 64
CALLBACK_ANSWER_LIMIT = 200
MAX_BUTTONS = 100
MAX_ROW = 8
URL_SCHEMES = ("http://", "https://", "tg://")
BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_LANG_RE = re.compile(r"^([a-z]{2})?$")


class ApiError(Exception):
    """An error answer: HTTP status, description, optional retry_after."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def render_text(
    text: Any, parse_mode: str | None, entities: Any, *, caption: bool = False
) -> tuple[str, list[dict]]:
    """Parse a text or caption like Telegram; return (visible text, entity dicts)."""
    text = "" if text is None else str(text)
    mode = (parse_mode or "").lower()
    if mode == "html":
        try:
            plain, ents = parse_html(text)
        except HtmlError as e:
            raise bad(f"can't parse entities: {e}") from None
        ent_dicts = [e.to_dict() for e in ents]
    else:
        # MarkdownV2 is not simulated: the raw text is what gets counted.
        plain = text
        ent_dicts = list(entities) if isinstance(entities, list) else []
    plain, ent_dicts = _strip(plain, ent_dicts)
    length = utf16_len(plain)
    if caption:
        if length > CAPTION_LIMIT:
            raise bad("message caption is too long")
    else:
        if length == 0:
            raise bad("message text is empty")
        if length > TEXT_LIMIT:
            raise bad("message is too long")
    return plain, ent_dicts


def _strip(plain: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Telegram drops leading and trailing whitespace; entities shift accordingly."""
    stripped = plain.strip()
    if stripped == plain:
        return plain, entities
    cut = utf16_len(plain[: len(plain) - len(plain.lstrip())])
    total = utf16_len(stripped)
    out = []
    for e in entities:
        start = max(e["offset"] - cut, 0)
        end = min(e["offset"] + e["length"] - cut, total)
        if end > start:
            out.append({**e, "offset": start, "length": end - start})
    return stripped, out


def check_reply_markup(markup: Any) -> list[list[dict]]:
    """Validate reply_markup; return the inline keyboard rows (empty for other kinds)."""
    if markup in (None, ""):
        return []
    if not isinstance(markup, dict):
        raise bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad(
                'can\'t parse inline keyboard markup: field "inline_keyboard" must be of type Array'
            )
        if sum(len(r) for r in rows) > MAX_BUTTONS:
            raise bad("reply markup is too long")
        for row in rows:
            if len(row) > MAX_ROW:
                raise bad("BUTTON_ROW_TOO_LONG: at most 8 buttons per row")
            for button in row:
                _check_inline_button(button)
        return [list(r) for r in rows if r]
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list):
            raise bad("can't parse keyboard markup")
        for row in rows:
            for button in row:
                text = button.get("text") if isinstance(button, dict) else button
                if not text:
                    raise bad("BUTTON_TEXT_INVALID")
        return []
    if markup.get("remove_keyboard") or markup.get("force_reply"):
        return []
    raise bad("can't parse reply keyboard markup JSON object")


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
    if not str(button.get("text", "")).strip():
        raise bad("BUTTON_TEXT_INVALID")
    actions = [k for k in BUTTON_ACTIONS if k in button and button[k] is not None]
    if not actions:
        raise bad(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise bad(
            "can't parse inline keyboard button: exactly one of the optional fields must be used"
        )
    if "callback_data" in actions:
        data = button["callback_data"]
        size = len(str(data).encode("utf-8"))
        if not isinstance(data, str) or size < 1 or size > CALLBACK_DATA_BYTES:
            raise bad("BUTTON_DATA_INVALID")
    if "copy_text" in actions:  # CopyTextButton: an object with a text of 1-256 characters
        copy = button["copy_text"]
        text = copy.get("text") if isinstance(copy, dict) else None
        if not isinstance(text, str) or not 1 <= len(text) <= 256:
            raise bad("can't parse inline keyboard button: copy_text must have 1-256 characters")
    if "url" in actions:
        url = str(button["url"])
        if not url.lower().startswith(URL_SCHEMES) or len(url) <= len("tg://"):
            raise bad("BUTTON_URL_INVALID")


def check_commands(commands: Any, language_code: Any) -> list[dict]:
    if not isinstance(commands, list):
        raise bad("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad("BOT_COMMANDS_TOO_MUCH")
    for c in commands:
        if not isinstance(c, dict) or not _COMMAND_RE.match(str(c.get("command", ""))):
            raise bad("BOT_COMMAND_INVALID")
        description = str(c.get("description", ""))
        if not 1 <= len(description) <= 256:
            raise bad("BOT_COMMAND_DESCRIPTION_INVALID")
    if not _LANG_RE.match(str(language_code or "")):
        raise bad("invalid language code specified")
    return [{"command": c["command"], "description": c["description"]} for c in commands]


@dataclass
class RateLimits:
    """Flood-limit settings. ``enabled=False`` turns all of them off."""

    enabled: bool = True
    global_per_second: int = 30
    private_per_second: float = 1.0
    private_burst: int = 4
    group_per_minute: int = 20
    # Time-scaled benchmarks: every limit K times faster (30 per 1/K s, not 30 K per second,
    # which would let a 30 K burst inside one second through).
    time_scale: float = 1.0


@dataclass
class RateLimiter:
    """Sliding windows (global, groups) and a token bucket (private chats), on the fake clock."""

    limits: RateLimits
    _global: deque = field(default_factory=deque)
    _groups: dict[int, deque] = field(default_factory=dict)
    _private: dict[int, tuple[float, float]] = field(default_factory=dict)  # tokens, last time
    _retry_until: dict[Any, float] = field(default_factory=dict)

    def pending_retry(self, chat_id: int, now: float) -> float:
        """Seconds left of a retry_after already given for this chat (or globally)."""
        left = 0.0
        for key in (chat_id, "*"):
            until = self._retry_until.get(key)
            if until is not None:
                left = max(left, until - now)
        return left

    def note_retry(self, key: Any, now: float, retry_after: int) -> None:
        self._retry_until[key] = max(self._retry_until.get(key, 0.0), now + retry_after)

    def check(self, chat_id: int, is_private: bool, count: int, now: float) -> int | None:
        """Record ``count`` messages to ``chat_id``; return retry_after seconds if over a limit."""
        if not self.limits.enabled:
            return None
        lim = self.limits
        second, rate = 1.0 / lim.time_scale, lim.private_per_second * lim.time_scale
        g = self._global
        while g and g[0] <= now - second:
            g.popleft()
        if len(g) + count > lim.global_per_second:
            wait = (g[0] + second - now) if g else second
            return self._deny("*", now, wait)
        if is_private:
            tokens, last = self._private.get(chat_id, (float(lim.private_burst), now))
            tokens = min(float(lim.private_burst), tokens + (now - last) * rate)
            if tokens < count:
                wait = (count - tokens) / rate
                self._private[chat_id] = (tokens, now)
                return self._deny(chat_id, now, wait)
            self._private[chat_id] = (tokens - count, now)
        else:
            w = self._groups.setdefault(chat_id, deque())
            while w and w[0] <= now - 60.0 * second:
                w.popleft()
            if len(w) + count > lim.group_per_minute:
                wait = (w[0] + 60.0 * second - now) if w else 60.0 * second
                return self._deny(chat_id, now, wait)
            w.extend([now] * count)
        g.extend([now] * count)
        return None

    def _deny(self, key: Any, now: float, wait: float) -> int:
        retry_after = max(1, math.ceil(wait))
        self.note_retry(key, now, retry_after)
        return retry_after
