"""Campaign files in `content/campaigns/<id>/`: loading, and checking with file:line for every problem."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from urllib.parse import urlparse

from bot import LOCALES
from bot.content_files import (
    CONTENT_DIR,
    Problems,
    check_telegram_html,
    line_of,
    load_locale_mappings,
    load_yaml,
)

CAMPAIGNS_DIR = CONTENT_DIR / "campaigns"
CAMPAIGN_ID_RE = re.compile(r"^[a-z][a-z0-9_]{1,23}$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
MONTH_DAY_RE = re.compile(r"^(\d\d)-(\d\d)$")
HREF_RE = re.compile(r"""<a\s+href\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
KINDS = ("window", "calendar")
REVIEW_STATES = ("ok", "awaiting-legal-review")
CAMPAIGN_KEYS = {"id", "kind", "start", "end", "time", "targets", "review"}
TARGET_KEYS = {"channels", "subscribers"}
LANGUAGE_KEYS = {"title", "description", "posts"}
TITLE_LIMIT = 40
DESCRIPTION_LIMIT = 200
LEAP_YEAR = 2000  # MM-DD keys are checked against a leap year so that 02-29 is a valid date


@dataclass(frozen=True)
class Campaign:
    """One campaign: when it posts, where, and the text of every day in every language."""

    id: str
    kind: str  # "window" | "calendar"
    post_time: time
    channel_locales: tuple[str, ...]
    to_subscribers: bool
    review: str
    start: tuple[int, int] | None = None  # (month, day), window only
    end: tuple[int, int] | None = None
    titles: dict[str, str] = field(default_factory=dict, repr=False)
    descriptions: dict[str, str] = field(default_factory=dict, repr=False)
    posts: dict[str, dict[str, str]] = field(
        default_factory=dict, repr=False
    )  # day key -> locale -> HTML

    @property
    def day_keys(self) -> list[str]:
        """Window: "1".."N"; calendar: "MM-DD", in the order they post."""
        if self.kind == "window":
            return [str(n) for n in range(1, len(self.posts) + 1)]
        return sorted(self.posts)

    def text(self, day_key: str, locale: str) -> str:
        return self.posts[day_key][locale]


def _month_day(value: object) -> tuple[int, int] | None:
    match = MONTH_DAY_RE.match(str(value)) if isinstance(value, str) else None
    if not match:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    try:
        date(LEAP_YEAR, month, day)
    except ValueError:
        return None
    return month, day


def window_length(start: tuple[int, int], end: tuple[int, int]) -> int:
    """Days from start to end inclusive; a window may run over New Year."""
    first = date(2001, *start)
    last = date(2001 if end >= start else 2002, *end)
    return (last - first).days + 1


def check_links(problems: Problems, path: Path, line: int, html: str, what: str) -> None:
    for href in HREF_RE.findall(html):
        parsed = urlparse(href)
        if parsed.scheme != "https" or not parsed.netloc or " " in href:
            problems.add(path, line, f"{what}: link '{href}' must be a full https:// URL")


def _load_settings_file(folder: Path, problems: Problems) -> dict | None:
    path = folder / "campaign.yaml"
    if not path.exists():
        problems.add(path, 1, "file missing: every campaign needs campaign.yaml")
        return None
    data = load_yaml(path, problems)
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.add(path, 1, "expected a mapping with id, kind, time, targets")
        return None
    ok = True
    for extra in set(data) - CAMPAIGN_KEYS:
        problems.add(path, line_of(data, extra), f"unknown key '{extra}'")
    if data.get("id") != folder.name or not CAMPAIGN_ID_RE.match(str(data.get("id"))):
        problems.add(path, line_of(data, "id"), f"id must be the folder name '{folder.name}'")
        ok = False
    if data.get("kind") not in KINDS:
        problems.add(path, line_of(data, "kind"), f"kind must be one of {', '.join(KINDS)}")
        ok = False
    if not TIME_RE.match(str(data.get("time", ""))):
        problems.add(path, line_of(data, "time"), "time must be HH:MM (24 h, in TIMEZONE)")
        ok = False
    if data.get("review", "ok") not in REVIEW_STATES:
        problems.add(path, line_of(data, "review"), "review must be ok or awaiting-legal-review")
    if data.get("kind") == "window":
        for key in ("start", "end"):
            if _month_day(data.get(key)) is None:
                problems.add(path, line_of(data, key), f'{key} must be a quoted "MM-DD" date')
                ok = False
    elif data.get("kind") == "calendar":
        for key in ("start", "end"):
            if key in data:
                problems.add(path, line_of(data, key), f"{key} is for window campaigns only")
    targets = data.get("targets")
    if not isinstance(targets, dict):
        problems.add(
            path, line_of(data, "targets"), "targets must list channels and/or subscribers"
        )
        return None
    for extra in set(targets) - TARGET_KEYS:
        problems.add(path, line_of(targets, extra), f"unknown target '{extra}'")
    channels = targets.get("channels", [])
    if not isinstance(channels, list) or any(c not in LOCALES for c in channels):
        problems.add(
            path, line_of(targets, "channels"), f"channels must be a list of {', '.join(LOCALES)}"
        )
        ok = False
    if not isinstance(targets.get("subscribers", False), bool):
        problems.add(path, line_of(targets, "subscribers"), "subscribers must be true or false")
        ok = False
    if ok and not channels and not targets.get("subscribers"):
        problems.add(path, line_of(data, "targets"), "targets: nothing to post to")
    return data if ok else None


def _expected_keys(settings: dict) -> list[str] | None:
    if settings["kind"] == "window":
        length = window_length(_month_day(settings["start"]), _month_day(settings["end"]))  # type: ignore[arg-type]
        return [str(n) for n in range(1, length + 1)]
    return None


def _check_day_keys(
    problems: Problems, path: Path, posts: dict, expected: list[str] | None
) -> dict[str, object]:
    """Normalised day key -> text; reports gaps, overlaps and malformed keys."""
    found: dict[str, object] = {}
    for key, text in posts.items():
        line = line_of(posts, key)
        if expected is not None:
            normal = str(key) if isinstance(key, int) and not isinstance(key, bool) else None
            if normal is None or normal not in expected:
                problems.add(path, line, f"day {key!r} is outside 1..{len(expected)}")
                continue
        else:
            parsed = _month_day(key)
            if parsed is None:
                problems.add(path, line, f'day {key!r} must be a quoted "MM-DD" date')
                continue
            normal = f"{parsed[0]:02d}-{parsed[1]:02d}"
        if normal in found:
            problems.add(path, line, f"day {normal} appears twice")
            continue
        found[normal] = text
    if expected is not None:
        missing = [k for k in expected if k not in found]
        if missing:
            problems.add(path, line_of(posts), "missing day(s): " + ", ".join(missing))
    return found


def load_campaign(folder: Path, problems: Problems) -> Campaign | None:
    """One campaign folder; None when it has a problem (each problem is recorded)."""
    before = len(problems.items)
    settings = _load_settings_file(folder, problems)
    if settings is None:
        return None
    expected = _expected_keys(settings)
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    posts: dict[str, dict[str, str]] = {}
    key_sets: dict[str, set[str]] = {}
    paths = {locale: folder / f"{locale}.yaml" for locale in LOCALES}
    found = load_locale_mappings(
        paths,
        problems,
        missing="every campaign exists in {locale}",
        keys="title, description, posts",
    )
    for locale, data in found.items():
        path = paths[locale]
        for extra in set(data) - LANGUAGE_KEYS:
            problems.add(path, line_of(data, extra), f"unknown key '{extra}'")
        for key, limit in (("title", TITLE_LIMIT), ("description", DESCRIPTION_LIMIT)):
            value = data.get(key)
            if not isinstance(value, str) or not value.strip():
                problems.add(path, line_of(data, key), f"{key} is missing")
            elif len(value) > limit:
                problems.add(
                    path, line_of(data, key), f"{key} is {len(value)} characters; max {limit}"
                )
        titles[locale] = str(data.get("title") or "").strip()
        descriptions[locale] = str(data.get("description") or "").strip()
        raw_posts = data.get("posts")
        if not isinstance(raw_posts, dict) or not raw_posts:
            problems.add(path, line_of(data, "posts"), "posts: expected a mapping of days to texts")
            continue
        found = _check_day_keys(problems, path, raw_posts, expected)
        key_sets[locale] = set(found)
        for key, text in found.items():
            line = raw_posts.key_lines.get(int(key) if expected is not None else key, 1)  # type: ignore[attr-defined]
            what = f"day {key}"
            check_telegram_html(problems, path, line, text, what=what)
            if isinstance(text, str):
                check_links(problems, path, line, text, what)
                posts.setdefault(key, {})[locale] = text.strip()
    if len(key_sets) == len(LOCALES):
        all_keys = set.union(*key_sets.values())
        for locale, keys in key_sets.items():
            for key in sorted(all_keys - keys):
                problems.add(folder / f"{locale}.yaml", 1, f"day {key} is missing in {locale}")
    if len(problems.items) > before:
        return None
    targets = settings["targets"]
    return Campaign(
        id=settings["id"],
        kind=settings["kind"],
        post_time=time(*(int(p) for p in settings["time"].split(":"))),
        channel_locales=tuple(targets.get("channels", [])),
        to_subscribers=bool(targets.get("subscribers", False)),
        review=settings.get("review", "ok"),
        start=_month_day(settings.get("start")),
        end=_month_day(settings.get("end")),
        titles=titles,
        descriptions=descriptions,
        posts=posts,
    )


def load_campaigns(
    campaigns_dir: Path = CAMPAIGNS_DIR, problems: Problems | None = None
) -> dict[str, Campaign]:
    """Every campaign folder, by id; raises ContentError listing every problem unless collecting."""
    own = problems if problems is not None else Problems()
    campaigns: dict[str, Campaign] = {}
    if campaigns_dir.is_dir():
        for folder in sorted(p for p in campaigns_dir.iterdir() if p.is_dir()):
            if folder.name.startswith((".", "_")):
                continue
            campaign = load_campaign(folder, own)
            if campaign is not None:
                campaigns[campaign.id] = campaign
    if problems is None:
        own.raise_if_any()
    return campaigns


def check_campaigns(problems: Problems) -> None:
    """Content checker for `python -m bot content check` (see bot/content_check.py)."""
    load_campaigns(problems=problems)
