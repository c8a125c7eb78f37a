"""UI strings: gettext catalogs under `locales/`, one domain per feature, compiled in memory at start.

Strings in `handlers/<feature>[_part].py`, `handlers/<feature>/…`, `bot/<feature>/…` and `jobs/<feature>.py`
belong to the domain `<feature>` when it is listed in FEATURE_DOMAINS; everything else to `core`. Separate files let
features be translated (and merged) independently; at run time all domains of a locale are merged.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aiogram.utils.i18n import I18n
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot import LOCALES

ROOT = Path(__file__).resolve().parent.parent
LOCALES_DIR = ROOT / "locales"
FEATURE_DOMAINS = (
    "rights",
    "reports",
    "admin",
    "campaigns",
    "articles",
    "trust",
    "receptions",
    "placements",
    "quiz",
)
SOURCE_DIRS = ("bot", "handlers", "jobs")


def domain_for_path(path: Path) -> str:
    """Which catalog a source file's strings go to: the first part after bot/, handlers/ or
    jobs/ (a package or a module, `_suffix` stripped) when it names a feature, else core.

    handlers/reports/submit.py, handlers/reports_check.py and bot/reports/x.py → "reports";
    handlers/campaigns/admin.py → "campaigns"; handlers/start/menu.py, bot/screens.py → "core".
    A relative path is taken from the project root."""
    full = path if path.is_absolute() else ROOT / path
    parts = full.resolve().relative_to(ROOT).with_suffix("").parts
    if len(parts) >= 2 and parts[0] in SOURCE_DIRS:
        feature = parts[1].split("_", 1)[0]
        if feature in FEATURE_DOMAINS:
            return feature
    return "core"


def load_catalog(locale: str, locales_dir: Path = LOCALES_DIR) -> Catalog:
    """All domains of one locale merged into one Babel catalog (fuzzy entries are left out)."""
    merged: Catalog | None = None
    for po_path in sorted((locales_dir / locale / "LC_MESSAGES").glob("*.po")):
        with po_path.open("rb") as fp:
            catalog = read_po(fp, locale=locale)
        if merged is None:
            merged = catalog  # keeps its header, e.g. Tajik's one plural form
            continue
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                merged[message.id] = message
    return merged or Catalog(locale=locale)


def compile_translations(catalog: Catalog) -> gettext.GNUTranslations:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Translator(I18n):
    """aiogram's I18n, fed from the .po files directly so no one has to compile .mo files by hand."""

    def __init__(self, default_locale: str = "ru", locales_dir: Path = LOCALES_DIR) -> None:
        self._locales_dir = locales_dir
        super().__init__(path=locales_dir, default_locale=default_locale, domain="core")

    # aiogram's context helpers (`gettext`, `lazy_gettext`) look up the current *I18n*; a subclass
    # would get a context variable of its own, so share I18n's.
    @classmethod
    def set_current(cls, value: I18n) -> Any:  # type: ignore[override]
        return I18n.set_current(value)

    @classmethod
    def reset_current(cls, token: Any) -> None:  # type: ignore[override]
        I18n.reset_current(token)

    @classmethod
    def get_current(cls, no_error: bool = True) -> I18n | None:  # type: ignore[override]
        return I18n.get_current(no_error=no_error)

    def find_locales(self) -> dict[str, gettext.GNUTranslations]:
        return {
            locale: compile_translations(load_catalog(locale, self._locales_dir))
            for locale in LOCALES
        }

    @contextmanager
    def use_locale(self, locale: str) -> Iterator[None]:
        """This translator and `locale` as the current ones, also outside handlers (jobs, start-up)."""
        current = self.set_current(self)
        token = self.ctx_locale.set(locale)
        try:
            yield
        finally:
            self.ctx_locale.reset(token)
            self.reset_current(current)


# Telegram apps have no Tajik interface, so Tajik speakers arrive with ru or en; speakers of
# neighbouring languages read Russian more often than English.
_RUSSIAN_READERS = {"ru", "uk", "be", "kk", "ky", "uz", "tk", "az", "hy", "ka", "fa"}


def resolve_locale(stored: str | None, language_code: str | None, default: str) -> str:
    """Locale of a user: the stored choice, else Telegram's language_code, else the default."""
    if stored in LOCALES:
        return stored
    code = (language_code or "").split("-")[0].lower()
    if code in LOCALES:
        return code
    if code in _RUSSIAN_READERS:
        return "ru"
    return default
