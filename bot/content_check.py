"""`python -m bot content check`: validate every content file, naming file and line of each problem."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

from bot import content_compiled
from bot.content_files import Problems

# "module:function" taking a Problems collector. Each feature adds its own content checker here.
CHECKERS = (
    "bot.pages:load_pages",
    "bot.rights.content:check_faq",
    "bot.campaigns.content:check_campaigns",
    "bot.receptions.content:check_receptions",
    "bot.placements.content:check_placements",
    "bot.quiz.content:check_quizzes",
    "bot.glossary:check_glossary",
)


def run_checks() -> Problems:
    problems = Problems()
    for spec in CHECKERS:
        module_name, _, function_name = spec.partition(":")
        checker: Callable[..., object] = getattr(
            importlib.import_module(module_name), function_name
        )
        checker(problems=problems)
    return problems


def command(args: argparse.Namespace) -> int:
    problems = run_checks()
    for problem in problems.items:
        print(problem)
    if problems.items:
        print(f"{len(problems.items)} problem(s) found.", file=sys.stderr)
        return 1
    print("Content OK.")
    return 0


def compile_command(args: argparse.Namespace) -> int:
    """Check everything (which writes each file's compiled copy), then drop unused copies."""
    if command(args):
        return 1
    removed = content_compiled.prune()
    print(
        f"{len(content_compiled.used)} content files compiled into {content_compiled.COMPILED_DIR}"
        f" ({removed} old copies removed)."
    )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    content = subparsers.add_parser("content", help="content files: check, compile")
    actions = content.add_subparsers(dest="action", required=True)
    check = actions.add_parser("check", help="validate every content file")
    check.set_defaults(func=command)
    compiled = actions.add_parser(
        "compile", help="check, and save every file's compiled copy (read at start-up)"
    )
    compiled.set_defaults(func=compile_command)
