"""Reading YAML into line-numbered trees (PyYAML, libyaml's parser where it has one). Only a
content file without a compiled copy is read here, so a bot whose content is compiled never
imports PyYAML (0.9 MB and ~50 ms at every start)."""

from __future__ import annotations

from typing import Any

import yaml

from bot.content_tree import LineDict, LineList

# libyaml's parser when PyYAML has it (about 10× faster on the content files), same marks.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlProblem(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


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


def parse(text: str) -> Any:
    """The tree of `text`; YamlProblem (with its line) for a syntax error."""
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlProblem(line, f"YAML syntax: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, f"YAML: {exc}") from None
