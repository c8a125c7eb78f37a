"""Deep links into the bot (t.me/<username>?start=<payload>); the username is learnt at start-up."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class DeepLinks:
    username: str = "notorturetj_bot"

    def start(self, payload: str) -> str:
        return f"https://t.me/{self.username}?start={payload}"
