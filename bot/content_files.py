"""Reading the editors' YAML files with line numbers, and reporting problems as `file:line: message`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.i18n import ROOT

CONTENT_DIR = ROOT / "content"


class LineDict(dict):
    """A mapping from YAML that remembers the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list):
    line: int = 0


# libyaml's parser when PyYAML has it (about 10× faster on the content files), same marks.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:  # type: ignore[override]
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in mapping.key_lines:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:  # type: ignore[override]
        items = LineList(super().construct_sequence(node, deep=True))
        items.line = node.start_mark.line + 1
        return items


def _timestamp_or_text(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    """A date like 2027-02-30 stays its text (the checker then names its line) instead of
    stopping the whole file with a ValueError."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_sequence
)


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
    """Parse one file; a syntax error becomes a problem with its line, and None is returned."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(path, 1, f"cannot read the file: {exc.__class__.__name__}")
        return None
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problems.add(path, line, f"YAML syntax: {exc.problem or exc.context}")
    except yaml.YAMLError as exc:
        problems.add(path, 1, f"YAML: {exc}")
    return None


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
