"""Entry point: `python -m bot` (see bot/cli.py for the commands)."""

import sys

if sys.argv[1:2] == ["healthcheck"]:  # every minute in Docker: no aiogram, no settings model
    from bot.healthcheck import main as healthcheck

    sys.exit(healthcheck())

from bot.cli import main

sys.exit(main())
