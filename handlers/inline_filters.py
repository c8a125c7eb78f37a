"""Plain filters run in the event loop, not in a thread.

aiogram runs every filter that is not a coroutine through `asyncio.to_thread`, magic filters
(`F.chat.type == …`) included: a typed question passed about ten thread hops before it reached
the guide's search, each costing far more than the comparison it runs. Every plain filter in
this project is a cheap predicate on the update (anything that reads the database or the network
is `async`), so after the routers are built each plain filter is wrapped in a coroutine that
calls it directly. `tests/test_architecture.py` checks that no thread hop is left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject


def _filters(router: Router) -> Iterator[FilterObject]:
    for observer in router.observers.values():
        yield from observer._handler.filters or ()  # the router-level filters
        for handler in observer.handlers:
            yield from handler.filters or ()
    for child in router.sub_routers:
        yield from _filters(child)


def _in_the_loop(plain: Callable[..., Any]) -> Callable[..., Any]:
    async def run(*args: Any, **kwargs: Any) -> Any:
        return plain(*args, **kwargs)

    return run


def run_plain_filters_inline(router: Router) -> int:
    """Make every plain filter of `router` and its sub-routers a coroutine; returns how many."""
    changed = 0
    for item in _filters(router):
        if not item.awaitable:
            item.callback = _in_the_loop(item.callback)
            item.awaitable = True
            changed += 1
    return changed


def plain_filters_left(router: Router) -> int:
    """How many filters aiogram would still run in a thread (0 once the routers are set up)."""
    return sum(1 for item in _filters(router) if not item.awaitable)
