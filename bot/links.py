"""Links into the bot: deep links (`https://<domain>/<username>?start=<payload>`) and share links.

The domain is the operator's LINK_DOMAIN (t.me, telegram.me or telegram.dog): when a network
blocks t.me, the Telegram app still opens the other two. Every link and QR code the bot makes
comes from here. The username is learnt at start-up (getMe).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

LINK_DOMAINS = ("t.me", "telegram.me", "telegram.dog")
_TELEGRAM_LINK = re.compile(r"\b(?:t\.me|telegram\.me|telegram\.dog)/")


@dataclass
class DeepLinks:
    username: str = "notorturetj_bot"
    domain: str = "t.me"

    def start(self, payload: str) -> str:
        """A link that opens the bot and sends `/start <payload>` (1-64 of A-Z a-z 0-9 _ -)."""
        return f"https://{self.domain}/{self.username}?start={payload}"

    def bot(self) -> str:
        """A link that opens the bot's chat."""
        return f"https://{self.domain}/{self.username}"

    def share(self, url: str, text: str = "") -> str:
        """Telegram's "share to a chat" link for `url` with a short `text` above it."""
        link = f"https://{self.domain}/share/url?url={quote(url, safe='')}"
        return f"{link}&text={quote(text, safe='')}" if text else link

    def chat(self, username: str) -> str:
        """A link that opens a public channel, group or bot by its @username (without the @)."""
        return f"https://{self.domain}/{username}"

    def on_domain(self, html: str) -> str:
        """An editor's text with its Telegram links (t.me/…, written in the page or the answer)
        moved to LINK_DOMAIN, so they open where t.me is blocked."""
        if self.domain == "t.me" and "telegram." not in html:
            return html
        return _TELEGRAM_LINK.sub(f"{self.domain}/", html)
