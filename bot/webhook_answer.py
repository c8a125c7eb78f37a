"""Webhook mode: a button tap's answerCallbackQuery travels in the webhook's HTTP response.

Telegram lets a webhook answer an update with one Bot API call in the body of its HTTP response,
which saves a whole request. Every button tap costs the bot an answerCallbackQuery (it stops the
spinner on the button) and usually an edit of the screen; here the answer goes in the response,
the edit over HTTP as before. The handler runs as before; when it answers the tap, the session
middleware `AnswerInResponse` hands that call to the waiting webhook request instead of sending it
(the handler gets True at once), and `AnsweringRequestHandler` writes it into the response right
then, while the handler goes on with the edit. A handler that does not answer within
RESPONSE_WAIT seconds gets an empty response and its later answer is sent over HTTP, as are all
calls of every other update. One caveat, Telegram's own: an error in a call made through the
response is not reported back (aiogram documents the same); an answer to a tap is the one call
whose failure changes nothing for the person (an expired query cannot be answered anyway).
"""

from __future__ import annotations

import asyncio
import contextlib
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import Response
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import AnswerCallbackQuery, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

RESPONSE_WAIT = 2.0  # seconds a webhook request waits for the tap's answer


@dataclass
class _Pending:
    """The tap being answered in this webhook request."""

    query_id: str
    answer: AnswerCallbackQuery | None = None
    open: bool = True  # False once the response is written: later calls go over HTTP
    given: asyncio.Event = field(default_factory=asyncio.Event)


_PENDING: ContextVar[_Pending | None] = ContextVar("webhook_pending_answer", default=None)


class AnswerInResponse(BaseRequestMiddleware):
    """The session middleware: the current tap's answer goes to the waiting webhook response."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        pending = _PENDING.get()
        if (
            pending is not None
            and pending.open
            and pending.answer is None
            and isinstance(method, AnswerCallbackQuery)
            and method.callback_query_id == pending.query_id
        ):
            pending.answer = method
            pending.open = False
            pending.given.set()
            return True  # type: ignore[return-value]  # what answerCallbackQuery returns
        return await make_request(bot, method)


class AnsweringRequestHandler(SimpleRequestHandler):
    """Handles every update in the background, as aiogram's default does; for a button tap it
    waits (at most RESPONSE_WAIT s) until the handler answers it and responds with that answer."""

    async def _handle_request_background(self, bot: Bot, request: web.Request) -> web.Response:
        update: dict[str, Any] = await request.json(loads=bot.session.json_loads)
        query = update.get("callback_query")
        pending = _Pending(str(query["id"])) if isinstance(query, dict) and "id" in query else None
        token = _PENDING.set(pending)
        try:
            task = asyncio.create_task(self._background_feed_update(bot=bot, update=update))
        finally:
            _PENDING.reset(token)
        self._background_feed_update_tasks.add(task)
        task.add_done_callback(self._background_feed_update_tasks.discard)
        if pending is None:
            return web.json_response({}, dumps=bot.session.json_dumps)
        given = asyncio.ensure_future(pending.given.wait())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait({given, task}, timeout=RESPONSE_WAIT, return_when="FIRST_COMPLETED")
        given.cancel()
        pending.open = False
        return web.Response(body=self._build_response_writer(bot=bot, result=pending.answer))
