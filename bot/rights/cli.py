"""`python -m bot faq review-list`: the entries the Coalition's lawyers still have to check;
`python -m bot faq build-index`: compile the guide's search index (the image does it at build)."""

from __future__ import annotations

import argparse

from bot.content_files import CONTENT_DIR
from bot.rights.content import load_faq
from bot.rights.index_file import INDEX_PATH, compile_index


def review_list(args: argparse.Namespace) -> int:
    faq = load_faq()
    waiting = faq.awaiting_review()
    for entry in waiting:
        question = entry.texts["en"].question if "en" in entry.texts else ""
        print(f"{entry.id}  [{entry.topic}]  {question}\n    source: {entry.source}")
    print(f"{len(waiting)} of {len(faq.entries)} entries await legal review.")
    return 0


def build_index(args: argparse.Namespace) -> int:
    path = CONTENT_DIR / INDEX_PATH
    if not compile_index(CONTENT_DIR, path):
        print(f"The guide's search index could not be written to {path}.")
        return 1
    print(f"The guide's search index is compiled: {path} ({path.stat().st_size // 1024} KB).")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    faq = subparsers.add_parser("faq", help="the Know-your-rights guide: review list, index")
    actions = faq.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("review-list", help="entries awaiting legal review")
    listing.set_defaults(func=review_list)
    index = actions.add_parser("build-index", help="compile the guide's search index")
    index.set_defaults(func=build_index)
