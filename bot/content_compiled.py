"""Compiled copies of the editors' YAML files: the same line-numbered tree, as JSON.

Reading a copy takes a fraction of parsing the YAML and never imports PyYAML. A copy is named
by a hash of its YAML file's bytes and of the code that reads YAML and writes copies, so an
edited file or a new release is never read from an old copy, and the same file in any folder
(a test's copy of the content) shares one. A missing or damaged copy is made again from the
YAML. The image compiles them at build time (`python -m bot content compile`, which also
removes copies no file uses any more); where the folder cannot be written, the bot reads the
YAML at every start and the log says so once. Reading a copy runs no code: it is JSON whose
objects are tagged mappings, lists, dates and times.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.compiled_files import write_whole
from bot.content_tree import LineDict, LineList
from bot.i18n import ROOT

COMPILED_DIR = ROOT / "content" / ".compiled" / "yaml"
FORMAT = b"notorture content copy 1\n"
WHAT = "Compiled copies of the content files"
MISSING = object()  # no usable copy (an empty YAML file's tree is None)
_CODE_FILES = ("content_tree.py", "content_yaml.py", "content_compiled.py")

_code: bytes | None = None
_writable = True
used: set[str] = set()  # the copies this process read or wrote (what `prune` keeps)


class _Unsupported(Exception):
    """A YAML type a copy does not hold (a set, ordered pairs): the file is read as YAML."""


def key(raw: bytes) -> str:
    """The name of the copy of a YAML file whose bytes are `raw`."""
    global _code
    if _code is None:
        here = Path(__file__).parent
        _code = b"".join(hashlib.sha256((here / n).read_bytes()).digest() for n in _CODE_FILES)
    return hashlib.sha256(FORMAT + _code + raw).hexdigest()


def read(name: str, folder: Path = COMPILED_DIR) -> Any:
    """The tree in the copy `name`, or MISSING."""
    try:
        data = (folder / f"{name}.json").read_bytes()
        tree = json.loads(data, object_hook=_decode)
    except (OSError, ValueError, TypeError, KeyError):  # none yet, or damaged: made again
        return MISSING
    used.add(name)
    return tree


def write(name: str, tree: Any, folder: Path = COMPILED_DIR) -> None:
    """Save the copy `name` of `tree`, unless the folder proved unwritable in this process."""
    global _writable
    try:
        data = json.dumps(_encode(tree), ensure_ascii=False, separators=(",", ":"))
        encoded = data.encode("utf-8")
    except (_Unsupported, UnicodeEncodeError, ValueError):
        return
    used.add(name)
    if _writable and not write_whole(folder / f"{name}.json", encoded, WHAT):
        _writable = False


def prune(folder: Path = COMPILED_DIR) -> int:
    """Remove the copies this process did not use; returns how many were removed."""
    removed = 0
    for path in folder.glob("*.json"):
        if path.stem not in used:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _encode(value: Any) -> Any:
    if isinstance(value, LineDict):
        entries = [[_encode(k), value.key_lines[k], _encode(v)] for k, v in value.items()]
        return {"m": [value.line, entries]}
    if isinstance(value, LineList):
        return {"s": [value.line, [_encode(item) for item in value]]}
    if value is None or type(value) in (bool, int, float, str):
        return value
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if type(value) is date:
        return {"d": value.isoformat()}
    if type(value) is bytes:
        return {"b": base64.b64encode(value).decode("ascii")}
    raise _Unsupported(type(value).__name__)


def _decode(tagged: dict[str, Any]) -> Any:
    (tag, value), *rest = tagged.items()
    if rest:
        raise ValueError("not a content copy")
    if tag == "m":
        line, entries = value
        mapping = LineDict()
        mapping.line, mapping.key_lines = int(line), {}
        for k, key_line, v in entries:
            mapping[k] = v
            mapping.key_lines[k] = int(key_line)
        return mapping
    if tag == "s":
        line, items = value
        sequence = LineList(items)
        sequence.line = int(line)
        return sequence
    if tag == "t":
        return datetime.fromisoformat(value)
    if tag == "d":
        return date.fromisoformat(value)
    if tag == "b":
        return base64.b64decode(value, validate=True)
    raise ValueError("not a content copy")
