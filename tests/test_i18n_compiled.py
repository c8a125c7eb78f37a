"""The UI catalogs compiled once: read back equal to a fresh compile, recompiled when a .po file
changes or the file is damaged, and the bot still starts where they cannot be saved."""

from __future__ import annotations

import gettext
import io
import logging
import shutil
from pathlib import Path

import pytest

from bot import LOCALES
from bot import i18n as i18n_module
from bot.i18n import (
    LOCALES_DIR,
    Translator,
    compile_mo,
    compiled_path,
    load_catalog,
    load_translations,
)
from bot.i18n_tools import command_compile


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    """A copy of the catalogs without compiled files."""
    root = tmp_path / "locales"
    for locale in LOCALES:
        shutil.copytree(LOCALES_DIR / locale, root / locale)
    return root


def fresh(locale: str, locales_dir: Path) -> dict:
    """What compiling the .po files gives, without any file."""
    return gettext.GNUTranslations(
        io.BytesIO(compile_mo(load_catalog(locale, locales_dir)))
    )._catalog  # type: ignore[attr-defined]


def no_po(*_args: object) -> None:
    raise AssertionError("the .po files were read although a sound compiled catalog was there")


def test_the_second_start_reads_the_compiled_catalogs(locales: Path, monkeypatch) -> None:
    first = {locale: load_translations(locale, locales) for locale in LOCALES}
    assert all(compiled_path(locale, locales).exists() for locale in LOCALES)
    monkeypatch.setattr(i18n_module, "load_catalog", no_po)
    translator = Translator(locales_dir=locales)
    for locale in LOCALES:
        assert translator.locales[locale]._catalog == first[locale]._catalog  # type: ignore[attr-defined]
        assert translator.locales[locale]._catalog == fresh(locale, LOCALES_DIR)  # type: ignore[attr-defined]
    assert translator.locales["tg"].plural(5) == 0  # the header travels with it
    assert translator.locales["ru"].gettext("🏠 Menu") == "🏠 Меню"


def test_an_edited_po_file_is_compiled_again(locales: Path) -> None:
    load_translations("ru", locales)
    po = next((locales / "ru" / "LC_MESSAGES").glob("core.po"))
    text = po.read_text(encoding="utf-8")
    assert 'msgstr "🏠 Меню"' in text
    po.write_text(text.replace('msgstr "🏠 Меню"', 'msgstr "🏠 Главное меню"'), encoding="utf-8")
    assert load_translations("ru", locales).gettext("🏠 Menu") == "🏠 Главное меню"
    assert Translator(locales_dir=locales).locales["ru"].gettext("🏠 Menu") == "🏠 Главное меню"


@pytest.mark.parametrize("case", ["empty", "cut", "flip", "magic", "garbage", "stamp"])
def test_a_damaged_catalog_is_compiled_again(locales: Path, case: str, caplog) -> None:
    load_translations("tg", locales)
    path = compiled_path("tg", locales)
    data = path.read_bytes()
    flipped = bytearray(data)
    flipped[-20] ^= 0x08
    bad = {
        "empty": b"",
        "cut": data[: len(data) // 2],
        "flip": bytes(flipped),
        "magic": b"X" + data[1:],
        "garbage": bytes(range(256)) * 8,
        "stamp": data[:30] + b"0" * 8 + data[38:],
    }[case]
    path.write_bytes(bad)
    caplog.set_level(logging.INFO)
    again = load_translations("tg", locales)
    assert again._catalog == fresh("tg", LOCALES_DIR)  # type: ignore[attr-defined]
    assert path.read_bytes() == data  # replaced by a sound one
    assert any("not used" in r.getMessage() for r in caplog.records)


def test_a_read_only_place_still_gives_every_language(locales: Path, caplog) -> None:
    (locales / ".compiled").write_text("a file where the folder would be")
    caplog.set_level(logging.INFO)
    translator = Translator(locales_dir=locales)
    assert translator.locales["tg"].gettext("Choose your language:") == "Забонро интихоб кунед:"
    assert any("cannot be saved" in r.getMessage() for r in caplog.records)


def test_the_compile_command_writes_every_locale(locales: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr("bot.i18n_tools.compile_catalog_file", _compile_into(locales))
    monkeypatch.setattr("bot.i18n_tools.LOCALES_DIR", locales)
    assert command_compile(None) == 0  # type: ignore[arg-type]
    assert capsys.readouterr().out.count("KB") == len(LOCALES)
    assert all(compiled_path(locale, locales).exists() for locale in LOCALES)


def _compile_into(locales: Path):  # type: ignore[no-untyped-def]
    def compile_one(locale: str):  # type: ignore[no-untyped-def]
        return i18n_module.compile_catalog_file(locale, locales)

    return compile_one
