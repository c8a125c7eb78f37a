"""FakeTelegram: an in-process HTTP fake of the Telegram Bot API for tests and the terminal demo.

The real aiogram ``Bot`` talks to it over HTTP on 127.0.0.1. It validates methods against the
Bot API spec, enforces Telegram's limits with Telegram's error texts, simulates users, chats,
files and callback buttons, and lets tests inspect what a person would see.
"""

from __future__ import annotations

from aiohttp import web

from devtools.fake_telegram.limits import UPLOAD_LIMIT
from devtools.fake_telegram.methods_bot import BotMethods
from devtools.fake_telegram.methods_edit import EditMethods
from devtools.fake_telegram.methods_inline import InlineMethods
from devtools.fake_telegram.methods_poll import PollMethods
from devtools.fake_telegram.methods_send import SendMethods
from devtools.fake_telegram.methods_venue import VenueMethods
from devtools.fake_telegram.people import People
from devtools.fake_telegram.routing import Routing

# Where each part lives: state.py (the world and the clock), people.py (what people do, what tests
# inspect), routing.py (HTTP), faults.py (injected errors), limits.py (429, 403, sizes),
# methods_bot.py / methods_send.py / methods_venue.py / methods_poll.py / methods_edit.py /
# methods_inline.py (the Bot API methods the fake simulates; methods_inline.py also holds people's
# inline queries, methods_poll.py people's answers to polls).


class FakeTelegram(
    Routing,
    People,
    SendMethods,
    VenueMethods,
    PollMethods,
    EditMethods,
    BotMethods,
    InlineMethods,
):
    """An HTTP fake of the Telegram Bot API. See devtools/fake_telegram/README.md."""

    async def start(self) -> FakeTelegram:
        """Bind 127.0.0.1 on a free port and start serving."""
        app = web.Application(client_max_size=UPLOAD_LIMIT + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Stop serving; pending long polls and hanging requests return at once."""
        self._closing.set()
        for q in self._queues.values():
            q.notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        for task in list(self._tasks):
            task.cancel()

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """Pass this to ``TelegramAPIServer.from_base``."""
        if self.port is None:
            raise RuntimeError("FakeTelegram is not started")
        return f"http://127.0.0.1:{self.port}"
