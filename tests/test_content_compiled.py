"""The editors' YAML files read from their compiled copies: the same trees, lines and types as
the YAML gives; a copy never outlives its file or the code that wrote it; no PyYAML at start."""

from __future__ import annotations

import logging
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from bot import content_compiled
from bot.content_files import CONTENT_DIR, LineDict, LineList, Problems, load_yaml
from bot.content_yaml import parse
from bot.i18n import ROOT


def same_tree(a: Any, b: Any, where: str = "") -> None:
    """Equal values of the same types, and the same lines on every mapping, key and list."""
    assert type(a) is type(b), where
    if isinstance(a, LineDict):
        assert a.line == b.line and a.key_lines == b.key_lines, where
        assert list(a) == list(b), where  # the keys in the file's order
        for k in a:
            same_tree(a[k], b[k], f"{where}/{k}")
    elif isinstance(a, LineList):
        assert a.line == b.line and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same_tree(x, y, f"{where}[{i}]")
    else:
        assert a == b or (a != a and b != b), where  # NaN is not equal to itself


def copy_of(tree: Any, folder: Path) -> Any:
    content_compiled.write("x", tree, folder)
    return content_compiled.read("x", folder)


@pytest.mark.parametrize(
    "path", sorted(CONTENT_DIR.rglob("*.yaml")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_every_content_file_reads_the_same_from_its_copy(path: Path, tmp_path: Path) -> None:
    tree = parse(path.read_text(encoding="utf-8"))
    same_tree(tree, copy_of(tree, tmp_path))


def test_every_kind_of_value_survives_the_copy(tmp_path: Path) -> None:
    text = """\
plain: text
number: 42
big: 123456789012345678901234567890
real: 2.5
infinite: .inf
not_a_number: .nan
yes: true
nothing: null
day: 2026-12-10
moment: 2026-11-10 09:30:00
with_zone: 2026-11-10T09:30:00+05:00
no_such_day: 2027-02-30
? 2026-06-26
: a date as a key
7: a number as a key
binary: !!binary aGVsbG8=
nested:
  - [1, [2, {deep: "ҳ ҷ қ ғ ӣ ӯ"}]]
  - {}
  - []
empty:
"""
    tree = parse(text)
    assert tree["with_zone"] == datetime(2026, 11, 10, 9, 30, tzinfo=timezone(timedelta(hours=5)))
    assert tree["no_such_day"] == "2027-02-30" and tree[date(2026, 6, 26)] == "a date as a key"
    assert tree["binary"] == b"hello" and tree[7] == "a number as a key"
    same_tree(tree, copy_of(tree, tmp_path))
    for top in ("just text", "", "- a\n- b\n"):
        same_tree(parse(top), copy_of(parse(top), tmp_path))


def test_a_set_is_read_as_yaml_at_every_start(tmp_path: Path) -> None:
    tree = parse("tags: !!set {a, b}\n")
    content_compiled.write("with-a-set", tree, tmp_path)
    assert not list(tmp_path.iterdir())  # no copy: the YAML is read again next time


def test_an_edited_file_or_new_code_gets_a_new_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("answer: one\n", encoding="utf-8")
    folder = tmp_path / "compiled"
    monkeypatch.setattr(content_compiled, "COMPILED_DIR", folder)
    monkeypatch.setattr(content_compiled.read, "__defaults__", (folder,))
    monkeypatch.setattr(content_compiled.write, "__defaults__", (folder,))
    problems = Problems()
    assert load_yaml(path, problems) == {"answer": "one"}
    (copy,) = folder.iterdir()
    assert copy.name == content_compiled.key(path.read_bytes()) + ".json"
    path.write_text("answer: two\n", encoding="utf-8")
    assert load_yaml(path, problems) == {"answer": "two"}  # not the old copy
    assert len(list(folder.iterdir())) == 2
    old = content_compiled.key(b"answer: two\n")
    monkeypatch.setattr(content_compiled, "_code", b"another release")
    assert content_compiled.key(b"answer: two\n") != old
    assert not problems.items


def test_a_damaged_copy_is_made_again_and_a_broken_file_still_names_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "compiled"
    monkeypatch.setattr(content_compiled.read, "__defaults__", (folder,))
    monkeypatch.setattr(content_compiled.write, "__defaults__", (folder,))
    path = tmp_path / "a.yaml"
    path.write_text("a:\n  - 1\n", encoding="utf-8")
    name = content_compiled.key(path.read_bytes())
    folder.mkdir()
    for damage in (b"{not json", b'{"m": [1, [["a", 1, {"zz": 1}]]]}', b'{"s": 5}', b"\xff"):
        (folder / f"{name}.json").write_bytes(damage)
        tree = load_yaml(path, Problems())
        assert tree == {"a": [1]} and tree["a"].line == 2, damage
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: 1\nb: [unclosed\nc: 3\n", encoding="utf-8")
    problems = Problems()
    assert load_yaml(broken, problems) is None
    assert [p.line for p in problems.items] == [3] and "YAML syntax" in problems.items[0].message
    twice = tmp_path / "twice.yaml"
    twice.write_text("a: 1\na: 2\n", encoding="utf-8")
    assert load_yaml(twice, problems) is None and "duplicate key" in problems.items[-1].message
    not_text = tmp_path / "bytes.yaml"
    not_text.write_bytes(b"a: \xff\n")
    assert load_yaml(not_text, problems) is None
    assert problems.items[-1].message == "cannot read the file: UnicodeDecodeError"


def test_a_read_only_folder_reads_the_yaml_and_says_so_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")  # mkdir fails below it, even for root
    folder = blocked / "compiled"
    monkeypatch.setattr(content_compiled, "_writable", True)
    monkeypatch.setattr(content_compiled.read, "__defaults__", (folder,))
    monkeypatch.setattr(content_compiled.write, "__defaults__", (folder,))
    caplog.set_level(logging.WARNING)
    for n in range(3):
        path = tmp_path / f"{n}.yaml"
        path.write_text(f"n: {n}\n", encoding="utf-8")
        assert load_yaml(path, Problems()) == {"n": n}
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "made again at every start" in warnings[0].getMessage()


def test_a_compiled_bot_starts_without_pyyaml(tmp_path: Path) -> None:
    """After `content compile` (as the image builds), building the bot imports no PyYAML."""
    compiled = subprocess.run(
        [sys.executable, "-m", "bot", "content", "compile"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert compiled.returncode == 0, compiled.stderr
    assert "content files compiled" in compiled.stdout
    script = f"""
import asyncio, sys
from bot.app import build_dispatcher, create_app
from bot.clock import system_clock
from bot.config import load_settings

async def main():
    settings = load_settings(_env_file=None, bot_token="1:a", database_path={str(tmp_path / "b.db")!r})
    app = await create_app(settings, clock=system_clock)
    build_dispatcher(app)
    await app.close()
    print(sorted(m for m in sys.modules if m == "yaml" or m.startswith(("yaml.", "bot.content_yaml"))))

asyncio.run(main())
"""
    started = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip().splitlines()[-1] == "[]"
