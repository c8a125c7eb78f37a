"""One term per idea: `content/glossary.yaml` names the chosen term and its banned variants per
language, and the content check reports every banned variant in the texts people read.

Scanned: FAQ texts (`content/faq/<lang>/*.yaml`), pages (`content/pages/<lang>.yaml`), campaign
posts (`content/campaigns/*/<lang>.yaml`) and the `msgstr` values of `locales/<lang>/LC_MESSAGES/*.po`.
Not scanned: the FAQ `keywords` and the search synonyms, which deliberately hold the words and
misspellings people type, and YAML comments.

A variant matches as a whole word (or phrase), ignoring letter case; a variant ending in `*`
matches every word that begins with it (`барқарорсоз*` also finds «барқарорсозии»). Word
boundaries are Unicode-aware, so «кумак» is found in «кумаки ҳуқуқӣ» but not inside «кӯмак».
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot import LOCALES
from bot.content_files import CONTENT_DIR, LineDict, Problems, line_of, load_yaml
from bot.i18n import LOCALES_DIR

GLOSSARY_FILE = "glossary.yaml"
ENTRY_KEYS = {"term", "banned", "note"}
SKIPPED_KEYS = {"keywords"}  # search words: people's own spellings, never shown as text


@dataclass(frozen=True)
class Rule:
    locale: str
    term: str
    variant: str
    pattern: re.Pattern[str]


def variant_pattern(variant: str) -> re.Pattern[str]:
    """Whole-word, case-insensitive; a trailing `*` allows any ending; spaces match any spacing."""
    prefix = variant.endswith("*")
    core = variant[:-1] if prefix else variant
    words = [re.escape(part) for part in core.split()]
    body = r"\s+".join(words)
    start = r"(?<!\w)" if core[:1].isalnum() or core[:1] == "_" else ""
    end = r"\w*" if prefix else ""
    end += r"(?!\w)" if prefix or core[-1:].isalnum() or core[-1:] == "_" else ""
    return re.compile(start + body + end, re.IGNORECASE)


def load_glossary(content_dir: Path = CONTENT_DIR, problems: Problems | None = None) -> list[Rule]:
    """Read and validate the glossary; every structural problem is reported with its line."""
    own = problems if problems is not None else Problems()
    path = content_dir / GLOSSARY_FILE
    if not path.exists():
        own.add(path, 1, "file missing: the glossary (chosen terms and banned variants)")
        return []
    data = load_yaml(path, own)
    if data is None:
        return []
    if not isinstance(data, dict):
        own.add(path, 1, f"expected one key per language: {', '.join(LOCALES)}")
        return []
    rules: list[Rule] = []
    for extra in set(data) - set(LOCALES):
        own.add(path, line_of(data, extra), f"unknown language '{extra}'")
    for locale in LOCALES:
        if locale not in data:
            own.add(path, 1, f"language '{locale}' missing")
            continue
        entries = data[locale]
        line = line_of(data, locale)
        if not isinstance(entries, list) or not entries:
            own.add(path, line, f"{locale}: a non-empty list of entries (term, banned) is required")
            continue
        seen: dict[str, int] = {}
        for entry in entries:
            rules.extend(_entry_rules(path, locale, entry, line, seen, own))
    if problems is None:
        own.raise_if_any()
    return rules


def _entry_rules(
    path: Path, locale: str, entry: Any, list_line: int, seen: dict[str, int], problems: Problems
) -> list[Rule]:
    if not isinstance(entry, LineDict):
        problems.add(path, list_line, f"{locale}: each entry must be a mapping with term, banned")
        return []
    term = entry.get("term")
    if not isinstance(term, str) or not term.strip():
        problems.add(path, line_of(entry, "term"), f"{locale}: term is missing or empty")
        return []
    for extra in set(entry) - ENTRY_KEYS:
        problems.add(path, line_of(entry, extra), f"{locale}: unknown key '{extra}'")
    note = entry.get("note", "")
    if not isinstance(note, str):
        problems.add(path, line_of(entry, "note"), f"{locale}: note must be text")
    banned = entry.get("banned")
    banned_line = line_of(entry, "banned")
    if not isinstance(banned, list) or not banned:
        problems.add(path, banned_line, f"{locale}: «{term}»: banned must be a non-empty list")
        return []
    rules: list[Rule] = []
    for variant in banned:
        if not isinstance(variant, str) or not variant.strip("* ").strip():
            problems.add(
                path, banned_line, f"{locale}: «{term}»: banned variant {variant!r} is empty"
            )
            continue
        variant = variant.strip()
        key = variant.casefold()
        if key in seen:
            problems.add(
                path,
                banned_line,
                f"{locale}: «{variant}» is banned twice (first at line {seen[key]})",
            )
            continue
        seen[key] = banned_line
        pattern = variant_pattern(variant)
        if pattern.search(term):
            problems.add(
                path,
                banned_line,
                f"{locale}: «{variant}» would ban the chosen term «{term}» itself",
            )
            continue
        rules.append(Rule(locale, term.strip(), variant, pattern))
    return rules


# --------------------------------------------------------------------------- scanning


def text_files(content_dir: Path, locales_dir: Path, locale: str) -> list[Path]:
    """Every file whose texts a reader of `locale` sees."""
    files = sorted((content_dir / "faq" / locale).glob("*.yaml"))
    files += sorted((content_dir / "campaigns").glob(f"*/{locale}.yaml"))
    files += sorted((content_dir / "quizzes").glob(f"*/{locale}.yaml"))
    pages = content_dir / "pages" / f"{locale}.yaml"
    if pages.exists():
        files.append(pages)
    files += sorted((locales_dir / locale / "LC_MESSAGES").glob("*.po"))
    return files


def multilingual_files(content_dir: Path) -> list[Path]:
    """Files holding every language side by side (`{tg: …, ru: …, en: …}` values)."""
    return [p for p in (content_dir / "receptions.yaml",) if p.exists()]


def locale_values(path: Path, locale: str) -> list[tuple[int, str]]:
    """(line, text) of every string under a `<locale>:` key of a multilingual file."""
    data = load_yaml(path, Problems())  # syntax errors are reported by the file's own checker
    found: list[tuple[int, str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == locale and isinstance(value, str):
                    found.append((line_of(node, key), value))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return found


def yaml_texts(path: Path, problems: Problems) -> list[tuple[int, str]]:
    """(line, text) for every line of every string value, skipping search keywords."""
    data = load_yaml(path, Problems())  # syntax errors are reported by the file's own checker
    if data is None:
        return []
    raw_lines = path.read_text(encoding="utf-8").splitlines()
    found: list[tuple[int, str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in SKIPPED_KEYS:
                    continue
                if isinstance(value, str):
                    found.extend(_value_lines(raw_lines, line_of(node, key), value))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                if isinstance(item, str):
                    found.append((line_of(node), item))
                else:
                    walk(item)

    walk(data)
    return found


def _value_lines(raw_lines: list[str], key_line: int, value: str) -> list[tuple[int, str]]:
    source = raw_lines[key_line - 1] if 0 < key_line <= len(raw_lines) else ""
    after_colon = source.split(":", 1)[1].strip() if ":" in source else ""
    first = key_line + 1 if after_colon[:1] in ("|", ">") else key_line
    return [(first + offset, text) for offset, text in enumerate(value.split("\n"))]


_PO_FIELD = re.compile(r'^(msgid_plural|msgid|msgstr(?:\[\d+\])?|msgctxt)\s+"(.*)"\s*$')
_PO_CONTINUATION = re.compile(r'^"(.*)"\s*$')


def po_msgstr_texts(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every msgstr line (and its continuation lines) of a .po file."""
    found: list[tuple[int, str]] = []
    in_msgstr = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        field = _PO_FIELD.match(line)
        if field:
            in_msgstr = field.group(1).startswith("msgstr")
            if in_msgstr:
                found.append((number, _po_unescape(field.group(2))))
            continue
        more = _PO_CONTINUATION.match(line)
        if more and in_msgstr:
            found.append((number, _po_unescape(more.group(1))))
        elif not more:
            in_msgstr = False
    return found


def _po_unescape(text: str) -> str:
    return text.replace(r"\n", "\n").replace(r"\"", '"').replace(r"\\", "\\")


def scan(rules: list[Rule], problems: Problems, content_dir: Path, locales_dir: Path) -> None:
    by_locale: dict[str, list[Rule]] = {}
    for rule in rules:
        by_locale.setdefault(rule.locale, []).append(rule)
    for locale, locale_rules in by_locale.items():
        sources = [
            (path, po_msgstr_texts(path) if path.suffix == ".po" else yaml_texts(path, problems))
            for path in text_files(content_dir, locales_dir, locale)
        ]
        sources += [(path, locale_values(path, locale)) for path in multilingual_files(content_dir)]
        for path, texts in sources:
            for line, text in texts:
                for rule in locale_rules:
                    match = rule.pattern.search(text)
                    if match:
                        problems.add(
                            path,
                            line,
                            f"uses «{match.group(0)}»; the glossary term is «{rule.term}»",
                        )


def check_glossary(
    problems: Problems, content_dir: Path = CONTENT_DIR, locales_dir: Path = LOCALES_DIR
) -> list[Rule]:
    """Content checker (bot/content_check.py): the glossary is valid and no text uses a banned
    variant."""
    rules = load_glossary(content_dir, problems)
    scan(rules, problems, content_dir, locales_dir)
    return rules
