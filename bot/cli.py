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
# Which module registers each command: `python -m bot run` imports the runner and nothing else
# (not the demo, the fake Bot API or the translation tools). A test keeps this in step.
COMMANDS = {
    "run": "bot.runner",
    "demo": "devtools.demo",
    "content": "bot.content_check",
    "i18n": "bot.i18n_tools",
    "healthcheck": "bot.healthcheck",
    "backup": "bot.backup",
    "restore": "bot.backup",
    "keys": "bot.reports.cli",
    "reports": "bot.reports.cli",
    "faq": "bot.rights.cli",
    "campaigns": "bot.campaigns.cli",
}
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


def build_parser(modules: tuple[str, ...] = COMMAND_MODULES) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    subparsers = parser.add_subparsers(dest="command")
    for name in modules:
        if name == "devtools.demo":
            register_demo(subparsers)
        else:
            importlib.import_module(name).register(subparsers)
    return parser


def modules_for(argv: list[str]) -> tuple[str, ...]:
    """Only the module of the command asked for; every module for help or an unknown word."""
    if not argv:
        return (COMMANDS["run"],)
    module = COMMANDS.get(argv[0])
    return (module,) if module is not None else COMMAND_MODULES


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    parser = build_parser(modules_for(words))
    args = parser.parse_args(words or ["run"])
    if not getattr(args, "func", None):
        args = build_parser().parse_args(["run", *words])
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
