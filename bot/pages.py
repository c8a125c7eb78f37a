"""Fixed pages written by the Coalition's editors, in each language: "Get help now", "About",
the hotlines alone, "I am being detained", the ready message for a relative, "Is this the real
bot?" and the privacy policy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot import LOCALES
from bot.content_files import (
    CONTENT_DIR,
    Problems,
    check_telegram_html,
    line_of,
    load_locale_mappings,
)

PAGE_NAMES = ("help", "about", "hotlines", "detained", "relative", "verify", "privacy")
# Plain-text pages (a button copies them, a share link carries them): no HTML, at most this long
# (Telegram's CopyTextButton takes 1-256 characters).
PLAIN_PAGES = {"relative": 256}
PHONE_RE = re.compile(r"\b\d{2} \d{3} \d{2} \d{2}\b")


@dataclass(frozen=True)
class Pages:
    texts: dict[str, dict[str, str]]  # page name -> locale -> HTML

    def get(self, name: str, locale: str) -> str:
        return self.texts[name][locale]


def load_pages(content_dir: Path = CONTENT_DIR, problems: Problems | None = None) -> Pages:
    """Load and check `content/pages/<lang>.yaml`; raise ContentError listing every problem."""
    own = problems if problems is not None else Problems()
    texts: dict[str, dict[str, str]] = {name: {} for name in PAGE_NAMES}
    paths = {locale: content_dir / "pages" / f"{locale}.yaml" for locale in LOCALES}
    found = load_locale_mappings(
        paths, own, missing="every page must exist in {locale}", keys=", ".join(PAGE_NAMES)
    )
    for locale, data in found.items():
        path = paths[locale]
        for name in PAGE_NAMES:
            line = line_of(data, name)
            if name in PLAIN_PAGES:
                _check_plain(own, path, line, data.get(name), name)
            else:
                check_telegram_html(own, path, line, data.get(name), what=name)
            texts[name][locale] = str(data.get(name) or "").strip()
        _check_same_numbers(own, path, data)
        if "⚖️" not in str(data.get("detained") or ""):
            own.add(
                path,
                line_of(data, "detained"),
                "detained: mark the points resting on unconfirmed facts with ⚖️ and say they"
                " await the Coalition's legal review (or remove the mark only once all are checked)",
            )
        for extra in set(data) - set(PAGE_NAMES):
            own.add(path, line_of(data, extra), f"unknown page '{extra}'")
    if problems is None:
        own.raise_if_any()
    return Pages(texts)


def _check_plain(problems: Problems, path: Path, line: int, value: object, name: str) -> None:
    text = str(value or "").strip()
    if not text:
        problems.add(path, line, f"{name}: empty")
    elif "<" in text or ">" in text or "&" in text:
        problems.add(path, line, f"{name}: plain text only (no HTML, no < > &)")
    elif len(text) > PLAIN_PAGES[name]:
        problems.add(path, line, f"{name}: {len(text)} characters, at most {PLAIN_PAGES[name]}")


def _check_same_numbers(problems: Problems, path: Path, data: dict) -> None:
    """The hotlines shown alone (detained screen, inline mode, the ready message) are the
    numbers of the help page: a number changed in one place only is reported."""
    known = set(PHONE_RE.findall(str(data.get("help") or "")))
    for name in ("hotlines", "relative"):
        for number in PHONE_RE.findall(str(data.get(name) or "")):
            if number not in known:
                problems.add(path, line_of(data, name), f"{name}: {number} is not in help")
