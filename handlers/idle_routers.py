"""Routers that cannot handle an update type are not entered for it.

aiogram enters every router in order for every update until one handles it, and each visit
costs a middleware wrap and copies of the keyword data (every service, by name), also for a
router with no handler of that type at all: a button tap walked through the FAQ, help and
trust routers, which only handle messages, and a typed question through every router that
only answers commands. After the routers are built, `skip_idle_routers` marks, per update type,
the routers whose whole subtree has no handler and no middleware of that type, and the routers
whose every message handler needs a command (an aiogram `Command` filter: the text or caption
starts with one of its prefixes, "/") or a conversation state (a `StateFilter` without None or
"*": the admin's broadcast steps) are skipped for a message with no command from someone in no
conversation; they answer "unhandled" at once, as aiogram would have after visiting them.
Handlers and filters are untouched; a router that could handle the update is entered as before,
so the order and the result of the dispatch do not change. A router entered without outer
middlewares of the update's type goes straight to its handlers, without aiogram's middleware
wrapping (which, with no middleware, only calls through). A parent (every wrapped router, and
the dispatcher through `enter_only_able`) asks a sub-router before calling it, so a skipped one
costs no call at all, and a router with nothing of its own for the update type passes it
straight to its sub-routers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from aiogram import Router
from aiogram.dispatcher.event.bases import REJECTED, UNHANDLED
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.dispatcher.event.telegram import TelegramEventObserver
from aiogram.filters import Command, StateFilter
from aiogram.types import Message


def _busy_types(router: Router) -> set[str]:
    """Update types some handler or middleware in `router`'s subtree takes part in."""
    busy = {
        name
        for name, observer in router.observers.items()
        if observer.handlers or observer.outer_middleware._middlewares
    }
    for child in router.sub_routers:
        busy |= _busy_types(child)
    return busy


def _needs_state(handler: HandlerObject) -> bool:
    """Whether every state `handler` accepts is a conversation's (so not "no state")."""
    for f in handler.filters or ():
        if isinstance(f.callback, StateFilter):
            return None not in f.callback.states and "*" not in f.callback.states
    return False


def _command_prefixes(router: Router) -> tuple[str, bool] | None:
    """The prefixes every handler of new messages in `router`'s subtree needs, unless it needs
    a conversation state (True if some handler does); None: some handler may take any message,
    or a middleware sees every message. Only for "message" updates: edited messages and
    channel posts have observers of their own."""
    observer = router.message
    if observer.outer_middleware._middlewares:
        return None
    prefixes, stateful = "", False
    for handler in observer.handlers:
        commands = [f.callback for f in handler.filters or () if isinstance(f.callback, Command)]
        if commands:
            prefixes += "".join(command.prefix for command in commands)
        elif _needs_state(handler):
            stateful = True
        else:
            return None
    for child in router.sub_routers:
        below = _command_prefixes(child)
        if below is None:
            return None
        prefixes += below[0]
        stateful = stateful or below[1]
    return prefixes, stateful


# What each wrapped router can take, so a parent asks before calling it: a call passes every
# service by name (~45 keyword arguments copied, ~2 µs), and a typed question used to make it
# to nine top-level routers that answer "unhandled" at once.
_ACCEPTS: WeakKeyDictionary[Router, Callable[[str, Any, dict[str, Any]], bool]] = (
    WeakKeyDictionary()
)


def _accepting(router: Router) -> Callable[[str, Any, dict[str, Any]], bool]:
    """Whether `router`'s subtree could handle an update of that type (see the module)."""
    busy = frozenset(_busy_types(router))
    needs = _command_prefixes(router)
    starts = tuple(sorted(set(needs[0]))) if needs is not None else None
    stateful = needs is not None and needs[1]

    def accepts(update_type: str, event: Any, data: dict[str, Any]) -> bool:
        if update_type not in busy:
            return False
        if starts is not None and update_type == "message" and isinstance(event, Message):
            text = event.text or event.caption
            if (not text or not starts or not text.startswith(starts)) and (
                not stateful or data.get("raw_state") is None
            ):
                return False  # none of this router's handlers would take it
        return True

    return accepts


def enter_only_able(router: Router) -> None:
    """`router` hands an update only to the sub-routers that could handle it, and skips its own
    checks where it has none: aiogram's `Router._propagate_event` otherwise, step for step."""

    async def propagate_inside(
        observer: TelegramEventObserver | None, update_type: str, event: Any, **kwargs: Any
    ) -> Any:
        if observer:
            if observer._handler.filters:  # the router's own filters, as aiogram checks them
                result, data = await observer.check_root_filters(event, **kwargs)
                if not result:
                    return UNHANDLED
                kwargs.update(data)
            if observer.handlers:
                response = await observer.trigger(event, **kwargs)
                if response is REJECTED:
                    return UNHANDLED
                if response is not UNHANDLED:
                    return response
        for child in router.sub_routers:
            accepts = _ACCEPTS.get(child)
            if accepts is not None and not accepts(update_type, event, kwargs):
                continue
            response = await child.propagate_event(update_type=update_type, event=event, **kwargs)
            if response is not UNHANDLED:
                return response
        return UNHANDLED

    router._propagate_event = propagate_inside  # type: ignore[method-assign]


def skip_idle_routers(router: Router) -> None:
    """Give `router` and every sub-router a shortcut for the updates they cannot handle."""
    accepts = _ACCEPTS[router] = _accepting(router)
    enter = router.propagate_event
    own = getattr(enter, "__func__", None) is Router.propagate_event  # not wrapped by others

    async def propagate_event(update_type: str, event: Any, **kwargs: Any) -> Any:
        if not accepts(update_type, event, kwargs):
            return UNHANDLED
        observer = router.observers.get(update_type)
        if own and observer is not None and not observer.outer_middleware._middlewares:
            kwargs["event_router"] = router  # as aiogram's propagate_event, minus the wrapping
            return await router._propagate_event(
                observer=observer,
                update_type=update_type,
                event=event,
                **kwargs,
            )
        return await enter(update_type=update_type, event=event, **kwargs)

    router.propagate_event = propagate_event  # type: ignore[method-assign]
    enter_only_able(router)
    for child in router.sub_routers:
        skip_idle_routers(child)


def idle_types(router: Router) -> frozenset[str]:
    """The update types `router` skips (for tests)."""
    return frozenset(router.observers) - _busy_types(router)


def commands_only(router: Router) -> bool:
    """True if `router` takes only messages that start with a command prefix (for tests)."""
    return _command_prefixes(router) is not None
