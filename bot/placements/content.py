"""`content/placements.yaml`: placement code -> the screen it opens (and that screen's argument).

Checked by `python -m bot content check`; every problem names the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.content_files import CONTENT_DIR, Problems, line_of, load_yaml

PLACEMENTS_FILE = CONTENT_DIR / "placements.yaml"
PREFIX = "p_"  # ?start=p_<code>
CODE_RE = re.compile(r"^[a-z0-9]{1,24}$")  # lower-case: a code is typed from a poster sometimes
SCREEN_RE = re.compile(r"^[a-z][a-z0-9]{0,15}$")  # as bot/screens.py SCREEN_NAME_RE
ARG_RE = re.compile(r"^[A-Za-z0-9_-]{0,40}$")
KEYS = {"screen", "arg", "note"}


@dataclass(frozen=True)
class Placement:
    code: str
    screen: str
    arg: str = ""
    note: str = ""  # where the poster hangs, for staff


def load_placements(
    path: Path | None = None, problems: Problems | None = None
) -> dict[str, Placement]:
    """code -> Placement; raises ContentError unless collecting problems."""
    path = PLACEMENTS_FILE if path is None else path
    own = problems if problems is not None else Problems()
    found: dict[str, Placement] = {}
    if path.exists():
        data = load_yaml(path, own)
        items = data.get("placements") if isinstance(data, dict) else None
        if data is not None and not isinstance(items, dict):
            own.add(path, line_of(data), "expected `placements:` mapping codes to screens")
        for code, entry in (items or {}).items():
            line = line_of(items, code)
            if not isinstance(code, str) or not CODE_RE.match(code):
                own.add(path, line, f"code {code!r}: 1-24 lower-case letters and digits")
                continue
            if not isinstance(entry, dict):
                own.add(path, line, f"{code}: expected screen: and optionally arg:")
                continue
            for key in set(entry) - KEYS:
                own.add(path, line_of(entry, key), f"{code}: unknown field {key!r}")
            screen, arg = entry.get("screen"), entry.get("arg", "")
            if not isinstance(screen, str) or not SCREEN_RE.match(screen):
                own.add(path, line_of(entry, "screen"), f"{code}: screen must be a screen name")
                continue
            arg = str(arg) if isinstance(arg, int | str) else None
            if arg is None or not ARG_RE.match(arg):
                own.add(path, line_of(entry, "arg"), f"{code}: arg: letters, digits, _ and -")
                continue
            note = entry.get("note", "")
            found[code] = Placement(code, screen, arg, note if isinstance(note, str) else "")
    if problems is None:
        own.raise_if_any()
    return found


def check_placements(problems: Problems) -> None:
    """Content checker for `python -m bot content check` (see bot/content_check.py)."""
    load_placements(problems=problems)
