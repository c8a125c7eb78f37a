"""Development tools stay out of the product: the wheel, the Docker image and the product's imports.

The product is bot/, handlers/ and jobs/ (plus content/ and locales/ in the image). devtools/ (the
fake Bot API, the terminal demo, the delivery worker runner), tests/ and benchmarks/ live only in a
checkout; `python -m bot demo` imports the demo lazily, in bot/cli.py, and says what to do when it
is not there.
"""

from __future__ import annotations

import ast
import fnmatch
import os
import shlex
import sys
import tomllib
from pathlib import Path

import pytest

from bot.cli import DEMO_MISSING
from tests.processes import run_captured

ROOT = Path(__file__).resolve().parents[1]
DEV_ONLY = ("devtools", "tests", "benchmarks")
PRODUCT = ("bot", "handlers", "jobs")
# The one place the product may import devtools: bot/cli.py, inside this function.
LAZY_DEMO_IMPORT = ("bot/cli.py", "register_demo")


# ---------------------------------------------------------------- Dockerfile


def copied_sources(dockerfile: str) -> list[str]:
    """The build-context paths COPY/ADD take into an image (not `--from=` another stage)."""
    sources = []
    logical = dockerfile.replace("\\\n", " ")
    for line in logical.splitlines():
        if line.split(maxsplit=1)[:1] not in (["COPY"], ["ADD"], ["copy"], ["add"]):
            continue
        words = shlex.split(line, comments=True)
        args = words[1:]
        if any(a.startswith("--from") for a in args):
            continue
        paths = [a for a in args if not a.startswith("--")]
        sources.extend(paths[:-1])  # the last one is the destination
    return sources


def dev_tools_copied(dockerfile: str) -> list[str]:
    """Sources that would put a development tool into the image: devtools/, tests/,
    benchmarks/, or the whole build context."""
    bad = []
    for source in copied_sources(dockerfile):
        name = source
        while name.startswith("./"):
            name = name[2:]
        first = name.split("/")[0] or "."
        if first in DEV_ONLY or first == "." or any(ch in first for ch in "*?["):
            bad.append(source)
    return bad


def test_the_docker_image_copies_no_development_tool() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert copied_sources(dockerfile), "no COPY found: the check would prove nothing"
    assert dev_tools_copied(dockerfile) == []
    for folder in PRODUCT:
        assert folder in copied_sources(dockerfile) or f"{folder}/" in copied_sources(dockerfile)


@pytest.mark.parametrize(
    "line",
    [
        "COPY devtools ./devtools",
        "COPY tests/ /app/tests",
        "COPY --chown=bot benchmarks ./benchmarks",
        "ADD ./devtools/fake_telegram /app/x",
        "COPY bot \\\n  devtools ./",
        "COPY . .",
    ],
)
def test_the_dockerfile_check_catches_a_development_tool(line: str) -> None:
    assert dev_tools_copied(f"FROM python:3.11-slim\n{line}\n")


def test_the_dockerfile_check_lets_other_stages_and_the_product_through() -> None:
    text = "FROM x\nCOPY --from=build /venv /venv\nCOPY bot ./bot\nCOPY content ./content\n"
    assert dev_tools_copied(text) == []


# ---------------------------------------------------------------- the wheel


def find_config(pyproject: str) -> dict:
    return tomllib.loads(pyproject)["tool"]["setuptools"]["packages"]["find"]


def wheel_packages(config: dict, root: Path = ROOT) -> list[str]:
    """The packages `[tool.setuptools.packages.find]` picks, by setuptools' own rules: every
    folder is a candidate (namespaces = true, the default in pyproject) or only one with an
    __init__.py; a folder with a dot in its name is skipped with all it holds; a package is kept
    when its dotted name matches an `include` pattern and no `exclude` one."""
    include = config.get("include", ["*"])
    exclude = [*config.get("exclude", []), "ez_setup", "*__pycache__"]  # setuptools' own
    namespaces = config.get("namespaces", True)
    found = []
    for where in config.get("where", ["."]):
        base = root / where
        for folder, dirs, _files in os.walk(base):
            keep = []
            for name in dirs:
                path = Path(folder) / name
                if "." in name or not (namespaces or (path / "__init__.py").is_file()):
                    continue
                keep.append(name)
                package = ".".join(path.relative_to(base).parts)
                if any(fnmatch.fnmatchcase(package, p) for p in include) and not any(
                    fnmatch.fnmatchcase(package, p) for p in exclude
                ):
                    found.append(package)
            dirs[:] = keep
    return found


def dev_packages(packages: list[str]) -> list[str]:
    return [p for p in packages if p.split(".")[0] in DEV_ONLY]


def test_the_product_wheel_holds_no_development_tool() -> None:
    config = find_config((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = wheel_packages(config)
    assert dev_packages(packages) == []
    for name in (*PRODUCT, "bot.delivery", "bot.reports"):
        assert name in packages


def test_the_wheel_check_agrees_with_setuptools() -> None:
    setuptools = pytest.importorskip("setuptools")
    config = find_config((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    finder = (
        setuptools.find_namespace_packages
        if config.get("namespaces", True)
        else setuptools.find_packages
    )
    expected = finder(
        where=str(ROOT), include=config.get("include", ["*"]), exclude=config.get("exclude", [])
    )
    assert sorted(wheel_packages(config)) == sorted(expected)


@pytest.mark.parametrize(
    "find",
    [
        {"include": ["*"]},
        {"include": ["bot*", "handlers*", "jobs*", "devtools*"]},
        {"include": ["bot*", "handlers*", "jobs*", "tests*"], "where": ["."]},
        {"include": ["*"], "exclude": ["tests*", "benchmarks*"], "namespaces": False},
    ],
)
def test_the_wheel_check_catches_a_development_tool(find: dict, tmp_path: Path) -> None:
    for folder in (*PRODUCT, *DEV_ONLY):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "__init__.py").write_text("")
    assert dev_packages(wheel_packages(find, tmp_path))


# ---------------------------------------------------------------- the product's imports


def devtools_imports(path: Path, relative: str) -> list[str]:
    """Every import of devtools in a module, except the lazy one of `python -m bot demo`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
    found: list[str] = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            inner = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = child.name
            names: list[str] = []
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.level == 0:
                names = [child.module or ""]
            elif isinstance(child, ast.Call) and any(
                isinstance(a, ast.Constant) and isinstance(a.value, str) for a in child.args
            ):
                func = child.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called in ("import_module", "__import__"):
                    names = [a.value for a in child.args if isinstance(a, ast.Constant)]
            for name in names:
                if str(name).split(".")[0] == "devtools" and (relative, function) != (
                    LAZY_DEMO_IMPORT
                ):
                    where = f"in {function}()" if function else "at module level"
                    found.append(f"{relative}:{child.lineno} imports {name} {where}")
            visit(child, inner)

    visit(tree, None)
    return found


def product_devtools_imports(root: Path = ROOT) -> list[str]:
    found = []
    for folder in PRODUCT:
        for path in sorted((root / folder).rglob("*.py")):
            found.extend(devtools_imports(path, path.relative_to(root).as_posix()))
    return found


def test_the_product_does_not_import_development_tools() -> None:
    assert product_devtools_imports() == []


def test_the_lazy_demo_import_is_where_the_check_expects_it() -> None:
    """If bot/cli.py's lazy import moves or goes, the allowance above must follow it."""
    path, function = LAZY_DEMO_IMPORT
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    register = next(
        n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == function
    )
    imports = [n for n in ast.walk(register) if isinstance(n, ast.ImportFrom)]
    assert any(n.module == "devtools" for n in imports)


@pytest.mark.parametrize(
    "source",
    [
        "from devtools.fake_telegram import FakeTelegram\n",
        "import devtools.demo\n",
        "def f():\n    from devtools import demo\n",
        "import importlib\nimportlib.import_module('devtools.delivery_worker')\n",
    ],
)
def test_the_import_check_catches_a_devtools_import(source: str, tmp_path: Path) -> None:
    for folder in PRODUCT:
        (tmp_path / folder).mkdir()
    (tmp_path / "handlers" / "leak.py").write_text(source)
    (tmp_path / "bot" / "cli.py").write_text(source)  # only register_demo() may, not f()
    found = product_devtools_imports(tmp_path)
    assert len(found) == 2
    assert found[0].startswith("bot/cli.py:") and found[1].startswith("handlers/leak.py:")


# ---------------------------------------------------------------- without devtools (the image)


def test_the_demo_without_devtools_says_it_is_a_development_tool() -> None:
    """The image has no devtools/: `python -m bot demo …` answers one line and exits 2."""
    code = (
        "import sys; sys.modules['devtools'] = None\n"  # as if the folder were not there
        "from bot.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    for argv in ([], ["--script", "x.txt", "--admin"]):
        done = run_captured(
            [sys.executable, "-c", code, "demo", *argv],
            cwd=ROOT,
            timeout=60,
        )
        assert done.returncode == 2, done.stderr
        assert done.stderr.strip() == DEMO_MISSING
        assert done.stdout == ""
