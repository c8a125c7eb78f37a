"""Reading the editors' YAML files with line numbers, and reporting problems as `file:line: message`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import content_compiled
from bot.content_tree import LineDict as LineDict  # where the checkers import them from
from bot.content_tree import LineList as LineList
from bot.i18n import ROOT

CONTENT_DIR = ROOT / "content"


class ContentError(Exception):
    """Content that cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        try:
            shown = self.path.resolve().relative_to(ROOT)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}: {self.message}"


@dataclass
class Problems:
    """Collects problems while checking, so an editor sees all of them at once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: Path, line: int, message: str) -> None:
        self.items.append(Problem(path, line, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise ContentError(self.items)


def load_yaml(path: Path, problems: Problems) -> Any:
    """Parse one file (from its compiled copy when it has one, see `content_compiled`); a syntax
    error becomes a problem with its line, and None is returned."""
    try:
        raw = path.read_bytes()
        name = content_compiled.key(raw)
        tree = content_compiled.read(name)
        if tree is not content_compiled.MISSING:
            return tree
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(path, 1, f"cannot read the file: {exc.__class__.__name__}")
        return None
    from bot.content_yaml import YamlProblem, parse  # PyYAML only for a file not compiled yet

    try:
        tree = parse(text)
    except YamlProblem as exc:
        problems.add(path, exc.line, exc.message)
        return None
    content_compiled.write(name, tree)
    return tree


def load_locale_mappings(
    paths: dict[str, Path], problems: Problems, *, missing: str, keys: str
) -> dict[str, LineDict]:
    """One YAML mapping per language (`paths`: locale -> file). A missing file (`missing` says
    what is missing; `{locale}` in it is filled in), a syntax error or a file that is not a
    mapping is recorded as a problem and that language is left out."""
    found: dict[str, LineDict] = {}
    for locale, path in paths.items():
        if not path.exists():
            problems.add(path, 1, "file missing: " + missing.format(locale=locale))
            continue
        data = load_yaml(path, problems)
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.add(path, 1, f"expected keys: {keys}")
            continue
        found[locale] = data
    return found


def line_of(mapping: Any, key: Any = None) -> int:
    """Best-known line of a mapping or of one of its keys."""
    if isinstance(mapping, LineDict):
        if key is not None and key in mapping.key_lines:
            return mapping.key_lines[key]
        return mapping.line
    return getattr(mapping, "line", 1)


def check_telegram_html(
    problems: Problems,
    path: Path,
    line: int,
    html: object,
    *,
    limit: int = 4096,
    what: str = "text",
) -> None:
    """A text must be a non-empty string, valid Telegram HTML, within `limit` after parsing."""
    from bot.telegram_html import HtmlError, visible_length

    if not isinstance(html, str) or not html.strip():
        problems.add(path, line, f"{what} is missing or empty")
        return
    try:
        length = visible_length(html)
    except HtmlError as exc:
        problems.add(path, line, f"{what}: invalid Telegram HTML: {exc}")
        return
    if length > limit:
        problems.add(path, line, f"{what} is {length} characters; Telegram allows {limit}")
