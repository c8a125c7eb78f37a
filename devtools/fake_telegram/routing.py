"""HTTP side of the fake: /bot<token>/<method> and /file/bot<token>/<path>, parameters, answers."""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any

from aiohttp import web

from devtools.fake_telegram.faults import Faults
from devtools.fake_telegram.limits import DOWNLOAD_LIMIT
from devtools.fake_telegram.methods_send import SEND_KINDS
from devtools.fake_telegram.rules import ApiError, bad

log = logging.getLogger(__name__)

TOKEN_RE = re.compile(r"\d+:[\w-]+")


class Routing(Faults):
    """Reads a request, checks token and method against the spec, calls the method's handler."""

    async def _read_params(self, request: web.Request) -> tuple[dict, dict]:
        params: dict[str, Any] = dict(request.query)
        files: dict[str, tuple[bytes, str | None, str | None]] = {}
        ctype = request.content_type
        if request.method == "POST" and request.can_read_body:
            if ctype == "application/json":
                body = await request.json()
                if isinstance(body, dict):
                    params.update(body)
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                post = await request.post()
                for key, value in post.items():
                    if isinstance(value, web.FileField):
                        files[key] = (value.file.read(), value.filename, value.content_type)
                    else:
                        params[key] = value
        return params, files

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        method = request.match_info["method"]
        polling = method.lower() == "getupdates"
        if not polling:
            self._in_flight += 1
        self._last_activity = time.monotonic()
        try:
            return await self._handle_inner(request, token, method)
        finally:
            if not polling:
                self._in_flight -= 1
            self._last_activity = time.monotonic()

    async def _handle_inner(self, request: web.Request, token: str, method: str):
        self.stats.requests += 1
        if not TOKEN_RE.fullmatch(token) or (
            self.valid_tokens is not None and token not in self.valid_tokens
        ):
            return self._error(401, "Unauthorized")
        name = self.spec.method_name(method)
        if name is None:
            return self._error(404, "Not Found")
        try:
            raw, files = await self._read_params(request)
        except (ValueError, json.JSONDecodeError):
            return self._error(400, "Bad Request: can't parse JSON object")
        params = self.spec.coerce(name, raw)
        self.calls.append((name, params))
        for listener in self._call_listeners:
            listener(name, params)
        log.debug("fake telegram call %s", name)

        fault = await self._apply_faults(request, name, params)
        if fault is not None:
            return fault
        try:
            missing = self.spec.missing_required(name, params)
            if missing is not None:
                if missing in ("text",):
                    raise bad("message text is empty")
                raise bad(f"{missing} is empty")
            handler = getattr(self, f"_m_{name}", None)
            if handler is not None:
                result = await handler(params, files, token)
            elif name in SEND_KINDS:
                result = await self._send_media(name, params, files, token)
            else:
                result = self._generic(name)
        except ApiError as e:
            return self._error(e.status, e.description, e.retry_after)
        return web.json_response({"ok": True, "result": result})

    async def _download(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        path = request.match_info["path"]
        self._last_activity = time.monotonic()
        if not TOKEN_RE.fullmatch(token):
            return self._error(401, "Unauthorized")
        for f in self._files.values():
            if f.file_path == path and f.file_size <= DOWNLOAD_LIMIT:
                return web.Response(body=f.data, content_type="application/octet-stream")
        return self._error(404, "Not Found")

    def _generic(self, name: str) -> Any:
        returns = self.spec.returns(name)
        if not returns or returns[0] in ("Boolean", "True"):
            return True
        return self.spec.minimal(returns[0])
