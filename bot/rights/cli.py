"""`python -m bot faq review-list`: the entries the Coalition's lawyers still have to check."""

from __future__ import annotations

import argparse

from bot.rights.content import load_faq


def review_list(args: argparse.Namespace) -> int:
    faq = load_faq()
    waiting = faq.awaiting_review()
    for entry in waiting:
        question = entry.texts["en"].question if "en" in entry.texts else ""
        print(f"{entry.id}  [{entry.topic}]  {question}\n    source: {entry.source}")
    print(f"{len(waiting)} of {len(faq.entries)} entries await legal review.")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    faq = subparsers.add_parser("faq", help="the Know-your-rights guide: review list")
    actions = faq.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("review-list", help="entries awaiting legal review")
    listing.set_defaults(func=review_list)
