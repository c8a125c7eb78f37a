"""Trustee keys as typed, checksummed text, as `age` does: bech32 (BIP-173) with a prefix per kind.

    public  ntpub1…            64 characters, lower case: the only form REPORT_PUBLIC_KEYS takes
    secret  NTSECRET-KEY-1…    72 characters, upper case: only in the key file on the offline computer

The human-readable prefix says which half a string is, and the six-character checksum catches a
mistyped or truncated key, so a secret key pasted into the server's configuration, a half-copied
line or a key of another program is refused instead of silently sealing reports to nobody. The old
form (bare base64 of 32 bytes) is refused everywhere: it cannot be told apart from a private key.
"""

from __future__ import annotations

import base64
import binascii

import bech32

PUBLIC_HRP = "ntpub"
SECRET_HRP = "ntsecret-key-"
KEY_BYTES = 32
_DATA_CHARS = (KEY_BYTES * 8 + 4) // 5 + 6  # 52 five-bit groups and the 6-character checksum
PUBLIC_LENGTH = len(PUBLIC_HRP) + 1 + _DATA_CHARS  # 64
SECRET_LENGTH = len(SECRET_HRP) + 1 + _DATA_CHARS  # 72


class KeyFormatError(ValueError):
    """A key string is not what it should be; the message says why, in words, without the key."""


def encode_public(raw: bytes) -> str:
    return _encode(PUBLIC_HRP, raw)


def encode_secret(raw: bytes) -> str:
    return _encode(SECRET_HRP, raw).upper()


def _encode(hrp: str, raw: bytes) -> str:
    if len(raw) != KEY_BYTES:
        raise ValueError(f"a key is {KEY_BYTES} bytes, not {len(raw)}")
    data = bech32.convertbits(list(raw), 8, 5, True)
    assert data is not None
    return bech32.bech32_encode(hrp, data)


def looks_secret(text: str) -> bool:
    """True if the text holds (part of) a secret key of ours, in any case."""
    return "ntsecret" in text.lower()


def looks_old_base64(text: str) -> bool:
    """The pre-bech32 form: base64 of 32 bytes, which may as well be a private key."""
    try:
        return len(base64.b64decode(text.strip(), validate=True)) == KEY_BYTES
    except (binascii.Error, ValueError):
        return False


def decode_public(text: str) -> bytes:
    """The 32 bytes of an `ntpub1…` key; KeyFormatError naming what is wrong otherwise."""
    if looks_secret(text):
        raise KeyFormatError(
            "is a SECRET key (NTSECRET-KEY-1…), which must never be on the server: remove it"
            " from this machine and put the trustee's public line (<key id>:ntpub1…) here"
        )
    return _decode(text, PUBLIC_HRP, PUBLIC_LENGTH)


def decode_secret(text: str) -> bytes:
    """The 32 bytes of an `NTSECRET-KEY-1…` key; KeyFormatError naming what is wrong otherwise."""
    if text.strip().lower().startswith(PUBLIC_HRP + "1"):
        raise KeyFormatError("is a PUBLIC key (ntpub1…); opening reports needs the SECRET key")
    return _decode(text, SECRET_HRP, SECRET_LENGTH)


def _decode(text: str, hrp: str, length: int) -> bytes:
    text = text.strip()
    shown = f"{hrp}1…" if hrp == PUBLIC_HRP else f"{hrp.upper()}1…"
    if not text.lower().startswith(hrp + "1"):
        if looks_old_base64(text):
            raise KeyFormatError(
                "is in the old base64 form, which is no longer accepted (32 bytes of base64"
                " could as well be a private key); make a new key with `python -m bot keys"
                " generate`"
            )
        raise KeyFormatError(f"has the wrong prefix (expected {shown})")
    if text.lower() != text and text.upper() != text:
        raise KeyFormatError("mixes upper and lower case")
    body = text.lower()[len(hrp) + 1 :]
    if any(char not in bech32.CHARSET for char in body):
        raise KeyFormatError(f"has a character that is not in the bech32 alphabet ({shown})")
    if len(text) != length:
        raise KeyFormatError(f"has the wrong length ({len(text)} characters, not {length})")
    decoded_hrp, data = bech32.bech32_decode(text)
    if decoded_hrp != hrp or data is None:
        raise KeyFormatError("has a bad checksum (a character is mistyped, missing or swapped)")
    raw = bech32.convertbits(data, 5, 8, False)
    if raw is None or len(raw) != KEY_BYTES:
        raise KeyFormatError(f"is not a {KEY_BYTES}-byte key")
    return bytes(raw)


def check_usable_public(raw: bytes) -> None:
    """Refuse a point that sealing cannot use (e.g. all zeros: a low-order X25519 point)."""
    from nacl.public import PublicKey, SealedBox

    try:
        SealedBox(PublicKey(raw)).encrypt(b"check")
    except Exception as exc:  # nacl raises CryptoError or ValueError
        raise KeyFormatError("is not a usable X25519 public key") from exc
