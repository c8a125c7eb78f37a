"""The shape of the code (docs/architecture.md): who may import whom, and no cycles.

Every import counts, also those under TYPE_CHECKING and inside functions: a cycle hidden in a
function is still a cycle a reader has to untangle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("bot", "handlers", "jobs")
DEV_ONLY = ("devtools", "tests", "benchmarks")
# The composition root builds services, routers and the scheduler; the CLI starts it.
MAY_IMPORT_HANDLERS_AND_JOBS = {"bot.app"}
# `python -m bot demo` starts the development demo lazily when a checkout has devtools/.
MAY_IMPORT_DEVTOOLS = {"bot.cli"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def product_modules() -> dict[str, Path]:
    found = {}
    for top in PRODUCT:
        for path in sorted((ROOT / top).rglob("*.py")):
            found[module_name(path)] = path
    return found


def imported_names(path: Path, module: str) -> Iterator[tuple[str, int]]:
    """Absolute names of what a module imports (`from a import b` gives `a.b` and `a`)."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, base] if base else package)
            yield base, node.lineno
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno


def graph() -> dict[str, dict[str, int]]:
    modules = product_modules()
    edges: dict[str, dict[str, int]] = {name: {} for name in modules}
    for name, path in modules.items():
        for target, line in imported_names(path, name):
            # A module's own parent packages are imported first by Python anyway
            # (`from handlers.campaigns import days` inside handlers/campaigns/admin.py).
            if target in modules and target != name and not name.startswith(target + "."):
                edges[name].setdefault(target, line)
    return edges


def find_cycles(edges: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return cycles


def test_no_import_cycles() -> None:
    assert find_cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    edges = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert find_cycles(edges) == [["a", "b", "c"]]


def _layer_breaks() -> list[str]:
    problems = []
    modules = product_modules()
    for name, path in modules.items():
        top = name.split(".")[0]
        for target, line in imported_names(path, name):
            target_top = target.split(".")[0]
            where = f"{path.relative_to(ROOT)}:{line} imports {target}"
            if target_top in DEV_ONLY and name not in MAY_IMPORT_DEVTOOLS:
                problems.append(f"{where} (a development tool, not in the product)")
            elif (
                top == "bot"
                and target_top in ("handlers", "jobs")
                and name not in MAY_IMPORT_HANDLERS_AND_JOBS
            ):
                problems.append(f"{where} (only bot/app.py wires handlers and jobs)")
            elif top == "handlers" and target_top == "jobs":
                problems.append(f"{where} (handlers do not start jobs)")
            elif top == "jobs" and target_top == "handlers":
                problems.append(f"{where} (jobs do not use handlers)")
    return problems


def test_layers_point_down() -> None:
    assert _layer_breaks() == []


def test_bot_holds_no_router() -> None:
    """aiogram registrations live under handlers/: bot/ builds no Router and no filter."""
    found = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in ("aiogram", "aiogram.filters"):
                for alias in node.names:
                    if alias.name in ("Router", "F", "Command", "CommandStart", "StateFilter"):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} {alias.name}")
    assert found == []


def test_no_service_locator() -> None:
    """Services are handed over by name; no object carries them all (issue 14)."""
    found = []
    for top in PRODUCT:
        for path in sorted((ROOT / top).rglob("*.py")):
            for target, line in imported_names(path, module_name(path)):
                if target == "bot.services" or target.startswith("bot.services."):
                    found.append(f"{path.relative_to(ROOT)}:{line}")
    assert found == []


FEATURES = (
    "rights",
    "reports",
    "campaigns",
    "admin",
    "delivery",
    "articles",
    "trust",
    "receptions",
    "placements",
    "quiz",
)
# Which feature may use which (a feature's service sends through delivery, staff tools read
# report counts, campaign commands check roles, inline mode searches the guide). Nothing uses
# admin, campaigns or trust.
FEATURE_USES = {
    "rights": set(),
    "reports": set(),
    "delivery": set(),
    "campaigns": {"delivery", "admin"},
    "admin": {"delivery", "reports", "placements", "quiz"},  # /stats counts
    "articles": {"delivery", "rights"},  # announces through delivery; folds words like the guide
    "trust": {"rights"},
    "receptions": {"delivery"},
    "placements": set(),
    "quiz": {"delivery", "campaigns"},  # polls paced with delivery; the day's one via the ledger
}
# bot/*.py modules that start or wire things (commands, the composition root) may use features;
# the base (settings, clock, db, i18n, screens, HTML, logging, session middlewares) may not,
# except the settings reading the trustee keys' text form.
TOP_LEVEL_USERS = {"bot.app", "bot.cli", "bot.runner", "bot.backup", "bot.content_check"}
BASE_EXCEPTIONS = {("bot.config", "reports")}


def _feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "bot" and len(parts) > 1 and parts[1] in FEATURES else None


def test_features_use_only_what_they_declare() -> None:
    problems = []
    for name, targets in graph().items():
        if not name.startswith("bot"):
            continue
        mine = _feature_of(name)
        for target, line in targets.items():
            theirs = _feature_of(target)
            if theirs is None or theirs == mine:
                continue
            if mine is not None and theirs not in FEATURE_USES[mine]:
                problems.append(f"{name}:{line} uses bot.{theirs}")
            if (
                mine is None
                and name not in TOP_LEVEL_USERS
                and (name, theirs) not in BASE_EXCEPTIONS
            ):
                problems.append(f"{name}:{line} (a base module) uses bot.{theirs}")
    assert problems == []
