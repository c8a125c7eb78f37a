"""Telegram's limits the fake enforces on sends: flood limits (429), blocked users (403), sizes."""

from __future__ import annotations

import math

from devtools.fake_telegram.models import ChatState
from devtools.fake_telegram.rules import ApiError
from devtools.fake_telegram.state import WorldState

DOWNLOAD_LIMIT = 20 * 1024 * 1024
UPLOAD_LIMIT = 50 * 1024 * 1024
DELETE_AGE = 48 * 3600
QUERY_AGE = 15 * 60
PHOTO_LIMIT = 10 * 1024 * 1024


class Limits(WorldState):
    """Checks every send goes through before the message is stored."""

    def _check_blocked(self, chat: ChatState) -> None:
        if chat.type == "private" and chat.id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")

    def _chat_for_send(self, p: dict) -> ChatState:
        chat = self._resolve_chat(p.get("chat_id"))
        self._check_blocked(chat)
        return chat

    def _flood(self, token: str, chat: ChatState, count: int = 1) -> None:
        limiter = self._limiter(token)
        now = self.now()
        pending = limiter.pending_retry(chat.id, now)
        if pending > 0:
            self.stats.sent_during_retry_after += 1
            wait = max(1, math.ceil(pending))
            raise ApiError(429, f"Too Many Requests: retry after {wait}", wait)
        wait = limiter.check(chat.id, chat.type == "private", count, now)
        if wait is not None:
            raise ApiError(429, f"Too Many Requests: retry after {wait}", wait)
