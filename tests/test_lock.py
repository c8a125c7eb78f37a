"""The lock files pin what pyproject.toml asks for: `./dev` (and so CI) and the Docker image
install exactly the tested versions, with hashes. After a dependency change: `./dev lock`."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN_RE = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", re.MULTILINE)


def pins(lock: Path) -> dict[str, str]:
    text = lock.read_text(encoding="utf-8")
    assert "--hash=sha256:" in text, f"{lock.name} has no hashes"
    return {canonicalize_name(name): version for name, version in PIN_RE.findall(text)}


def _problems(requirements: list[str], pinned: dict[str, str], lock: str) -> list[str]:
    problems = []
    for line in requirements:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        if name not in pinned:
            problems.append(f"{req.name} is not in {lock}")
        elif not req.specifier.contains(pinned[name], prereleases=True):
            problems.append(f"{lock} pins {req.name}=={pinned[name]}, pyproject asks {req}")
    return problems


def test_the_locks_pin_what_pyproject_asks_for() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = project["dependencies"]
    extras = [r for group in ("test", "lint") for r in project["optional-dependencies"][group]]
    app, dev = pins(ROOT / "requirements/app.lock"), pins(ROOT / "requirements/dev.lock")
    assert _problems(runtime, app, "app.lock") == []
    assert _problems(runtime + extras, dev, "dev.lock") == []
    for name, version in app.items():  # the image runs what the tests ran
        assert dev.get(name) == version, f"{name}: app.lock {version}, dev.lock {dev.get(name)}"
    assert not {"pytest", "ruff", "hypothesis"} & set(app)


def test_the_check_sees_a_stale_pin() -> None:
    assert _problems(["aiogram>=3.32"], {"aiogram": "3.31.0"}, "x.lock") == [
        "x.lock pins aiogram==3.31.0, pyproject asks aiogram>=3.32"
    ]
    assert _problems(["newlib>=1"], {}, "x.lock") == ["newlib is not in x.lock"]
