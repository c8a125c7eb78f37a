"""What a report may cost the server, whatever the load: memory and CPU have stated bounds.

- Argon2id: at most `KDF_DERIVATIONS_IN_FLIGHT` derivations run at once across all users
  (one receipt = 2 derivations at 256 MiB each), so the KDF never holds more than
  KDF_DERIVATIONS_IN_FLIGHT × 256 MiB = 512 MiB.
- Wrong receipts: besides the per-account delays (limits.ReceiptLimiter), the whole bot takes
  at most `WRONG_RECEIPTS_PER_MINUTE` wrong receipts a minute; beyond that everyone waits.
- Drafts: at most `MAX_DRAFT_FILES` files and `MAX_DRAFT_BYTES` bytes of files per draft.

Everything here is in memory only and keyed on nobody.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

DERIVATIONS_PER_RECEIPT = 2  # the lookup id and the reporter key pair (receipt.derive)
KDF_DERIVATIONS_IN_FLIGHT = 2  # × 256 MiB (PRODUCTION_KDF) = 512 MiB of KDF memory at most
WRONG_RECEIPTS_PER_MINUTE = 10
MAX_DRAFT_FILES = 10
MAX_DRAFT_BYTES = 60 * 1024 * 1024  # of files, before sealing (sealed: ≤ 12 % more, Padmé)


class WrongReceiptBucket:
    """A token bucket for the whole bot: `per_minute` wrong receipts a minute, `per_minute` at
    once at most. A check takes a token before its derivation (so the work of wrong receipts is
    bounded too) and gives it back when the receipt was right."""

    def __init__(
        self, clock: Callable[[], datetime], per_minute: int = WRONG_RECEIPTS_PER_MINUTE
    ) -> None:
        self._clock = clock
        self.per_minute = per_minute
        self._tokens = float(per_minute)
        self._at = clock()

    def _refill(self) -> None:
        now = self._clock()
        elapsed = max(0.0, (now - self._at).total_seconds())
        self._tokens = min(float(self.per_minute), self._tokens + elapsed * self.per_minute / 60)
        self._at = now

    def take(self) -> bool:
        """True (and one token less) when a receipt may be tried now."""
        self._refill()
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False

    def give_back(self) -> None:
        """The receipt was right: it does not count against the bot."""
        self._refill()
        self._tokens = min(float(self.per_minute), self._tokens + 1)


def draft_refusal(file_count: int, bytes_so_far: int, incoming: int) -> str | None:
    """Why a draft cannot take one more file of `incoming` bytes: "files", "bytes" or None."""
    if file_count >= MAX_DRAFT_FILES:
        return "files"
    if bytes_so_far + incoming > MAX_DRAFT_BYTES:
        return "bytes"
    return None
