"""One empty observer per update type, shared by every router that takes no part in that type.

aiogram gives each router an observer for each of its ~30 update types, every one with two
middleware managers and a check object of its own (~1.2 KB), so our 36 routers kept ~1,000
empty ones, about 1 MB of the idle bot. As each feature's routers are built (`lean`, in
`handlers.setup_routers`, so the next feature reuses the freed memory) and once the dispatcher
is built, `share_empty_observers` replaces each observer that has no handler, no filter and no middleware with the one shared
empty observer of its type. An empty observer behaves the same in every router: its filters
pass, its trigger answers "unhandled" and it adds no middleware to the routers below (its
router is only read when a handler of its own runs, and it has none). The shared observers
refuse registrations, so a handler added after the build fails loudly instead of landing in
every router at once.
"""

from __future__ import annotations

from typing import Any, NoReturn

from aiogram import Router
from aiogram.dispatcher.event.telegram import TelegramEventObserver
from aiogram.dispatcher.middlewares.manager import MiddlewareManager

_LATE = "the dispatcher is built: register handlers, filters and middlewares before it is"


class _FrozenMiddlewares(MiddlewareManager):
    def register(self, middleware: Any) -> NoReturn:
        raise RuntimeError(_LATE)


class _SharedObserver(TelegramEventObserver):
    def __init__(self, event_name: str) -> None:
        super().__init__(router=_OWNER, event_name=event_name)
        self.middleware = _FrozenMiddlewares()
        self.outer_middleware = _FrozenMiddlewares()

    def register(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError(_LATE)

    def filter(self, *filters: Any) -> NoReturn:
        raise RuntimeError(_LATE)


_OWNER = Router(name="shared empty observers")  # in no tree: the observers' nominal router
_SHARED: dict[str, _SharedObserver] = {}


def _empty(observer: TelegramEventObserver) -> bool:
    return not (
        observer.handlers
        or observer._handler.filters
        or observer.middleware._middlewares
        or observer.outer_middleware._middlewares
    )


def share_empty_observers(root: Router) -> int:
    """Give `root` and every router below it the shared observer for each update type it has
    nothing for; returns how many observers were replaced."""
    replaced = 0
    for router in root.chain_tail:
        for name, observer in list(router.observers.items()):
            if isinstance(observer, _SharedObserver) or not _empty(observer):
                continue
            shared = _SHARED.get(name)
            if shared is None:
                shared = _SHARED[name] = _SharedObserver(name)
            router.observers[name] = shared
            for attribute in (name, "errors") if name == "error" else (name,):
                if getattr(router, attribute, None) is observer:
                    setattr(router, attribute, shared)
            replaced += 1
    return replaced


def lean(router: Router) -> Router:
    """`router`, once its empty observers and those of its sub-routers are shared."""
    share_empty_observers(router)
    return router


def is_shared(observer: TelegramEventObserver) -> bool:
    """Whether `observer` is a shared empty one (for tests)."""
    return isinstance(observer, _SharedObserver)
