"""UI strings: gettext catalogs under `locales/`, one domain per feature, compiled at start.

Each locale's .po files are merged and compiled to one .mo catalog, kept in `locales/.compiled/`
with a fingerprint of its sources (see `bot.compiled_files`): the next start reads it instead of
parsing the .po files again, and an edited .po file is compiled again.

Strings in `handlers/<feature>[_part].py`, `handlers/<feature>/…`, `bot/<feature>/…` and `jobs/<feature>.py`
belong to the domain `<feature>` when it is listed in FEATURE_DOMAINS; everything else to `core`. Separate files let
features be translated (and merged) independently; at run time all domains of a locale are merged.
"""

from __future__ import annotations

import gettext
import hashlib
import io
import logging
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import babel
from aiogram.utils.i18n import I18n

from bot import LOCALES
from bot.compiled_files import reason, write_whole

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

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
COMPILED_DIR = ".compiled"  # inside locales/: one `<locale>.catalog` per locale
CATALOG_MAGIC = b"notorture catalog 1\n"
log = logging.getLogger(__name__)


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
    from babel.messages.catalog import Catalog  # only when the .po files have to be read
    from babel.messages.pofile import read_po

    merged: Catalog | None = None
    for po_path in po_files(locale, locales_dir):
        with po_path.open("rb") as fp:
            catalog = read_po(fp, locale=locale)
        if merged is None:
            merged = catalog  # keeps its header, e.g. Tajik's one plural form
            continue
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                merged[message.id] = message
    return merged or Catalog(locale=locale)


def compile_mo(catalog: Catalog) -> bytes:
    from babel.messages.mofile import write_mo  # only when a catalog is compiled

    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def load_translations(locale: str, locales_dir: Path = LOCALES_DIR) -> gettext.GNUTranslations:
    """One locale's merged catalog: the compiled one when it was made from these .po files by
    this code, otherwise compiled now (and saved for the next start where the folder allows)."""
    stamp = catalog_fingerprint(po_files(locale, locales_dir))
    try:
        data = compiled_path(locale, locales_dir).read_bytes()
        return gettext.GNUTranslations(io.BytesIO(read_compiled(data, stamp)))
    except FileNotFoundError:
        pass
    except (OSError, ValueError, UnicodeDecodeError, struct.error, KeyError, IndexError) as exc:
        log.info("The compiled %s catalog is not used (%s): compiling it", locale, reason(exc))
    mo, _saved = _compile_and_save(locale, locales_dir, stamp)
    return gettext.GNUTranslations(io.BytesIO(mo))


def compile_catalog_file(locale: str, locales_dir: Path = LOCALES_DIR) -> tuple[bytes, bool]:
    """Compile one locale's .po files and save the result: its .mo bytes, and whether saved."""
    return _compile_and_save(
        locale, locales_dir, catalog_fingerprint(po_files(locale, locales_dir))
    )


def _compile_and_save(locale: str, locales_dir: Path, stamp: bytes) -> tuple[bytes, bool]:
    mo = compile_mo(load_catalog(locale, locales_dir))
    data = CATALOG_MAGIC + stamp + struct.pack("<I", zlib.crc32(mo)) + mo
    return mo, write_whole(compiled_path(locale, locales_dir), data, f"The {locale} catalog")


def po_files(locale: str, locales_dir: Path) -> list[Path]:
    return sorted((locales_dir / locale / "LC_MESSAGES").glob("*.po"))


def compiled_path(locale: str, locales_dir: Path) -> Path:
    return locales_dir / COMPILED_DIR / f"{locale}.catalog"


def catalog_fingerprint(sources: list[Path]) -> bytes:
    """64 hex digits over the .po files (names and bytes), this module and Babel's version."""
    digest = hashlib.sha256(Path(__file__).read_bytes() + babel.__version__.encode())
    for source in sources:
        digest.update(b"\0" + source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest().encode()


def read_compiled(data: bytes, stamp: bytes) -> bytes:
    """The .mo bytes of a compiled catalog file; ValueError if stale or damaged."""
    head = len(CATALOG_MAGIC) + len(stamp)
    if data[: len(CATALOG_MAGIC)] != CATALOG_MAGIC:
        raise ValueError("not a compiled catalog")
    if data[len(CATALOG_MAGIC) : head] != stamp:
        raise ValueError("stale: a .po file or the code changed")
    (crc,) = struct.unpack("<I", data[head : head + 4])
    mo = data[head + 4 :]
    if zlib.crc32(mo) != crc:
        raise ValueError("damaged (checksum)")
    return mo


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
        return {locale: load_translations(locale, self._locales_dir) for locale in LOCALES}

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
