"""Sealing: a random key per submission (SecretBox) sealed to every trustee key (SealedBox).

The server only ever holds public keys. Plaintexts are padded to size buckets before encryption,
so the length of a ciphertext says little about what was written.
"""

from __future__ import annotations

import base64
import json
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import nacl.secret
import nacl.utils
from nacl.public import PrivateKey, PublicKey, SealedBox

from bot.config import TrusteeKey

KEY_SIZE = nacl.secret.SecretBox.KEY_SIZE
REPORTER = "~reporter"  # recipient name of the reporter's key; "~" is not allowed in trustee ids
MIN_BUCKET = 256
SMALL_LIMIT = 64 * 1024  # texts: powers of two up to here; files: Padmé above


class SealError(Exception):
    """A ciphertext could not be opened (wrong key, or damaged data)."""


def new_key() -> bytes:
    return nacl.utils.random(KEY_SIZE)


def bucket_size(length: int) -> int:
    """Padded size: powers of two from 256 bytes to 64 KiB (a text's length says little),
    then Padmé (Nikitin et al., PURBs 2019): at most 12 % overhead, O(log log n) bits leaked."""
    if length <= SMALL_LIMIT:
        size = MIN_BUCKET
        while size < length:
            size *= 2
        return size
    exponent = length.bit_length() - 1
    low_bits = exponent - exponent.bit_length()
    mask = (1 << low_bits) - 1
    return (length + mask) & ~mask


def pad(data: bytes) -> bytes:
    framed = struct.pack(">I", len(data)) + data
    return framed + bytes(bucket_size(len(framed)) - len(framed))


def unpad(padded: bytes) -> bytes:
    (length,) = struct.unpack(">I", padded[:4])
    if length > len(padded) - 4:
        raise SealError("bad padding")
    return padded[4 : 4 + length]


def encrypt(key: bytes, data: bytes) -> bytes:
    return bytes(nacl.secret.SecretBox(key).encrypt(pad(data)))


def decrypt(key: bytes, blob: bytes) -> bytes:
    try:
        return unpad(nacl.secret.SecretBox(key).decrypt(blob))
    except Exception as exc:  # nacl raises CryptoError; damaged data may raise others
        raise SealError("cannot open sealed data") from exc


def seal_key(
    key: bytes, trustees: Iterable[TrusteeKey], reporter_public: bytes | None = None
) -> str:
    """K sealed to every trustee (and optionally the reporter), as JSON {recipient: base64}."""
    recipients = {t.key_id: t.public_key for t in trustees}
    if not recipients:
        raise ValueError("no trustee public keys configured")
    if reporter_public is not None:
        recipients[REPORTER] = reporter_public
    sealed = {
        name: base64.b64encode(SealedBox(PublicKey(public)).encrypt(key)).decode()
        for name, public in recipients.items()
    }
    return json.dumps(sealed, sort_keys=True)


def open_key(sealed_keys: str, recipient: str, private_key: bytes) -> bytes:
    """Recover K with one private key; SealError if this key is not among the recipients."""
    sealed: Mapping[str, str] = json.loads(sealed_keys)
    if recipient not in sealed:
        raise SealError("not sealed to this key")
    try:
        return SealedBox(PrivateKey(private_key)).decrypt(base64.b64decode(sealed[recipient]))
    except Exception as exc:
        raise SealError("wrong private key") from exc


@dataclass(frozen=True)
class Payload:
    """What one sealed entry holds: a small JSON header and optional file bytes."""

    header: dict
    data: bytes = b""

    def encode(self) -> bytes:
        head = json.dumps(self.header, ensure_ascii=False).encode()
        return struct.pack(">I", len(head)) + head + self.data

    @classmethod
    def decode(cls, raw: bytes) -> Payload:
        (length,) = struct.unpack(">I", raw[:4])
        return cls(json.loads(raw[4 : 4 + length].decode()), raw[4 + length :])


def generate_keypair() -> tuple[bytes, bytes]:
    """A new X25519 key pair (private, public) for a trustee's offline machine."""
    private = PrivateKey.generate()
    return bytes(private), bytes(private.public_key)
