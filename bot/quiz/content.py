"""Quiz files in `content/quizzes/<id>/` (content/README.md): loading, and checking with file:line.

`quiz.yaml` holds what is the same in every language (how long a question is open, the correct
option of each question, the rights-guide entry each explanation points to, when the question
of the day posts); `tg.yaml`, `ru.yaml`, `en.yaml` the texts. Telegram's limits are checked as
the bot will send them: a question 1-300 characters, 2-12 options of 1-100, and the explanation
together with the guide line the bot adds under it at most 200 characters and 2 line feeds.
`content/quizzes/nicknames.yaml` lists, per language, words no nickname may contain.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from bot import LOCALES
from bot.content_files import (
    CONTENT_DIR,
    Problems,
    line_of,
    load_locale_mappings,
    load_yaml,
)

QUIZZES_DIR = CONTENT_DIR / "quizzes"
NICKNAMES_FILE = QUIZZES_DIR / "nicknames.yaml"
FAQ_DIR = CONTENT_DIR / "faq"
QUIZ_ID_RE = re.compile(r"^[a-z][a-z0-9-]{1,23}$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
QUESTION_LIMIT = 300
OPTION_LIMIT = 100
OPTIONS_MIN, OPTIONS_MAX = 2, 12
EXPLANATION_LIMIT = 200
EXPLANATION_LINE_FEEDS = 2
OPEN_PERIOD_MIN, OPEN_PERIOD_MAX = 5, 600
TITLE_LIMIT = 60
QUIZ_KEYS = {"open_period", "questions", "of_the_day"}
LANGUAGE_KEYS = {"title", "guide_label", "questions"}


@dataclass(frozen=True)
class Question:
    correct: int
    guide: str  # a rights-guide entry id (content/faq/<locale>/*.yaml)
    text: dict[str, str]  # locale -> question
    options: dict[str, tuple[str, ...]]
    explanation: dict[str, str]


@dataclass(frozen=True)
class Quiz:
    id: str
    open_period: int
    titles: dict[str, str]
    guide_labels: dict[str, str]
    questions: tuple[Question, ...]
    day_campaigns: tuple[str, ...] = ()  # campaigns during which the question of the day posts
    day_time: time | None = None
    path: Path = field(default=QUIZZES_DIR, repr=False)


@dataclass(frozen=True)
class NicknameRules:
    banned: tuple[str, ...]  # folded words, every language together


def fold(text: str) -> str:
    """Lower case, without accents' marks that look alike (ё → е), spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return " ".join(text.split())


def faq_ids(faq_dir: Path = FAQ_DIR) -> dict[str, set[str]]:
    """locale -> every rights-guide entry id (read from the files: no dependency on the guide)."""
    found: dict[str, set[str]] = {}
    for locale in LOCALES:
        ids: set[str] = set()
        for path in sorted((faq_dir / locale).glob("*.yaml")):
            data = load_yaml(path, Problems())  # the guide's own check reports its problems
            entries = data.get("entries") if isinstance(data, dict) else None
            if isinstance(entries, dict):
                ids.update(str(key) for key in entries)
        found[locale] = ids
    return found


def _text(value: Any, limit: int, what: str, path: Path, line: int, problems: Problems) -> str:
    if not isinstance(value, str) or not value.strip():
        problems.add(path, line, f"{what} is missing or empty")
        return ""
    value = value.strip()
    if len(value) > limit:
        problems.add(path, line, f"{what} is {len(value)} characters; Telegram allows {limit}")
    return value


def _common(data: Any, path: Path, problems: Problems) -> tuple[int, list[dict], Any]:
    if not isinstance(data, dict):
        problems.add(path, 1, "expected keys: open_period, questions, of_the_day (optional)")
        return 0, [], None
    for key in data:
        if key not in QUIZ_KEYS:
            problems.add(path, line_of(data, key), f"unknown key `{key}`")
    period = data.get("open_period")
    if not isinstance(period, int) or not OPEN_PERIOD_MIN <= period <= OPEN_PERIOD_MAX:
        problems.add(path, line_of(data, "open_period"), "open_period: whole seconds from 5 to 600")
        period = 0
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        problems.add(path, line_of(data, "questions"), "questions: a list (correct, guide)")
        questions = []
    return period, questions, data.get("of_the_day")


def _of_the_day(
    value: Any, path: Path, problems: Problems, line: int
) -> tuple[tuple[str, ...], time | None]:
    if value is None:
        return (), None
    if not isinstance(value, dict):
        problems.add(path, line, "of_the_day: campaigns (a list of ids) and time (HH:MM)")
        return (), None
    campaigns = value.get("campaigns")
    found = None
    if not isinstance(campaigns, list) or not all(isinstance(c, str) for c in campaigns):
        problems.add(path, line_of(value, "campaigns"), "of_the_day.campaigns: a list of ids")
        campaigns = []
    else:
        from bot.campaigns.content import CAMPAIGNS_DIR

        for campaign in campaigns:
            if not (CAMPAIGNS_DIR / campaign).is_dir():
                problems.add(path, line_of(value, "campaigns"), f"no campaign `{campaign}`")
    match = TIME_RE.match(str(value.get("time", "")))
    if not match:
        problems.add(path, line_of(value, "time"), 'of_the_day.time: "HH:MM" in TIMEZONE')
    else:
        found = time(int(match.group(1)), int(match.group(2)))
    return tuple(campaigns), found


def load_quiz(folder: Path, problems: Problems, guide_ids: dict[str, set[str]]) -> Quiz | None:
    quiz_id = folder.name
    start = len(problems.items)
    if not QUIZ_ID_RE.match(quiz_id):
        problems.add(folder, 1, "a quiz folder's name: a-z, 0-9 and -, 2-24 characters")
    common_path = folder / "quiz.yaml"
    if not common_path.exists():
        problems.add(common_path, 1, "file missing: quiz.yaml (open_period, questions)")
        return None
    common = load_yaml(common_path, problems)
    period, items, day = _common(common, common_path, problems)
    day_campaigns, day_time = _of_the_day(day, common_path, problems, line_of(common, "of_the_day"))
    texts = load_locale_mappings(
        {locale: folder / f"{locale}.yaml" for locale in LOCALES},
        problems,
        missing="the quiz in {locale}",
        keys="title, guide_label, questions",
    )
    titles: dict[str, str] = {}
    labels: dict[str, str] = {}
    for locale, data in texts.items():
        path = folder / f"{locale}.yaml"
        for key in data:
            if key not in LANGUAGE_KEYS:
                problems.add(path, line_of(data, key), f"unknown key `{key}`")
        titles[locale] = _text(
            data.get("title"), TITLE_LIMIT, "title", path, line_of(data, "title"), problems
        )
        labels[locale] = _text(
            data.get("guide_label"),
            EXPLANATION_LIMIT,
            "guide_label",
            path,
            line_of(data, "guide_label"),
            problems,
        )
        if not isinstance(data.get("questions"), list):
            problems.add(path, line_of(data, "questions"), "questions: a list")
        elif len(data["questions"]) != len(items):
            problems.add(
                path,
                line_of(data, "questions"),
                f"{len(data['questions'])} questions; quiz.yaml has {len(items)}",
            )
    questions = []
    for index, item in enumerate(items):
        question = _question(index, item, common_path, folder, texts, labels, guide_ids, problems)
        if question is not None:
            questions.append(question)
    if len(problems.items) > start or len(texts) != len(LOCALES):
        return None
    return Quiz(quiz_id, period, titles, labels, tuple(questions), day_campaigns, day_time, folder)


def _question(
    index: int,
    item: Any,
    common_path: Path,
    folder: Path,
    texts: dict[str, Any],
    labels: dict[str, str],
    guide_ids: dict[str, set[str]],
    problems: Problems,
) -> Question | None:
    number = index + 1
    if not isinstance(item, dict):
        problems.add(common_path, line_of(item), f"question {number}: correct and guide")
        return None
    correct = item.get("correct")
    guide = item.get("guide")
    if not isinstance(guide, str) or not all(guide in ids for ids in guide_ids.values()):
        problems.add(
            common_path,
            line_of(item, "guide"),
            f"question {number}: guide `{guide}` is not a rights-guide entry in every language",
        )
    by_locale: dict[str, str] = {}
    options: dict[str, tuple[str, ...]] = {}
    explanations: dict[str, str] = {}
    for locale, data in texts.items():
        path = folder / f"{locale}.yaml"
        entries = data.get("questions")
        if not isinstance(entries, list) or index >= len(entries):
            continue
        entry = entries[index]
        line = line_of(entry)
        if not isinstance(entry, dict):
            problems.add(path, line, f"question {number}: question, options, explanation")
            continue
        by_locale[locale] = _text(
            entry.get("question"),
            QUESTION_LIMIT,
            f"question {number}",
            path,
            line_of(entry, "question"),
            problems,
        )
        raw = entry.get("options")
        options_line = line_of(entry, "options")
        if not isinstance(raw, list) or not OPTIONS_MIN <= len(raw) <= OPTIONS_MAX:
            problems.add(path, line_of(entry, "options"), f"question {number}: 2-12 options")
            raw = []
        options[locale] = tuple(
            _text(o, OPTION_LIMIT, f"question {number}: an option", path, options_line, problems)
            for o in raw
        )
        if not isinstance(correct, int) or not 0 <= correct < len(raw):
            problems.add(
                common_path,
                line_of(item, "correct"),
                f"question {number}: correct is the option's index, from 0 to {len(raw) - 1}",
            )
        explanation = _text(
            entry.get("explanation"),
            EXPLANATION_LIMIT,
            f"question {number}: the explanation",
            path,
            line_of(entry, "explanation"),
            problems,
        )
        sent = f"{explanation}\n{labels.get(locale, '')}"
        if len(sent) > EXPLANATION_LIMIT:
            problems.add(
                path,
                line_of(entry, "explanation"),
                f"question {number}: the explanation and the guide line are {len(sent)} "
                f"characters; Telegram allows {EXPLANATION_LIMIT}",
            )
        if sent.count("\n") > EXPLANATION_LINE_FEEDS:
            problems.add(
                path,
                line_of(entry, "explanation"),
                f"question {number}: the explanation and the guide line have more than "
                f"{EXPLANATION_LINE_FEEDS} line feeds",
            )
        explanations[locale] = explanation
    counts = {len(o) for o in options.values()}
    if len(counts) > 1:
        problems.add(common_path, line_of(item), f"question {number}: option counts differ")
    if len(by_locale) != len(LOCALES) or not isinstance(correct, int) or not isinstance(guide, str):
        return None
    return Question(correct, guide, by_locale, options, explanations)


def load_nickname_rules(
    path: Path | None = None, problems: Problems | None = None
) -> NicknameRules:
    path = NICKNAMES_FILE if path is None else path
    own = problems if problems is not None else Problems()
    words: list[str] = []
    data = load_yaml(path, own) if path.exists() else None
    if path.exists() and data is not None:
        banned = data.get("banned") if isinstance(data, dict) else None
        if not isinstance(banned, dict):
            own.add(path, line_of(data), "expected `banned:` with a list per language")
        else:
            for locale in LOCALES:
                items = banned.get(locale)
                if not isinstance(items, list) or not all(isinstance(w, str) for w in items):
                    own.add(path, line_of(banned, locale), f"banned.{locale}: a list of words")
                    continue
                words += [fold(w) for w in items if w.strip()]
    elif not path.exists():
        own.add(path, 1, "file missing: the words no nickname may contain")
    if problems is None:
        own.raise_if_any()
    return NicknameRules(tuple(sorted(set(words))))


def load_quizzes(root: Path | None = None, problems: Problems | None = None) -> dict[str, Quiz]:
    """Every valid quiz by id; raises ContentError unless collecting problems."""
    root = QUIZZES_DIR if root is None else root
    own = problems if problems is not None else Problems()
    found: dict[str, Quiz] = {}
    if root.is_dir():
        guide_ids = faq_ids()
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            quiz = load_quiz(folder, own, guide_ids)
            if quiz is not None:
                found[quiz.id] = quiz
    if problems is None:
        own.raise_if_any()
    return found


def check_quizzes(problems: Problems) -> None:
    """Content checker for `python -m bot content check` (see bot/content_check.py)."""
    load_quizzes(problems=problems)
    load_nickname_rules(problems=problems)
