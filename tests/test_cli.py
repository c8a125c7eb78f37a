"""`python -m bot <command>` imports only the module of that command."""

from __future__ import annotations

import argparse
import sys

from bot.cli import COMMAND_MODULES, COMMANDS, build_parser, modules_for
from tests.processes import ROOT, run_captured


def _choices(parser: argparse.ArgumentParser) -> set[str]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(action.choices)


def test_every_command_is_found_in_its_module() -> None:
    assert _choices(build_parser()) == set(COMMANDS)
    for command, module in COMMANDS.items():
        assert command in _choices(build_parser((module,))), (command, module)
    assert set(COMMANDS.values()) == set(COMMAND_MODULES)


def test_unknown_words_and_help_see_every_command() -> None:
    assert modules_for([]) == ("bot.runner",)
    assert modules_for(["backup", "--to", "x"]) == ("bot.backup",)
    assert modules_for(["--help"]) == COMMAND_MODULES


def test_run_imports_neither_the_demo_nor_the_tools() -> None:
    """Nor, for polling without a proxy, the web server or the SOCKS library (start-up time
    and memory: issue 15)."""
    code = (
        "import sys\n"
        "from bot.cli import build_parser, modules_for\n"
        "build_parser(modules_for(['run']))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('devtools', 'bot.i18n_tools',"
        " 'bot.reports.cli', 'babel.messages', 'bot.webhook', 'aiohttp.web',"
        " 'aiogram.webhook', 'aiohttp_socks', 'python_socks'))))\n"
    )
    out = run_captured([sys.executable, "-c", code], cwd=ROOT, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr[-2000:]
