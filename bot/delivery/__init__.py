"""Delivery engine used by admin broadcasts and campaigns: a persistent queue sent at Telegram's limits.

engine = DeliveryEngine(db, users, settings, clock)  # built once in bot/app.py
delivery_id = await engine.enqueue(kind="broadcast", dedupe_key="broadcast:42",
                                   versions={"ru": OutgoingMessage(text="<b>…</b>")},
                                   audience=Audience(subscribers=True))
progress = await engine.progress(delivery_id)
"""

from bot.delivery.engine import DeliveryEngine
from bot.delivery.models import Audience, DeliveryProgress, OutgoingMessage, OutgoingPoll

__all__ = ["Audience", "DeliveryEngine", "DeliveryProgress", "OutgoingMessage", "OutgoingPoll"]
