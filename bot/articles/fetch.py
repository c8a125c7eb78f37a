"""Fetching the website over HTTP (aiohttp): timeouts, a size cap, PROXY_URL like the bot's own
connection. Errors come back as a short reason (an HTTP status or an error class), never the
URL's query nor the server's text."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp

FEED_LIMIT = 2 * 1024 * 1024  # bytes
PAGE_LIMIT = 3 * 1024 * 1024
TIMEOUT = aiohttp.ClientTimeout(total=30, connect=10, sock_read=20)
USER_AGENT = "notorture-bot (article mirror; +https://notorturetj.org)"


class FetchError(Exception):
    """A page or feed could not be fetched; `reason` is safe to log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Fetcher:
    def __init__(self, proxy_url: str | None, timeout: aiohttp.ClientTimeout = TIMEOUT) -> None:
        self.proxy_url = proxy_url
        self.timeout = timeout

    @asynccontextmanager
    async def session(self) -> AsyncIterator[aiohttp.ClientSession]:
        connector = None
        if self.proxy_url:  # the SOCKS library is loaded only with a proxy
            from aiohttp_socks import ProxyConnector

            connector = ProxyConnector.from_url(self.proxy_url)
        async with aiohttp.ClientSession(
            timeout=self.timeout, connector=connector, headers={"User-Agent": USER_AGENT}
        ) as session:
            yield session

    @staticmethod
    async def get(session: aiohttp.ClientSession, url: str, limit: int) -> bytes:
        try:
            async with session.get(url, allow_redirects=True, max_redirects=5) as response:
                if response.status != 200:
                    raise FetchError(f"HTTP {response.status}")
                if (response.content_length or 0) > limit:
                    raise FetchError("too large")
                data = bytearray()
                async for chunk in response.content.iter_chunked(64 * 1024):
                    data += chunk
                    if len(data) > limit:
                        raise FetchError("too large")
                return bytes(data)
        except FetchError:
            raise
        except (TimeoutError, aiohttp.ClientError, OSError, ValueError) as exc:
            raise FetchError(type(exc).__name__) from None
