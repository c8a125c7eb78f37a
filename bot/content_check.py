"""`python -m bot content check`: validate every content file, naming file and line of each problem."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

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


def register(subparsers: argparse._SubParsersAction) -> None:
    content = subparsers.add_parser("content", help="content files: check")
    actions = content.add_subparsers(dest="action", required=True)
    check = actions.add_parser("check", help="validate every content file")
    check.set_defaults(func=command)
