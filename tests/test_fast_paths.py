"""The crowd's paths cost what they must: no filter runs in a thread, no role query per message.

aiogram sends every plain (non-coroutine) filter through `asyncio.to_thread`; these tests count
the thread hops aiogram makes while the real bot answers a typed question, a /start and a tap
over the fake Bot API, and the database reads the admin routers make for people without a role.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram import F, Router
from aiogram.dispatcher.event import handler as aiogram_handler

from handlers.inline_filters import plain_filters_left, run_plain_filters_inline
from tests.conftest import ADMIN_ID, RunningBot


@pytest.fixture
def thread_hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    hops: list[str] = []
    real = asyncio.to_thread

    async def counting(func: Any, /, *args: Any, **kwargs: Any) -> Any:
        hops.append(getattr(func, "func", func).__qualname__)
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(aiogram_handler.asyncio, "to_thread", counting)
    return hops


async def test_a_question_a_start_and_a_tap_make_no_thread_hop(
    running_bot: RunningBot, thread_hops: list[str]
) -> None:
    user = 4101
    await running_bot.say(user, "/start")
    await running_bot.tap(user, "Русский")
    shown = await running_bot.say(user, "меня избили в милиции, что делать?")
    assert shown.text
    await running_bot.tap(user, running_bot.buttons(user)[0])
    assert thread_hops == []
    assert plain_filters_left(running_bot.dp) == 0


async def test_wrapped_plain_filters_still_decide() -> None:
    router = Router()
    router.message.filter(F.chat.type == "private")
    router.message.register(lambda: None, lambda message: message.text == "yes")
    assert plain_filters_left(router) == 2
    assert run_plain_filters_inline(router) == 2 and plain_filters_left(router) == 0
    root, own = router.message._handler.filters[0], router.message.handlers[0].filters[0]

    class Msg:
        def __init__(self, kind: str, text: str) -> None:
            self.chat = type("C", (), {"type": kind})()
            self.text = text

    assert await root.call(Msg("private", "x")) is True
    assert not await root.call(Msg("group", "x"))
    assert await own.call(Msg("private", "yes")) is True
    assert await own.call(Msg("private", "no")) is False


async def test_roles_come_from_memory_and_a_change_takes_effect_at_once(
    running_bot: RunningBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    admins = running_bot.services.admins
    reads: list[str] = []
    real_fetchone, real_fetchall = admins.db.fetchone, admins.db.fetchall

    async def fetchone(sql: str, *args: Any) -> Any:
        reads.append(sql)
        return await real_fetchone(sql, *args)

    async def fetchall(sql: str, *args: Any) -> Any:
        reads.append(sql)
        return await real_fetchall(sql, *args)

    monkeypatch.setattr(admins.db, "fetchone", fetchone)
    monkeypatch.setattr(admins.db, "fetchall", fetchall)
    editor = 4102
    await running_bot.say(editor, "/start")
    await running_bot.say(editor, "/stats")
    await running_bot.say(editor, "/stats")
    role_reads = [sql for sql in reads if sql == "SELECT user_id, role FROM admins"]
    assert len(role_reads) <= 1, reads  # read once, then from memory (start-up lists members)

    await running_bot.say(ADMIN_ID, f"/admin_add {editor} editor")
    assert await admins.role_of(editor) == "editor"
    shown = await running_bot.say(editor, "/stats")
    assert "/stats" not in shown.text  # the editor's first /stats after the change is answered
    await running_bot.say(ADMIN_ID, f"/admin_remove {editor}")
    assert await admins.role_of(editor) is None
    refused = await running_bot.say(editor, "/stats")
    assert refused.text != shown.text
    assert sum(sql == "SELECT user_id, role FROM admins" for sql in reads) <= 1


def test_start_up_objects_are_frozen_and_collection_is_back_on() -> None:
    """`python -m bot run` starts with the collector off; once built, the bot freezes what it
    made (aiogram's types, the guide's index) and collects again, over new objects only."""
    import gc

    from bot.startup import freeze_startup_objects

    gc.disable()
    try:
        freeze_startup_objects()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 100_000  # aiogram's types alone are more
    finally:
        gc.unfreeze()
        gc.enable()


def _update(kind: str, value: str) -> Any:
    from aiogram.types import Update

    person = {"id": 7, "is_bot": False, "first_name": "A"}
    chat = {"id": 7, "type": "private"}
    message = {"message_id": 1, "date": 0, "chat": chat, "from": person, "text": value}
    if kind in ("message", "edited_message"):
        return Update.model_validate({"update_id": 1, kind: message | {"edit_date": 1}})
    query = {"id": "q", "chat_instance": "c", "from": person, "data": value, "message": message}
    return Update.model_validate({"update_id": 1, "callback_query": query})


async def test_routers_that_cannot_take_an_update_are_not_entered() -> None:
    """A tap skips message-only routers, a question skips command-only routers; what could
    handle the update still gets it, in the same order, and a middleware keeps its router open."""
    from aiogram import Bot, Dispatcher
    from aiogram.filters import Command, StateFilter

    from handlers.idle_routers import commands_only, idle_types, skip_idle_routers

    entered: list[str] = []
    handled: list[str] = []

    def tracked(name: str) -> Router:
        router = Router(name=name)
        real = router.propagate_event

        async def spy(update_type: str, event: Any, **kwargs: Any) -> Any:
            entered.append(name)
            return await real(update_type=update_type, event=event, **kwargs)

        router.propagate_event = spy  # type: ignore[method-assign]
        return router

    commands = tracked("commands")
    commands.message.register(lambda m: handled.append("help"), Command("help"))
    # its new messages need a command, its edited ones do not (as a report's edit guard)
    commands.edited_message.register(lambda m: handled.append("edit"))
    texts = tracked("texts")
    texts.message.register(lambda m: handled.append("text"))
    taps = tracked("taps")
    taps.callback_query.register(lambda q: handled.append("tap"))
    watched = tracked("watched")  # no handler, but a middleware that sees every message
    # a conversation's step (as the broadcast composer's): only for someone in that state
    stateful = tracked("stateful")
    stateful.message.register(lambda m: handled.append("step"), StateFilter("Compose:text"))
    stateful.message.register(lambda m: handled.append("cancel"), Command("cancel"))

    async def note(handler: Any, event: Any, data: dict[str, Any]) -> Any:
        handled.append("middleware")
        return await handler(event, data)

    watched.message.outer_middleware(note)
    dp = Dispatcher()
    routers = [commands, taps, watched, stateful, texts]
    for router in routers:
        skip_idle_routers(router)  # wraps the spy: a skipped router never reaches it
    dp.include_routers(*routers)
    assert commands_only(commands) and commands_only(stateful) and not commands_only(texts)
    assert "message" in idle_types(taps) and "callback_query" in idle_types(texts)
    bot = Bot("42:TEST")
    for kind, value, expected_entered, expected_handled in (
        ("message", "what are my rights?", ["watched", "texts"], ["middleware", "text"]),
        ("message", "/help", ["commands"], ["help"]),
        ("callback_query", "x", ["taps"], ["tap"]),
        ("edited_message", "a corrected word", ["commands"], ["edit"]),
        ("message", "/cancel", ["commands", "watched", "stateful"], ["middleware", "cancel"]),
    ):
        entered.clear()
        handled.clear()
        await dp.feed_update(bot, _update(kind, value))
        assert entered == expected_entered, value
        assert handled == expected_handled, value
    # In the conversation, the same text goes to its step, not to the routers after it.
    await dp.fsm.get_context(bot, chat_id=7, user_id=7).set_state("Compose:text")
    entered.clear()
    handled.clear()
    await dp.feed_update(bot, _update("message", "what are my rights?"))
    assert entered == ["watched", "stateful"]
    assert handled == ["middleware", "step"]
    await bot.session.close()


async def test_a_parent_calls_only_the_routers_that_could_take_the_update() -> None:
    """The dispatcher (and every router) asks each sub-router first: a typed question does not
    even call the routers before the one that answers it, a tap not the message-only ones; what
    they answer does not change."""
    from aiogram import Bot, Dispatcher
    from aiogram.filters import Command

    from handlers.idle_routers import enter_only_able, skip_idle_routers

    called: list[str] = []
    handled: list[str] = []
    commands, taps, texts = Router(name="commands"), Router(name="taps"), Router(name="texts")
    commands.message.register(lambda m: handled.append("help"), Command("help"))
    taps.callback_query.register(lambda q: handled.append("tap"))
    inner = Router(name="inner")  # a feature's sub-router, behind a router of its own
    inner.message.register(lambda m: handled.append("text"))
    texts.include_router(inner)
    dp = Dispatcher()
    for router in (commands, taps, texts):
        skip_idle_routers(router)
        shortcut = router.propagate_event

        def counted(name: str, real: Any) -> Any:
            async def spy(update_type: str, event: Any, **kwargs: Any) -> Any:
                called.append(name)
                return await real(update_type=update_type, event=event, **kwargs)

            return spy

        router.propagate_event = counted(router.name, shortcut)  # type: ignore[method-assign]
    dp.include_routers(commands, taps, texts)
    enter_only_able(dp)
    bot = Bot("42:TEST")
    for kind, value, expected_called, expected_handled in (
        ("message", "what are my rights?", ["texts"], ["text"]),
        ("message", "/help", ["commands"], ["help"]),
        ("message", "/unknown", ["commands", "texts"], ["text"]),
        ("callback_query", "x", ["taps"], ["tap"]),
    ):
        called.clear()
        handled.clear()
        await dp.feed_update(bot, _update(kind, value))
        assert called == expected_called, value
        assert handled == expected_handled, value
    await bot.session.close()


async def test_empty_observers_are_shared_and_the_dispatch_does_not_change(
    running_bot: RunningBot,
) -> None:
    """Once built, a router's observers with nothing of their own are one shared empty
    observer per update type: handlers, router filters and middlewares keep theirs, the
    parents' middlewares still wrap the children's handlers, and a late registration fails."""
    from aiogram import Bot, Dispatcher

    from handlers.shared_observers import is_shared, lean

    handled: list[str] = []

    async def note(handler: Any, event: Any, data: dict[str, Any]) -> Any:
        handled.append("parent's middleware")
        return await handler(event, data)

    parent, texts, taps = Router(name="parent"), Router(name="texts"), Router(name="taps")
    parent.callback_query.middleware(note)  # inner: wraps the handlers of the routers below
    texts.message.register(lambda m: handled.append("text"))
    taps.callback_query.register(lambda q: handled.append("tap"), F.data == "x")
    taps.callback_query.filter(F.data != "")
    parent.include_routers(texts, taps)
    assert lean(parent) is parent
    assert is_shared(parent.message) and is_shared(taps.message) and is_shared(texts.poll)
    assert not is_shared(parent.callback_query) and not is_shared(texts.message)
    assert not is_shared(taps.callback_query)
    assert parent.errors is parent.error is parent.observers["error"] and is_shared(parent.error)
    assert texts.edited_message is taps.edited_message  # one per update type
    dp = Dispatcher()
    dp.include_router(parent)
    bot = Bot("42:TEST")
    for kind, value, expected in (
        ("message", "hello", ["text"]),
        ("callback_query", "x", ["parent's middleware", "tap"]),
        ("edited_message", "hello", []),
    ):
        handled.clear()
        await dp.feed_update(bot, _update(kind, value))
        assert handled == expected, kind
    await bot.session.close()
    for late in (
        lambda: parent.message.register(lambda m: None),
        lambda: parent.message.filter(F.text),
        lambda: parent.message.middleware(note),
        lambda: parent.message.outer_middleware(note),
    ):
        with pytest.raises(RuntimeError, match="dispatcher is built"):
            late()

    # The bot's own dispatcher: most observers are shared, none that takes part in an update.
    observers = [
        observer for router in running_bot.dp.chain_tail for observer in router.observers.values()
    ]
    shared = [observer for observer in observers if is_shared(observer)]
    assert len(shared) > 0.8 * len(observers)
    assert all(not (o.handlers or o._handler.filters) for o in shared)
    assert all(
        o.handlers
        or o._handler.filters
        or o.middleware._middlewares
        or o.outer_middleware._middlewares
        for o in observers
        if not is_shared(o)
    )
