"""Inline mode: `@bot question` in any chat offers the guide's answers, each sent in full.

Only entries the Coalition's lawyers have checked are offered: a message sent inline travels on
without the bot's "awaiting review" context. A `tg:` / `ru:` / `en:` prefix picks the language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot import LOCALES
from bot.rights.content import Entry, page_header
from bot.rights.service import FaqService
from bot.telegram_html import teaser, visible_length

MAX_RESULTS = 10  # what the person scrolls through; Telegram allows 50
QUERY_LIMIT = 256  # Telegram's inline query text is at most 256 characters
TEXT_LIMIT = 4096  # a sent message, after entity parsing
CACHE_SECONDS = 300  # the guide changes with a restart only
DESCRIPTION_LIMIT = 120
_PREFIX = re.compile(r"^\s*(" + "|".join(LOCALES) + r")\s*:\s*", re.IGNORECASE)


def split_locale(query: str, locale: str) -> tuple[str, str]:
    """(language, question): a `tg:` / `ru:` / `en:` prefix overrides the reader's language."""
    text = query[:QUERY_LIMIT]
    match = _PREFIX.match(text)
    if match is None:
        return locale, text.strip()
    return match.group(1).lower(), text[match.end() :].strip()


def result_id(locale: str, name: str) -> str:
    """A result id (1-64 bytes): the language and the entry id (ids are at most 24 characters)."""
    return f"{locale}.{name}"[:64]


def description(html: str) -> str:
    """The first words of an answer as plain text, for the result list."""
    return teaser(html, DESCRIPTION_LIMIT)


def full_answer(entry: Entry, locale: str, more_note: str) -> str:
    """The whole answer as one message; when its pages do not fit Telegram's 4096 characters,
    as many whole pages as fit, then `more_note` (the rest is one tap away, in the bot)."""
    text = entry.text(locale)
    parts = [page_header(text.question)]
    for index, page in enumerate(text.pages):
        candidate = "\n\n".join([*parts, page])
        rest = index < len(text.pages) - 1
        budget = TEXT_LIMIT - (visible_length(more_note) + 2 if rest else 0)
        if visible_length(candidate) > budget:
            break
        parts.append(page)
    if len(parts) - 1 < len(text.pages):
        parts.append(more_note)
    return "\n\n".join(parts)


@dataclass(frozen=True)
class InlineGuide:
    """The guide's search for inline queries: at most MAX_RESULTS checked entries."""

    faq: FaqService

    def answers(self, question: str) -> list[Entry]:
        if not question.strip():
            return []
        found = self.faq.search(question[:QUERY_LIMIT], limit=MAX_RESULTS * 3)
        return [entry for entry in found if not entry.awaiting_review][:MAX_RESULTS]
