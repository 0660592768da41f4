"""Where issuers' secret keys live, behind one interface.

Cairn signs through a ``Signer``; a ``KeyStore`` makes keys and hands out signers for
them. The default, ``LocalKeyStore``, keeps each 32-byte Ed25519 seed in the database
encrypted with AES-256-GCM under the installation's key-encryption key, with the key's
id as associated data, so a sealed secret copied onto another key's row does not open. A
hardware or cloud key store implements the same two methods and never reveals the seed."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cairn.config import get_settings

NONCE_BYTES = 12


class Signer(Protocol):
    def sign(self, data: bytes) -> bytes: ...


class KeyStoreError(RuntimeError):
    """A sealed key that does not open: the wrong key-encryption key, or tampering."""


@dataclass(frozen=True)
class NewKey:
    public_key: bytes
    sealed_secret: bytes


class KeyStore(Protocol):
    name: str

    def generate(self, key_id: uuid.UUID) -> NewKey: ...

    def signer(self, key_id: uuid.UUID, sealed_secret: bytes) -> Signer: ...


class LocalKeyStore:
    name = "local"

    def __init__(self, key_encryption_key: bytes) -> None:
        if len(key_encryption_key) != 32:
            raise ValueError("the key-encryption key is 32 bytes")
        self._aead = AESGCM(key_encryption_key)

    def generate(self, key_id: uuid.UUID) -> NewKey:
        key = Ed25519PrivateKey.generate()
        nonce = os.urandom(NONCE_BYTES)
        sealed = nonce + self._aead.encrypt(nonce, key.private_bytes_raw(), key_id.bytes)
        return NewKey(key.public_key().public_bytes_raw(), sealed)

    def signer(self, key_id: uuid.UUID, sealed_secret: bytes) -> Ed25519PrivateKey:
        nonce, ciphertext = sealed_secret[:NONCE_BYTES], sealed_secret[NONCE_BYTES:]
        try:
            seed = self._aead.decrypt(nonce, ciphertext, key_id.bytes)
        except InvalidTag:
            raise KeyStoreError(
                f"the signing key {key_id} does not open with this installation's "
                "key-encryption key (CAIRN_KEY_ENCRYPTION_KEY)"
            ) from None
        return Ed25519PrivateKey.from_private_bytes(seed)


@lru_cache(maxsize=4)
def _local_store(key_encryption_key: bytes) -> LocalKeyStore:
    return LocalKeyStore(key_encryption_key)


def configured_store() -> KeyStore:
    """The installation's key store: the local encrypted one under its configured key."""
    return _local_store(get_settings().resolved_key_encryption_key())
