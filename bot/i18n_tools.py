"""`python -m bot i18n update|check`: Babel extract + update per domain, and the completeness check.

Editors translate the `msgstr` lines in `locales/<lang>/LC_MESSAGES/<domain>.po`; the bot reads the
.po files directly at start-up (no compile step).
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from bot import LOCALES
from bot.i18n import (
    LOCALES_DIR,
    ROOT,
    SOURCE_DIRS,
    compile_catalog_file,
    compiled_path,
    domain_for_path,
)

KEYWORDS = {
    "_": None,
    "__": None,
    "gettext": None,
    "lazy_gettext": None,
    "ngettext": (1, 2),
    "t": (2,),
}
PLACEHOLDER_RE = re.compile(r"\{[a-z_]+\}")
TAJIK_PLURALS = "nplurals=1; plural=0;"  # Babel has no rule for tg; nouns stay singular


def extract_templates(root: Path = ROOT) -> dict[str, Catalog]:
    """One template catalog per domain, from every Python file under bot/, handlers/, jobs/."""
    templates: dict[str, Catalog] = defaultdict(lambda: Catalog(project="notorture-bot"))
    for folder in SOURCE_DIRS:
        for path in sorted((root / folder).rglob("*.py")):
            domain = domain_for_path(path)
            for lineno, message, comments, _context in extract_from_file(
                "python", str(path), keywords=KEYWORDS, comment_tags=("i18n:",)
            ):
                templates[domain].add(
                    message,
                    locations=[(str(path.relative_to(root)), lineno)],
                    auto_comments=comments,
                )
    return dict(templates)


def po_path(locale: str, domain: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / locale / "LC_MESSAGES" / f"{domain}.po"


def read_catalog(path: Path, locale: str) -> Catalog | None:
    if not path.exists():
        return None
    with path.open("rb") as fp:
        return read_po(fp, locale=locale)


def update_catalogs(locales_dir: Path = LOCALES_DIR) -> list[Path]:
    """Add new strings to every .po (untranslated), mark removed ones obsolete."""
    written = []
    for domain, template in extract_templates().items():
        for locale in LOCALES:
            path = po_path(locale, domain, locales_dir)
            catalog = read_catalog(path, locale) or Catalog(
                locale=locale, domain=domain, project="notorture-bot"
            )
            catalog.update(template, no_fuzzy_matching=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as fp:
                write_po(fp, catalog, width=100, ignore_obsolete=True, include_previous=False)
            if locale == "tg":
                text = path.read_text(encoding="utf-8")
                text = re.sub(
                    r'"Plural-Forms: [^"]*\\n"', f'"Plural-Forms: {TAJIK_PLURALS}\\\\n"', text
                )
                path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def translation_problems(locales_dir: Path = LOCALES_DIR) -> list[str]:
    """Every UI string must be translated in tg and ru (en may fall back to the English msgid),
    keep its {placeholders}, and be valid Telegram HTML."""
    from bot.telegram_html import HtmlError, parse_html

    problems = []
    for domain, template in extract_templates().items():
        for locale in LOCALES:
            path = po_path(locale, domain, locales_dir)
            catalog = read_catalog(path, locale)
            if catalog is None:
                problems.append(
                    f"{path.relative_to(ROOT)}: missing (run: python -m bot i18n update)"
                )
                continue
            for message in template:
                if not message.id:
                    continue
                found = catalog.get(message.id)
                msgid = message.id if isinstance(message.id, str) else message.id[0]
                where = f"{path.relative_to(ROOT)}: {msgid[:50]!r}"
                if found is None:
                    problems.append(f"{where}: not in the catalog (run: python -m bot i18n update)")
                    continue
                strings = found.string if isinstance(found.string, tuple) else (found.string,)
                if locale != "en" and (not all(strings) or found.fuzzy):
                    problems.append(f"{where}: not translated")
                    continue
                for text in strings:
                    if not text:
                        continue
                    if set(PLACEHOLDER_RE.findall(text)) != set(PLACEHOLDER_RE.findall(msgid)):
                        problems.append(f"{where}: placeholders differ from the English text")
                    try:
                        parse_html(text)
                    except HtmlError as exc:
                        problems.append(f"{where}: invalid Telegram HTML: {exc}")
    return problems


def command_update(args: argparse.Namespace) -> int:
    for path in update_catalogs():
        print(f"updated {path.relative_to(ROOT)}")
    return 0


def command_check(args: argparse.Namespace) -> int:
    problems = translation_problems()
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)." if problems else "Translations OK.")
    return 1 if problems else 0


def command_compile(args: argparse.Namespace) -> int:
    """What the image does at build: every locale's catalog compiled once (the bot would
    otherwise compile the .po files at every start, its folder being read-only)."""
    failed = 0
    for locale in LOCALES:
        mo, saved = compile_catalog_file(locale)
        path = compiled_path(locale, LOCALES_DIR)
        print(f"{path}: {len(mo) // 1024} KB" if saved else f"{path}: not saved")
        failed += not saved
    return 1 if failed else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    i18n = subparsers.add_parser(
        "i18n", help="translations: update the .po files, check them, compile them"
    )
    actions = i18n.add_subparsers(dest="action", required=True)
    actions.add_parser("update", help="extract UI strings and update every .po").set_defaults(
        func=command_update
    )
    actions.add_parser("check", help="list untranslated or broken strings").set_defaults(
        func=command_check
    )
    actions.add_parser(
        "compile", help="compile the catalogs (done at start when stale)"
    ).set_defaults(func=command_compile)
