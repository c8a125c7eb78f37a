"""Fixed pages written by the Coalition's editors: "Get help now" and "About", in each language."""

from __future__ import annotations

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

PAGE_NAMES = ("help", "about")


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
            check_telegram_html(own, path, line_of(data, name), data.get(name), what=name)
            texts[name][locale] = str(data.get(name) or "").strip()
        for extra in set(data) - set(PAGE_NAMES):
            own.add(path, line_of(data, extra), f"unknown page '{extra}'")
    if problems is None:
        own.raise_if_any()
    return Pages(texts)
