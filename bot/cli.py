"""`python -m bot <command>`: each command lives in its own module with a `register(subparsers)`."""

from __future__ import annotations

import argparse
import importlib
import sys

from bot.config import ConfigError
from bot.content_files import ContentError

COMMAND_MODULES = (
    "bot.runner",
    "bot.demo",
    "bot.content_check",
    "bot.i18n_tools",
    "bot.healthcheck",
    "bot.backup",
    "bot.reports.cli",
    "bot.rights.cli",
    "bot.campaigns.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    subparsers = parser.add_subparsers(dest="command")
    for name in COMMAND_MODULES:
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
