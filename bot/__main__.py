"""Entry point: `python -m bot` (see bot/cli.py for the commands)."""

import sys

# The guard: the article extractor's worker process (spawn) imports this module again under
# another name, and must not start a second bot.
if __name__ == "__main__":
    if sys.argv[1:2] == ["healthcheck"]:  # every minute in Docker: no aiogram, no settings model
        from bot.healthcheck import main as healthcheck

        sys.exit(healthcheck())

    if sys.argv[1:2] in ([], ["run"]):
        # No garbage collection while aiogram builds its ~200,000 long-lived objects at import:
        # the runner freezes them and turns collection back on once the bot is built.
        import gc

        gc.disable()

    from bot.cli import main

    sys.exit(main())
