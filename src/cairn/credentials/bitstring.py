"""W3C Bitstring Status List v1.0: the list itself, as bits.

Bit ``i`` (most significant bit of byte 0 is index 0) is 1 when credential ``i`` is
revoked (or suspended, in a suspension list). Published lists are GZIP-compressed and
base64url-encoded with the multibase prefix ``u``. The specification sets a minimum of
131,072 entries so one list is a crowd: knowing a credential's index says nothing about
who else is in it, and Cairn allocates indexes at random (decision 0034)."""

from __future__ import annotations

import base64
import gzip
import secrets
from collections.abc import Collection

MINIMUM_ENTRIES = 131_072
"""16 KiB of bits, the specification's minimum for group privacy."""


class BitstringError(ValueError):
    """An encoded list that does not decode, or an index outside it."""


def empty(entries: int = MINIMUM_ENTRIES) -> bytearray:
    if entries < MINIMUM_ENTRIES or entries % 8:
        raise BitstringError(f"a list holds at least {MINIMUM_ENTRIES} entries, a multiple of 8")
    return bytearray(entries // 8)


def get(bits: bytes | bytearray, index: int) -> bool:
    _check(bits, index)
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_bit(bits: bytearray, index: int, value: bool) -> None:
    _check(bits, index)
    mask = 0x80 >> (index % 8)
    if value:
        bits[index // 8] |= mask
    else:
        bits[index // 8] &= ~mask & 0xFF


def _check(bits: bytes | bytearray, index: int) -> None:
    if not 0 <= index < len(bits) * 8:
        raise BitstringError(f"index {index} is outside a list of {len(bits) * 8} entries")


def encode(bits: bytes | bytearray) -> str:
    """``encodedList``: ``u`` + base64url (no padding) of the GZIP-compressed bits.

    ``mtime=0`` keeps the encoding a function of the bits alone, so an unchanged list
    republishes byte for byte."""
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise BitstringError("the encodedList is not multibase base64url (prefix 'u')")
    body = encoded[1:]
    try:
        padded = body + "=" * (-len(body) % 4)
        bits = gzip.decompress(base64.b64decode(padded, altchars=b"-_", validate=True))
    except (ValueError, OSError, EOFError) as error:
        raise BitstringError(f"the encodedList does not decode: {error}") from error
    if not bits:
        raise BitstringError("the encodedList is empty")
    return bits


def random_free_index(size: int, taken: Collection[int]) -> int:
    """A uniformly random index not yet allocated; the list must not be full."""
    if len(taken) >= size:
        raise BitstringError("the status list is full")
    while True:
        index = secrets.randbelow(size)
        if index not in taken:
            return index
