"""The "Know your rights" FAQ: load `content/faq/` into immutable objects and check it.

Structure lives in `content/faq/topics/<topic>.yaml` (ids, related entries, legal source, review
status); texts in `content/faq/<lang>/<topic>.yaml`. Every problem names file and line so that an
editor can fix it without reading code. Long answers are split into pages here, once, so the
screens and the checks see exactly the same pages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot import LOCALES
from bot.callbacks import Nav
from bot.content_files import CONTENT_DIR, Problems, line_of, load_locale_mappings, load_yaml
from bot.rights.lexicon import load_lexicon
from bot.telegram_html import (
    HtmlError,
    escape,
    parse_html,
    split_html,
    utf16_len,
    visible_length,
)

TOPIC_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,19}$")
ENTRY_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,23}$")
REVIEW_OK = "ok"
REVIEW_AWAITING = "awaiting-legal-review"
REVIEW_VALUES = (REVIEW_OK, REVIEW_AWAITING)
MAX_TITLE = 40  # a topic title is a button label
MAX_QUESTION = 60  # a question is a button label
MAX_KEYBOARD_BUTTON = 64  # Telegram shows longer labels cut; our own hard limit
PAGE_BODY_LIMIT = 3000  # visible characters of answer per page; header and notes fit in 4096
MESSAGE_LIMIT = 4096
MAX_PAGES = 9  # page numbers stay one digit in callback data
CALLBACK_LIMIT = 64
# Screen names, shared with the screens so that the check measures the real callback data.
SCREEN_MENU = "rights"
SCREEN_TOPIC = "faqt"
SCREEN_ANSWER = "faq"
# The longest extra text a page carries (question header, review note, page counter).
PAGE_OVERHEAD = 400


@dataclass(frozen=True)
class EntryText:
    """One entry in one language. `pages` are the answer split for Telegram (usually one)."""

    question: str
    answer: str
    keywords: str
    pages: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    id: str
    topic: str
    related: tuple[str, ...]
    source: str
    review: str
    texts: Mapping[str, EntryText]

    @property
    def awaiting_review(self) -> bool:
        return self.review == REVIEW_AWAITING

    def text(self, locale: str) -> EntryText:
        return self.texts[locale]


@dataclass(frozen=True)
class Topic:
    id: str
    order: int
    titles: Mapping[str, str]
    intros: Mapping[str, str]
    entry_ids: tuple[str, ...]


@dataclass(frozen=True)
class Faq:
    topics: tuple[Topic, ...]  # in menu order
    entries: Mapping[str, Entry]

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def entry(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    def awaiting_review(self) -> list[Entry]:
        return [e for e in self.entries.values() if e.awaiting_review]


def answer_arg(entry_id: str, page: int = 0) -> str:
    """Nav argument of an answer page: "<id>" for the first page, "<id>.<page>" after it."""
    return entry_id if page == 0 else f"{entry_id}.{page}"


def parse_answer_arg(arg: str) -> tuple[str, int]:
    entry_id, _sep, page = arg.partition(".")
    return entry_id, int(page) if page.isdigit() else 0


def paginate(answer: str) -> tuple[str, ...]:
    """An answer's pages. Most answers fit on one page: their raw HTML is already within the
    limit (what a person sees is never longer than the HTML), so they are only validated."""
    if utf16_len(answer) <= PAGE_BODY_LIMIT and answer == answer.strip():
        parse_html(answer)  # raises on broken HTML, as splitting would
        return (answer,)
    return tuple(split_html(answer, PAGE_BODY_LIMIT))


# --------------------------------------------------------------------------- loading


@dataclass
class _RawEntry:
    id: str
    topic: str
    related: tuple[str, ...]
    source: str
    review: str
    path: Path
    line: int
    related_line: int


def load_faq(content_dir: Path = CONTENT_DIR, problems: Problems | None = None) -> Faq:
    """Load and check the FAQ; without a `problems` collector, raise ContentError on any problem."""
    own = problems if problems is not None else Problems()
    faq_dir = content_dir / "faq"
    topic_files = sorted((faq_dir / "topics").glob("*.yaml"))
    if not topic_files:
        own.add(faq_dir / "topics", 1, "no topic files found")
    raw_topics: list[tuple[str, int, list[_RawEntry], Path]] = []
    seen: dict[str, _RawEntry] = {}
    for path in topic_files:
        loaded = _load_topic_structure(path, own, seen)
        if loaded is not None:
            raw_topics.append((*loaded, path))
    for raw in seen.values():
        for target in raw.related:
            if target not in seen:
                own.add(raw.path, raw.related_line, f"{raw.id}: related id '{target}' not found")
            elif target == raw.id:
                own.add(raw.path, raw.related_line, f"{raw.id}: an entry cannot relate to itself")
    topics: list[Topic] = []
    entries: dict[str, Entry] = {}
    for topic_id, order, raws, _path in raw_topics:
        titles, intros, texts = _load_topic_texts(faq_dir, topic_id, raws, own)
        for raw in raws:
            entries[raw.id] = Entry(
                raw.id,
                topic_id,
                raw.related,
                raw.source,
                raw.review,
                MappingProxyType(texts.get(raw.id, {})),
            )
        topics.append(
            Topic(
                topic_id,
                order,
                MappingProxyType(titles),
                MappingProxyType(intros),
                tuple(r.id for r in raws),
            )
        )
    topics.sort(key=lambda t: (t.order, t.id))
    if problems is None:
        own.raise_if_any()
    return Faq(tuple(topics), MappingProxyType(entries))


def _load_topic_structure(
    path: Path, problems: Problems, seen: dict[str, _RawEntry]
) -> tuple[str, int, list[_RawEntry]] | None:
    data = load_yaml(path, problems)
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.add(path, 1, "expected keys: topic, order, entries")
        return None
    topic_id = data.get("topic")
    if topic_id != path.stem:
        problems.add(path, line_of(data, "topic"), f"topic must be '{path.stem}' (the file name)")
    if not isinstance(topic_id, str) or not TOPIC_ID_RE.match(topic_id):
        problems.add(path, line_of(data, "topic"), "topic id: a-z, 0-9, _; up to 20 characters")
        topic_id = path.stem
    order = data.get("order")
    if not isinstance(order, int):
        problems.add(path, line_of(data, "order"), "order must be a whole number")
        order = 1000
    items = data.get("entries")
    if not isinstance(items, list) or not items:
        problems.add(path, line_of(data, "entries"), "entries: a non-empty list is required")
        return topic_id, order, []
    raws: list[_RawEntry] = []
    for item in items:
        raw = _structure_entry(path, item, topic_id, problems)
        if raw is None:
            continue
        if raw.id in seen:
            first = seen[raw.id]
            problems.add(
                path,
                raw.line,
                f"duplicate entry id '{raw.id}' (first at {first.path.name}:{first.line})",
            )
            continue
        seen[raw.id] = raw
        raws.append(raw)
    for extra in set(data) - {"topic", "order", "entries"}:
        problems.add(path, line_of(data, extra), f"unknown key '{extra}'")
    return topic_id, order, raws


def _structure_entry(path: Path, item: Any, topic_id: str, problems: Problems) -> _RawEntry | None:
    line = line_of(item)
    if not isinstance(item, dict):
        problems.add(path, line, "each entry must be a mapping with id, related, source, review")
        return None
    entry_id = item.get("id")
    if not isinstance(entry_id, str) or not ENTRY_ID_RE.match(entry_id):
        problems.add(path, line, f"entry id {entry_id!r}: a-z, 0-9, _; up to 24 characters")
        return None
    related = item.get("related", [])
    if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
        problems.add(path, line_of(item, "related"), f"{entry_id}: related must be a list of ids")
        related = []
    source = item.get("source")
    if not isinstance(source, str) or not source.strip():
        problems.add(path, line_of(item, "source"), f"{entry_id}: source (legal basis) missing")
        source = ""
    review = item.get("review")
    if review not in REVIEW_VALUES:
        problems.add(
            path,
            line_of(item, "review"),
            f"{entry_id}: review must be one of {', '.join(REVIEW_VALUES)}, not {review!r}",
        )
        review = REVIEW_AWAITING  # unknown status: treat as not yet checked
    for extra in set(item) - {"id", "related", "source", "review"}:
        problems.add(path, line_of(item, extra), f"{entry_id}: unknown key '{extra}'")
    for arg in (answer_arg(entry_id, MAX_PAGES), topic_id):
        screen = SCREEN_ANSWER if arg != topic_id else SCREEN_TOPIC
        packed = Nav(screen=screen, arg=arg).pack()
        if len(packed.encode()) > CALLBACK_LIMIT:
            problems.add(path, line, f"callback data {packed!r} exceeds {CALLBACK_LIMIT} bytes")
    return _RawEntry(
        entry_id,
        topic_id,
        tuple(related),
        source.strip(),
        str(review),
        path,
        line,
        line_of(item, "related"),
    )


def _load_topic_texts(
    faq_dir: Path, topic_id: str, raws: list[_RawEntry], problems: Problems
) -> tuple[dict[str, str], dict[str, str], dict[str, dict[str, EntryText]]]:
    titles: dict[str, str] = {}
    intros: dict[str, str] = {}
    texts: dict[str, dict[str, EntryText]] = {}
    known = {r.id for r in raws}
    paths = {locale: faq_dir / locale / f"{topic_id}.yaml" for locale in LOCALES}
    found = load_locale_mappings(
        paths,
        problems,
        missing=f"topic '{topic_id}' has no {{locale}} texts",
        keys="title, intro, entries",
    )
    for locale, data in found.items():
        path = paths[locale]
        titles[locale] = _plain(path, data, "title", MAX_TITLE, problems)
        intros[locale] = _html(path, line_of(data, "intro"), data.get("intro"), "intro", problems)
        entries = data.get("entries")
        if not isinstance(entries, dict):
            problems.add(path, line_of(data, "entries"), "entries: a mapping id → texts")
            entries = {}
        for entry_id in known - set(entries):
            problems.add(path, line_of(data, "entries"), f"entry '{entry_id}' missing in {locale}")
        for entry_id, item in entries.items():
            line = line_of(entries, entry_id)
            if entry_id not in known:
                problems.add(path, line, f"unknown entry id '{entry_id}' (not in topics/)")
                continue
            text = _entry_text(path, entry_id, item, line, problems)
            if text is not None:
                texts.setdefault(entry_id, {})[locale] = text
        for extra in set(data) - {"title", "intro", "entries"}:
            problems.add(path, line_of(data, extra), f"unknown key '{extra}'")
    return titles, intros, texts


def _entry_text(
    path: Path, entry_id: str, item: Any, line: int, problems: Problems
) -> EntryText | None:
    if not isinstance(item, dict):
        problems.add(path, line, f"{entry_id}: expected question, answer, keywords")
        return None
    question = _plain(path, item, "question", MAX_QUESTION, problems, entry_id)
    answer = _html(
        path, line_of(item, "answer"), item.get("answer"), f"{entry_id}: answer", problems
    )
    keywords = item.get("keywords", "")
    if not isinstance(keywords, str):
        problems.add(path, line_of(item, "keywords"), f"{entry_id}: keywords must be text")
        keywords = ""
    for extra in set(item) - {"question", "answer", "keywords"}:
        problems.add(path, line_of(item, extra), f"{entry_id}: unknown key '{extra}'")
    pages: tuple[str, ...] = ()
    if answer:
        pages = paginate(answer)
        if len(pages) > MAX_PAGES:
            problems.add(
                path,
                line_of(item, "answer"),
                f"{entry_id}: answer needs {len(pages)} pages; at most {MAX_PAGES}",
            )
        worst = max(visible_length(page) for page in pages) + PAGE_OVERHEAD + len(question)
        if worst > MESSAGE_LIMIT:
            problems.add(
                path,
                line_of(item, "answer"),
                f"{entry_id}: an answer page is {worst} characters with its header; "
                f"Telegram allows {MESSAGE_LIMIT}",
            )
    return EntryText(question, answer, keywords, pages)


def _plain(
    path: Path,
    data: dict,
    key: str,
    limit: int,
    problems: Problems,
    entry_id: str = "",
) -> str:
    """A plain-text label (a button): present, one line, no markup, within `limit`."""
    what = f"{entry_id}: {key}" if entry_id else key
    value = data.get(key)
    line = line_of(data, key)
    if not isinstance(value, str) or not value.strip():
        problems.add(path, line, f"{what} is missing or empty")
        return ""
    value = value.strip()
    if "\n" in value or "<" in value:
        problems.add(path, line, f"{what} must be plain text on one line (it is a button)")
    if len(value) > limit:
        problems.add(path, line, f"{what} is {len(value)} characters; at most {limit} (a button)")
    return value


def _html(path: Path, line: int, value: Any, what: str, problems: Problems) -> str:
    """Telegram HTML: parsed like Telegram does; the line of an error points inside the block."""
    if not isinstance(value, str) or not value.strip():
        problems.add(path, line, f"{what} is missing or empty")
        return ""
    value = value.strip()
    try:
        parse_html(value)
    except HtmlError as exc:
        inner = 0
        if exc.offset is not None:
            inner = value.encode()[: exc.offset].count(b"\n") + 1  # block scalars start below
        problems.add(path, line + inner, f"{what}: invalid Telegram HTML: {exc}")
        return ""
    return value


def page_header(question: str) -> str:
    return f"<b>{escape(question)}</b>"


# --------------------------------------------------------------------------- checker


def check_faq(problems: Problems, content_dir: Path = CONTENT_DIR) -> Faq:
    """Content checker (bot/content_check.py): every problem, plus how many await legal review."""
    faq = load_faq(content_dir, problems)
    load_lexicon(content_dir, problems)
    waiting = len(faq.awaiting_review())
    print(
        f"FAQ: {len(faq.entries)} entries in {len(faq.topics)} topics; {waiting} awaiting legal "
        "review (list: python -m bot faq review-list)"
    )
    return faq
