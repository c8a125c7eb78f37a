"""What an editors' YAML file becomes: mappings and lists that remember their lines (1-based),
so a checker can name the line of every problem. Made by the YAML reader (`content_yaml`) or
read back from a file's compiled copy (`content_compiled`), the same either way."""

from __future__ import annotations

from typing import Any


class LineDict(dict):
    """A mapping from YAML that remembers the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list):
    line: int = 0
