"""The regions a person chooses from: the same codes and names as the report's region question
(bot/reports/flow.py), so staff and editors use one list; "abroad" has no receptions."""

from __future__ import annotations

from aiogram.utils.i18n import lazy_gettext as __

REGIONS: dict[str, object] = {
    "dushanbe": __("Dushanbe"),
    "sughd": __("Sughd"),
    "khatlon": __("Khatlon"),
    "gbao": __("GBAO"),
    "drs": __("Districts of republican subordination"),
}


def region_label(code: str) -> str:
    label = REGIONS.get(code)
    return str(label) if label is not None else code
