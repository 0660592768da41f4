"""Ed25519 keys as Multikey strings and as ``did:key`` identifiers.

A Multikey is the key's multicodec header (0xed01 for an Ed25519 public key) followed by
the raw key, base58btc-encoded with the multibase prefix ``z``. ``did:key`` is that public
Multikey after ``did:key:``; its one verification method is the DID, ``#``, and the key
again (W3C Controlled Identifiers 1.0; did:key 0.7)."""

from __future__ import annotations

import base58

ED25519_PUBLIC_HEADER = b"\xed\x01"
DID_KEY_PREFIX = "did:key:"


class InvalidKey(ValueError):
    """A string that is not the Multikey or did:key it claims to be."""


def encode_multibase(data: bytes) -> str:
    return "z" + base58.b58encode(data).decode("ascii")


def decode_multibase(value: str) -> bytes:
    """Only base58btc (``z``) is used by the Ed25519 cryptosuites."""
    if not value.startswith("z"):
        raise InvalidKey(f"not a base58btc multibase value: {value[:12]!r}")
    try:
        return base58.b58decode(value[1:])
    except ValueError as error:
        raise InvalidKey(f"not base58btc: {error}") from error


def public_multikey(raw: bytes) -> str:
    if len(raw) != 32:
        raise InvalidKey("an Ed25519 public key is 32 bytes")
    return encode_multibase(ED25519_PUBLIC_HEADER + raw)


def public_key_of(multikey: str) -> bytes:
    """The raw Ed25519 public key a Multikey holds."""
    data = decode_multibase(multikey)
    if not data.startswith(ED25519_PUBLIC_HEADER) or len(data) != 34:
        raise InvalidKey("not an Ed25519 public Multikey (header 0xed01, 32 bytes)")
    return data[2:]


def did_key(raw: bytes) -> str:
    return DID_KEY_PREFIX + public_multikey(raw)


def did_key_method(raw: bytes) -> str:
    """The verification method id of a ``did:key``: the DID, ``#``, and its key."""
    multikey = public_multikey(raw)
    return f"{DID_KEY_PREFIX}{multikey}#{multikey}"


def public_key_of_did_key(did_or_method: str) -> bytes:
    """Resolve a ``did:key`` (or one of its verification method ids) to its public key; a
    fragment that names another key is refused."""
    if not did_or_method.startswith(DID_KEY_PREFIX):
        raise InvalidKey(f"not a did:key: {did_or_method[:24]!r}")
    did, _, fragment = did_or_method.partition("#")
    multikey = did[len(DID_KEY_PREFIX) :]
    if fragment and fragment != multikey:
        raise InvalidKey("the fragment names a key this did:key does not have")
    return public_key_of(multikey)
