"""Injected faults: the next N calls fail (`inject`), or a share of them (`set_faults`)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable
from typing import Any

from aiohttp import web

from devtools.fake_telegram.models import Injection
from devtools.fake_telegram.rules import ApiError
from devtools.fake_telegram.state import WorldState

_STATUS_TEXT = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


class Faults(WorldState):
    """Errors, hangs and resets on demand, and the error answers of the fake."""

    def inject(
        self,
        method: str | None = None,
        status: int = 500,
        count: int = 1,
        retry_after: int | None = None,
        description: str | None = None,
    ) -> None:
        """Answer the next ``count`` calls of ``method`` (None: any method but getUpdates)
        with an error ``status``; 429 carries ``retry_after`` (default 1)."""
        if status == 429 and retry_after is None:
            retry_after = 1
        self._injections.append(Injection(method, status, count, retry_after, description))

    def set_faults(
        self,
        mode: str | None = None,
        probability: float = 1.0,
        methods: Iterable[str] | None = None,
    ) -> None:
        """mode: None | "error500" | "error502" | "hang" | "reset"; applies to every method
        except getUpdates unless ``methods`` names them."""
        if mode not in (None, "error500", "error502", "hang", "reset"):
            raise ValueError(f"unknown fault mode {mode!r}")
        self._fault_mode = mode
        self._fault_probability = probability
        self._fault_methods = set(methods) if methods else None

    def set_latency(self, base: float = 0.0, jitter: float = 0.0) -> None:
        """Every call but getUpdates waits `base` + a random share of `jitter` seconds before
        the server handles it (and counts it against the flood limits)."""
        self._latency = (base, jitter)

    def stall(self, seconds: float) -> None:
        """The server stops handling calls for `seconds` from now; the calls that arrive
        meanwhile wait and are all handled when it wakes (what a real server's hiccup does)."""
        self._stalled_until = max(self._stalled_until, time.monotonic() + seconds)

    async def _delay(self, name: str) -> None:
        if name == "getUpdates":
            return
        base, jitter = self._latency
        if base or jitter:
            await asyncio.sleep(base + self._rng.random() * jitter)
        while (left := self._stalled_until - time.monotonic()) > 0:  # noqa: ASYNC110 (a deadline that can move)
            await asyncio.sleep(left)

    def _matches(self, wanted: str | None, method: str, allowed: set[str] | None = None) -> bool:
        if allowed is not None:
            return method in allowed
        if wanted is None:
            return method != "getUpdates"
        return wanted.lower() == method.lower()

    def _error(self, status: int, description: str, retry_after: int | None = None):
        self.stats.errors += 1
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        if status == 429:
            self.stats.rate_limited += 1
        return web.json_response(body, status=status)

    async def _apply_faults(self, request, name, params) -> web.StreamResponse | None:
        await self._delay(name)
        for inj in self._injections:
            if inj.count > 0 and self._matches(inj.method, name):
                inj.count -= 1
                self.stats.injected += 1
                if inj.status == 429:
                    chat_key = params.get("chat_id", "*")
                    with contextlib.suppress(ApiError):
                        chat_key = self._resolve_chat(chat_key).id if chat_key != "*" else "*"
                    self._limiter(request.match_info["token"]).note_retry(
                        chat_key, self.now(), inj.retry_after or 1
                    )
                    desc = inj.description or f"Too Many Requests: retry after {inj.retry_after}"
                    return self._error(429, desc, inj.retry_after)
                desc = inj.description or _STATUS_TEXT.get(inj.status, "Internal Server Error")
                return self._error(inj.status, desc)
        mode = self._fault_mode
        if mode is None or not self._matches(None, name, self._fault_methods):
            return None
        if self._rng.random() >= self._fault_probability:
            return None
        self.stats.injected += 1
        if mode == "error500":
            return self._error(500, "Internal Server Error")
        if mode == "error502":
            self.stats.errors += 1
            return web.Response(
                status=502,
                text="<html><head><title>502 Bad Gateway</title></head><body>"
                "<center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>"
                "</body></html>",
                content_type="text/html",
            )
        if mode == "hang":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), self.hang_seconds)
            return self._error(500, "Internal Server Error")
        # reset: drop the connection without an answer
        if request.transport is not None:
            request.transport.abort()
        raise ConnectionResetError("fake telegram reset the connection")
