"""`content/receptions.yaml`: the Coalition's mobile legal receptions, loaded and checked.

Every problem names the file and line (bad date, unknown region, time order, coordinates out of
range, a text missing in a language...), so an editor adding a reception sees what to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import Any

from bot import LOCALES
from bot.content_files import CONTENT_DIR, LineDict, Problems, line_of, load_yaml
from bot.receptions.regions import REGIONS

RECEPTIONS_FILE = CONTENT_DIR / "receptions.yaml"
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")  # goes into callback data and a dedupe key
TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
KEYS = {
    "id",
    "region",
    "date",
    "from",
    "to",
    "city",
    "venue",
    "address",
    "coordinates",
    "organisations",
    "topics",
    "languages",
    "note",
}
# Localised texts and their limits (Telegram: a venue's title and address, a copy button's text
# at most 256; the screen lists several receptions, so the rest stays short).
TEXT_LIMITS = {"city": 40, "venue": 100, "address": 200, "organisations": 400, "topics": 400}
REQUIRED_TEXTS = ("city", "venue", "organisations", "topics")


@dataclass(frozen=True)
class Reception:
    id: str
    region: str
    on: date
    starts: time
    ends: time
    city: dict[str, str]
    venue: dict[str, str]
    organisations: dict[str, str]
    topics: dict[str, str]
    languages: tuple[str, ...]  # the languages the lawyers speak there
    address: dict[str, str] = field(default_factory=dict)  # empty: not known
    latitude: float | None = None
    longitude: float | None = None

    @property
    def has_place(self) -> bool:
        """Coordinates (and an address): worth a sendVenue."""
        return self.latitude is not None and self.longitude is not None and bool(self.address)

    def start_at(self, tz: tzinfo) -> datetime:
        return datetime.combine(self.on, self.starts, tzinfo=tz)

    def end_at(self, tz: tzinfo) -> datetime:
        return datetime.combine(self.on, self.ends, tzinfo=tz)


def _texts(
    entry: LineDict, key: str, path: Path, problems: Problems, required: bool
) -> dict[str, str]:
    value = entry.get(key)
    line = line_of(entry, key)
    if value is None:
        if required:
            problems.add(path, line, f"{key}: missing (give it in {', '.join(LOCALES)})")
        return {}
    if not isinstance(value, dict):
        problems.add(path, line, f"{key}: expected one text per language: {', '.join(LOCALES)}")
        return {}
    texts: dict[str, str] = {}
    for locale in LOCALES:
        text = value.get(locale)
        if not isinstance(text, str) or not text.strip():
            problems.add(path, line_of(value, locale), f"{key}: missing language {locale}")
            continue
        if len(text) > TEXT_LIMITS[key]:
            problems.add(
                path,
                line_of(value, locale),
                f"{key} ({locale}) is {len(text)} characters; at most {TEXT_LIMITS[key]}",
            )
        texts[locale] = text.strip()
    for extra in set(value) - set(LOCALES):
        problems.add(path, line_of(value, extra), f"{key}: unknown language {extra!r}")
    return texts


def _time(entry: LineDict, key: str, path: Path, problems: Problems) -> time | None:
    value = entry.get(key)
    if isinstance(value, int):  # YAML reads an unquoted 10:00 as the number 600
        problems.add(path, line_of(entry, key), f'{key}: write the time in quotes, e.g. "10:00"')
        return None
    match = TIME_RE.match(value) if isinstance(value, str) else None
    if match is None:
        problems.add(path, line_of(entry, key), f'{key}: expected a time like "10:00"')
        return None
    return time(int(match.group(1)), int(match.group(2)))


def _date(entry: LineDict, path: Path, problems: Problems) -> date | None:
    value = entry.get("date")
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.add(path, line_of(entry, "date"), "date: expected a real date like 2027-05-24")
    return None


def _coordinates(
    entry: LineDict, path: Path, problems: Problems
) -> tuple[float | None, float | None]:
    value = entry.get("coordinates")
    if value is None:
        return None, None
    line = line_of(entry, "coordinates")
    if not isinstance(value, dict) or set(value) != {"lat", "lon"}:
        problems.add(path, line, "coordinates: expected {lat: 38.56, lon: 68.77}")
        return None, None
    lat, lon = value["lat"], value["lon"]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
        problems.add(path, line, "coordinates: lat and lon must be numbers")
        return None, None
    if not -90 <= lat <= 90:
        problems.add(path, line_of(value, "lat"), f"coordinates: latitude {lat} not in -90..90")
        return None, None
    if not -180 <= lon <= 180:
        problems.add(path, line_of(value, "lon"), f"coordinates: longitude {lon} not in -180..180")
        return None, None
    return float(lat), float(lon)


def _languages(entry: LineDict, path: Path, problems: Problems) -> tuple[str, ...]:
    value = entry.get("languages")
    line = line_of(entry, "languages")
    if not isinstance(value, list) or not value:
        problems.add(path, line, f"languages: missing (which of {', '.join(LOCALES)} are spoken)")
        return ()
    unknown = [v for v in value if v not in LOCALES]
    if unknown:
        problems.add(path, line, f"languages: unknown {unknown}; use {', '.join(LOCALES)}")
    return tuple(v for v in value if v in LOCALES)


def _reception(entry: Any, path: Path, problems: Problems, seen: set[str]) -> Reception | None:
    if not isinstance(entry, dict):
        problems.add(path, line_of(entry), "a reception must be a mapping of its fields")
        return None
    before = len(problems.items)
    for key in set(entry) - KEYS:
        problems.add(path, line_of(entry, key), f"unknown field {key!r}")
    rid = entry.get("id")
    if not isinstance(rid, str) or not ID_RE.match(rid):
        problems.add(path, line_of(entry, "id"), "id: lower-case letters, digits and -, ≤ 40")
        rid = None
    elif rid in seen:
        problems.add(path, line_of(entry, "id"), f"id {rid!r} used twice")
    else:
        seen.add(rid)
    region = entry.get("region")
    if region not in REGIONS:
        problems.add(
            path,
            line_of(entry, "region"),
            f"region: unknown {region!r}; use one of {', '.join(REGIONS)}",
        )
    on = _date(entry, path, problems)
    starts, ends = _time(entry, "from", path, problems), _time(entry, "to", path, problems)
    if starts is not None and ends is not None and ends <= starts:
        problems.add(path, line_of(entry, "to"), f"to ({ends:%H:%M}) must be after from")
    texts = {key: _texts(entry, key, path, problems, key in REQUIRED_TEXTS) for key in TEXT_LIMITS}
    lat, lon = _coordinates(entry, path, problems)
    if lat is not None and not texts["address"]:
        problems.add(path, line_of(entry, "coordinates"), "coordinates need an address too")
    languages = _languages(entry, path, problems)
    if len(problems.items) > before or rid is None or on is None:
        return None
    assert starts is not None and ends is not None and isinstance(region, str)
    return Reception(
        id=rid,
        region=region,
        on=on,
        starts=starts,
        ends=ends,
        city=texts["city"],
        venue=texts["venue"],
        organisations=texts["organisations"],
        topics=texts["topics"],
        languages=languages,
        address=texts["address"],
        latitude=lat,
        longitude=lon,
    )


def load_receptions(path: Path | None = None, problems: Problems | None = None) -> list[Reception]:
    """Every valid reception in date order; raises ContentError unless collecting problems."""
    path = RECEPTIONS_FILE if path is None else path
    own = problems if problems is not None else Problems()
    found: list[Reception] = []
    if path.exists():
        data = load_yaml(path, own)
        if data is not None:
            items = data.get("receptions") if isinstance(data, dict) else None
            if not isinstance(items, list):
                own.add(path, line_of(data), "expected `receptions:` with a list of receptions")
            else:
                seen: set[str] = set()
                for entry in items:
                    reception = _reception(entry, path, own, seen)
                    if reception is not None:
                        found.append(reception)
    if problems is None:
        own.raise_if_any()
    return sorted(found, key=lambda r: (r.on, r.starts, r.id))


def check_receptions(problems: Problems) -> None:
    """Content checker for `python -m bot content check` (see bot/content_check.py)."""
    load_receptions(problems=problems)
