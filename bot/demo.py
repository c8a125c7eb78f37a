"""Placeholder module replaced below."""

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    return None
