"""The update queue of one bot token: what getUpdates hands out, with long-poll wake-ups."""

from __future__ import annotations

import asyncio
import time

DEFAULT_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)


class UpdateQueue:
    """Pending updates of one bot token, with long-poll wake-ups."""

    def __init__(self) -> None:
        self.updates: list[dict] = []
        self.next_id = 1
        self.delivered_max = 0
        self.allowed: frozenset[str] = DEFAULT_UPDATES
        self.poll_gen = 0
        self.event = asyncio.Event()
        self.pushed_at: dict[int, float] = {}  # update_id → time.perf_counter() when queued

    def notify(self) -> None:
        old, self.event = self.event, asyncio.Event()
        old.set()

    def push(self, update: dict) -> int:
        update_id = update.setdefault("update_id", self.next_id)
        self.next_id = max(self.next_id, update_id) + 1
        self.updates.append(update)
        self.pushed_at[update_id] = time.perf_counter()
        self.notify()
        return update_id

    def confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            self.updates = self.updates[offset:]
        else:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]

    def available(self, limit: int) -> list[dict]:
        # Updates of types the bot did not ask for are dropped, as Telegram does.
        self.updates = [u for u in self.updates if _update_type(u) in self.allowed]
        return self.updates[:limit]

    @property
    def undelivered(self) -> int:
        return sum(1 for u in self.updates if u["update_id"] > self.delivered_max)


def _update_type(update: dict) -> str:
    return next((k for k in update if k != "update_id"), "")
