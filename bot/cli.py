"""`python -m bot <command>`: each command lives in its own module with a `register(subparsers)`."""

from __future__ import annotations

import argparse
import importlib
import sys

from bot.config import ConfigError
from bot.content_files import ContentError

COMMAND_MODULES = (
    "bot.runner",
    "devtools.demo",  # a development tool: see register_demo
    "bot.content_check",
    "bot.i18n_tools",
    "bot.healthcheck",
    "bot.backup",
    "bot.reports.cli",
    "bot.rights.cli",
    "bot.campaigns.cli",
)
DEMO_MISSING = "the demo is a development tool: run ./dev demo from a checkout"


def register_demo(subparsers: argparse._SubParsersAction) -> None:
    """`demo` comes from devtools/, which a checkout has and the product (the image) has not."""
    try:
        from devtools import demo  # the one import of devtools in the product: lazy, here
    except ModuleNotFoundError as exc:
        if exc.name not in ("devtools", "devtools.demo"):
            raise
        # Take any arguments, so that every `demo …` gets the same one-line answer.
        parser = subparsers.add_parser(
            "demo", help="(development checkout only)", add_help=False, prefix_chars="\0"
        )
        parser.add_argument("ignored", nargs="*")
        parser.set_defaults(func=demo_missing)
        return
    demo.register(subparsers)


def demo_missing(args: argparse.Namespace) -> int:
    print(DEMO_MISSING, file=sys.stderr)
    return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    subparsers = parser.add_subparsers(dest="command")
    for name in COMMAND_MODULES:
        if name == "devtools.demo":
            register_demo(subparsers)
        else:
            importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        args = parser.parse_args(["run", *(argv or [])])
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    except ContentError as exc:
        print(f"Content error:\n{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
