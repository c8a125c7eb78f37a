"""`python -m bot campaigns preview --date YYYY-MM-DD [--lang tg]`: what a day posts, without sending."""

from __future__ import annotations

import argparse
import os
from datetime import date

from bot import LOCALES
from bot.campaigns.content import load_campaigns
from bot.campaigns.preview import describe_day, read_audiences
from bot.config import load_settings

# Proof-reading needs no bot: a missing token must not stop the preview.
PREVIEW_TOKEN = "1:preview-without-a-bot-token"


def preview_command(args: argparse.Namespace) -> int:
    overrides = {} if os.environ.get("BOT_TOKEN") else {"bot_token": PREVIEW_TOKEN}
    settings = load_settings(**overrides)
    campaigns = load_campaigns()
    audiences = read_audiences(settings.database_path, list(campaigns))
    languages = (args.lang,) if args.lang else LOCALES
    print(
        describe_day(
            campaigns,
            args.date,
            channels=settings.channels,
            audiences=audiences,
            languages=languages,
            timezone=settings.timezone,
        )
    )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    campaigns = subparsers.add_parser("campaigns", help="daily campaigns: preview a day")
    actions = campaigns.add_subparsers(dest="action", required=True)
    preview = actions.add_parser("preview", help="print what a date posts and to whom")
    preview.add_argument("--date", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    preview.add_argument("--lang", choices=LOCALES, help="show one language only")
    preview.set_defaults(func=preview_command)
