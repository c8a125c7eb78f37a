"""An in-process HTTP fake of the Telegram Bot API: the project's test and demo backbone."""

from devtools.fake_telegram.models import BotEvent, ChatView, ShownMessage, Stats
from devtools.fake_telegram.rules import ApiError, RateLimits
from devtools.fake_telegram.server import FakeTelegram

__all__ = [
    "ApiError",
    "BotEvent",
    "ChatView",
    "FakeTelegram",
    "RateLimits",
    "ShownMessage",
    "Stats",
]
