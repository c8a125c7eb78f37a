"""The same-work baseline: a bare aiogram bot that makes, for each update, exactly the Bot API
calls our bot made for that step (method and payload recorded by benchmarks/harness.py
`Recorder` in the same run), with the chat, message and callback ids of the update in hand, and
no logic at all. Our bot's throughput divided by this one's is our own overhead.

    REPLAY_CALLS=calls.json BOT_TOKEN=… TELEGRAM_API_BASE=… python -m benchmarks.replay_bot
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from pathlib import Path

from aiogram import Bot, Dispatcher, methods
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, Message

from benchmarks.harness import step_key

CALLS: dict[str, list[tuple[str, dict]]] = json.loads(Path(os.environ["REPLAY_CALLS"]).read_text())
METHODS = {
    name: getattr(methods, name[0].upper() + name[1:])
    for name in {m for calls in CALLS.values() for m, _ in calls}
}
MISSES = 0


def _with_ids(params: dict, chat_id: int, message_id: int | None, query_id: str | None) -> dict:
    given = dict(params)
    if "chat_id" in given:
        given["chat_id"] = chat_id
    if "message_id" in given and message_id is not None:
        given["message_id"] = message_id
    if "message_ids" in given and message_id is not None:
        given["message_ids"] = [message_id]
    if "callback_query_id" in given and query_id is not None:
        given["callback_query_id"] = query_id
    scope = given.get("scope")
    if isinstance(scope, dict) and "chat_id" in scope:
        given["scope"] = scope | {"chat_id": chat_id}
    return given


async def replay(
    bot: Bot, key: str, chat_id: int, message_id: int | None, query_id: str | None
) -> None:
    global MISSES
    calls = CALLS.get(key)
    if calls is None:
        MISSES += 1
        return
    for method, params in calls:
        # e.g. a delete of a message this bot never sent fails: the call was made all the same
        with contextlib.suppress(TelegramAPIError):
            await bot(METHODS[method](**_with_ids(params, chat_id, message_id, query_id)))


async def on_message(message: Message, bot: Bot) -> None:
    key = step_key(message.from_user.language_code or "", "text", message.text or "")
    await replay(bot, key, message.chat.id, message.message_id, None)


async def on_tap(query: CallbackQuery, bot: Bot) -> None:
    key = step_key(query.from_user.language_code or "", "tap", query.data or "")
    message_id = query.message.message_id if query.message else None
    await replay(bot, key, query.from_user.id, message_id, query.id)


async def main() -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_BASE"]))
    bot = Bot(os.environ["BOT_TOKEN"], session=session)
    dp = Dispatcher()
    dp.message.register(on_message)
    dp.callback_query.register(on_tap)
    await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types(), handle_signals=True)


if __name__ == "__main__":
    asyncio.run(main())
