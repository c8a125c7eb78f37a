"""The baseline of benchmarks/webhook_taps.py: the product's `python -m bot run` in webhook mode,
with the tap's answer sent over HTTP as aiogram does by default — `bot/webhook.py`'s answering
handler swapped for aiogram's SimpleRequestHandler and its session middleware for a no-op."""

from __future__ import annotations

import sys

from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.webhook.aiohttp_server import SimpleRequestHandler

import bot.webhook
from bot.cli import main


class PassThrough(BaseRequestMiddleware):
    async def __call__(self, make_request, bot, method):  # type: ignore[no-untyped-def]
        return await make_request(bot, method)


bot.webhook.AnswerInResponse = PassThrough  # type: ignore[assignment,misc]
bot.webhook.AnsweringRequestHandler = SimpleRequestHandler  # type: ignore[assignment,misc]

if __name__ == "__main__":
    sys.exit(main(["run"]))
