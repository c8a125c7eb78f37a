"""The baseline of benchmarks/webhook_taps.py: the product's `python -m bot run` in webhook mode,
with the tap's answer sent over HTTP as aiogram does by default — `bot/runner.py`'s answering
handler swapped for aiogram's SimpleRequestHandler and its session middleware for a no-op."""

from __future__ import annotations

import sys

from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.webhook.aiohttp_server import SimpleRequestHandler

import bot.runner
from bot.cli import main


class PassThrough(BaseRequestMiddleware):
    async def __call__(self, make_request, bot, method):  # type: ignore[no-untyped-def]
        return await make_request(bot, method)


bot.runner.AnswerInResponse = PassThrough  # type: ignore[assignment,misc]
bot.runner.AnsweringRequestHandler = SimpleRequestHandler  # type: ignore[assignment,misc]

if __name__ == "__main__":
    sys.exit(main(["run"]))
