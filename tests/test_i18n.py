"""Languages: every UI string is translated in tg, ru and en, and locale resolution follows the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import LOCALES
from bot.i18n import ROOT, Translator, domain_for_path, resolve_locale
from bot.i18n_tools import translation_problems


def test_every_ui_string_is_translated_in_every_language() -> None:
    assert translation_problems() == []


def test_tajik_catalog_has_one_plural_form() -> None:
    translator = Translator()
    assert set(translator.locales) == set(LOCALES)
    assert translator.locales["tg"].plural(5) == 0


def test_translator_gives_each_language() -> None:
    """The one way to translate outside a handler: `use_locale` and `_`."""
    from aiogram.utils.i18n import gettext as _

    translator = Translator()
    with translator.use_locale("ru"):
        assert _("🏠 Menu") == "🏠 Меню"
    with translator.use_locale("tg"):
        assert _("Choose your language:") == "Забонро интихоб кунед:"
    with translator.use_locale("en"):
        assert _("Choose your language:") == "Choose your language:"


@pytest.mark.parametrize(
    ("stored", "code", "expected"),
    [
        ("tg", "en", "tg"),
        (None, "en-US", "en"),
        (None, "tg", "tg"),
        (None, "uz", "ru"),
        (None, "de", "ru"),
        (None, None, "ru"),
    ],
)
def test_locale_resolution(stored, code, expected) -> None:
    assert resolve_locale(stored, code, "ru") == expected


@pytest.mark.parametrize(
    ("path", "domain"),
    [
        ("handlers/reports/submit.py", "reports"),
        ("handlers/reports/__init__.py", "reports"),
        ("handlers/reports_check.py", "reports"),
        ("handlers/admin/roles.py", "admin"),
        ("handlers/admin_broadcast.py", "admin"),
        ("handlers/campaigns/admin.py", "campaigns"),
        ("handlers/campaigns_admin.py", "campaigns"),
        ("bot/campaigns/x.py", "campaigns"),
        ("bot/rights/content.py", "rights"),
        ("handlers/rights/search.py", "rights"),
        ("jobs/reports.py", "reports"),
        ("handlers/start/language.py", "core"),
        ("handlers/help.py", "core"),
        ("bot/screens.py", "core"),
        ("jobs/__init__.py", "core"),
    ],
)
def test_source_files_map_to_their_feature_catalog(path: str, domain: str) -> None:
    assert domain_for_path(ROOT / path) == domain
    assert domain_for_path(Path(path)) == domain
