"""Receipt codes: 16 random digits, two Argon2id derivations (lookup id, reporter key pair).

The lookup id is stored to find the report again; the second derivation seeds an X25519 key pair
of which only the public key is stored, so replies sealed to it open only with the receipt.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from dataclasses import dataclass

import nacl.pwhash.argon2id as argon2id
from nacl.public import PrivateKey

RECEIPT_DIGITS = 16
SALT_BYTES = 16  # as Argon2id requires


@dataclass(frozen=True)
class ReceiptSalts:
    """Two salts keep the two derivations independent. Each deployment draws its own on first
    start and keeps them with the reports (bot/reports/storage.py), so a table of receipts
    precomputed for one deployment is worth nothing against another."""

    lookup: bytes
    keypair: bytes

    @classmethod
    def random(cls) -> ReceiptSalts:
        return cls(secrets.token_bytes(SALT_BYTES), secrets.token_bytes(SALT_BYTES))


# The constants of versions before per-deployment salts: kept only so that reports moved from
# such a database open with the receipts their authors hold.
LEGACY_SALTS = ReceiptSalts(b"notorture:lookup", b"notorture:keypai")
# Tests and benchmarks that derive outside a deployment.
TEST_SALTS = ReceiptSalts(b"test-salt:lookup", b"test-salt:keypai")


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. PRODUCTION ≈ 0.4 s on a 2-core server; CHEAP is for tests only."""

    opslimit: int
    memlimit: int


PRODUCTION_KDF = KdfParams(opslimit=argon2id.OPSLIMIT_MODERATE, memlimit=argon2id.MEMLIMIT_MODERATE)
CHEAP_KDF = KdfParams(opslimit=argon2id.OPSLIMIT_MIN, memlimit=argon2id.MEMLIMIT_MIN)


@dataclass(frozen=True)
class ReceiptKeys:
    lookup: bytes
    reporter_private: bytes
    reporter_public: bytes


def new_receipt() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(RECEIPT_DIGITS))


def format_receipt(digits: str) -> str:
    return " ".join(digits[i : i + 4] for i in range(0, RECEIPT_DIGITS, 4))


def normalise(text: str) -> str | None:
    """The 16 digits of what a person typed (spaces, dashes allowed), or None."""
    digits = re.sub(r"[\s\-–.]", "", text or "")
    return digits if re.fullmatch(rf"\d{{{RECEIPT_DIGITS}}}", digits) else None


def _kdf(digits: str, salt: bytes, params: KdfParams) -> bytes:
    return argon2id.kdf(
        32, digits.encode(), salt, opslimit=params.opslimit, memlimit=params.memlimit
    )


def derive_lookup(digits: str, params: KdfParams, salts: ReceiptSalts) -> bytes:
    return _kdf(digits, salts.lookup, params)


def derive_keypair(digits: str, params: KdfParams, salts: ReceiptSalts) -> tuple[bytes, bytes]:
    private = PrivateKey.from_seed(_kdf(digits, salts.keypair, params))
    return bytes(private), bytes(private.public_key)


async def derive(digits: str, params: KdfParams, salts: ReceiptSalts) -> ReceiptKeys:
    """Both derivations in worker threads (libsodium releases the GIL), off the event loop.

    Callers bound concurrency (each production call needs 256 MiB): see ReportService.
    """
    lookup, (private, public) = await asyncio.gather(
        asyncio.to_thread(derive_lookup, digits, params, salts),
        asyncio.to_thread(derive_keypair, digits, params, salts),
    )
    return ReceiptKeys(lookup, private, public)
