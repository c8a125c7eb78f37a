"""Documentation works from a fresh clone: no command runs through a path of the machine it was
written on (a virtual environment under /work, a home folder)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MACHINE_PATH = re.compile(r"(?<![\w.])(/work/|/home/[a-z]\w*/|/Users/\w+/|/root/)")
FOLDERS = ("bot", "handlers", "jobs", "content", "docs", "benchmarks", "devtools", "locales")


def _documents() -> list[Path]:
    found = [ROOT / "README.md", ROOT / "Dockerfile", ROOT / "dev"]
    for folder in FOLDERS:
        if (ROOT / folder).is_dir():
            for pattern in ("*.md", "*.py", "*.yaml", "*.txt"):
                found.extend((ROOT / folder).rglob(pattern))
    return [p for p in found if p.is_file()]


def test_no_machine_paths_in_docs_or_commands() -> None:
    problems = []
    for path in _documents():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if MACHINE_PATH.search(line):
                problems.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert problems == []


def test_the_check_sees_a_machine_path() -> None:
    assert MACHINE_PATH.search("    /work/venv/bin/python -m bot content check")
    assert not MACHINE_PATH.search("    .venv/bin/python -m bot content check")
