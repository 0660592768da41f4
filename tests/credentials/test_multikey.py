"""Multikey strings and did:key identifiers: a key round-trips through both, and every
string that is not an Ed25519 public key -- another key type, a short key, text that is
not base58btc -- is refused with a reason rather than read as some other key."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cairn.credentials import multikey
from cairn.credentials.multikey import InvalidKey

SECP256K1_DID_KEY = "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"
"""The did:key method's own secp256k1 example (multicodec 0xe701)."""
X25519_MULTIKEY = "z6LSeu9HkTHSfLLeUs2nnzUSNedgDUevfNQgQjQC23ZCit6F"
"""An X25519 key-agreement key (multicodec 0xec01): not one that signs."""


def public_key() -> bytes:
    return Ed25519PrivateKey.generate().public_key().public_bytes_raw()


def test_a_public_key_round_trips_through_its_multikey_and_its_did_key() -> None:
    public = public_key()

    assert multikey.public_multikey(public).startswith("z6Mk")
    assert multikey.public_key_of(multikey.public_multikey(public)) == public
    assert multikey.public_key_of_did_key(multikey.did_key(public)) == public


@pytest.mark.parametrize("length", [0, 31, 33, 64])
def test_a_key_that_is_not_32_bytes_is_never_published_as_an_ed25519_key(length: int) -> None:
    with pytest.raises(InvalidKey, match="32 bytes"):
        multikey.did_key(bytes(length))
    with pytest.raises(InvalidKey, match="32 bytes"):
        multikey.did_key_method(bytes(length))


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("z0OIl", "not base58btc"),
        ("mAe0BAAAA", "not a base58btc multibase value: 'mAe0BAAAA'"),
        ("", "not a base58btc multibase value"),
    ],
)
def test_a_value_that_is_not_base58btc_multibase_is_refused_with_why(
    value: str, reason: str
) -> None:
    with pytest.raises(InvalidKey, match=reason):
        multikey.decode_multibase(value)
    with pytest.raises(InvalidKey, match=reason):
        multikey.public_key_of(value)


@pytest.mark.parametrize(
    "value",
    [
        X25519_MULTIKEY,
        SECP256K1_DID_KEY.removeprefix("did:key:"),
        multikey.encode_multibase(multikey.ED25519_PUBLIC_HEADER + bytes(31)),
        multikey.encode_multibase(bytes(32)),
    ],
    ids=["x25519", "secp256k1", "short-ed25519", "no-header"],
)
def test_a_multikey_of_another_key_type_or_size_is_not_taken_for_ed25519(value: str) -> None:
    with pytest.raises(InvalidKey, match="not an Ed25519 public Multikey"):
        multikey.public_key_of(value)


def test_a_did_key_with_another_multicodec_prefix_is_an_unknown_key_type() -> None:
    with pytest.raises(InvalidKey, match="not an Ed25519 public Multikey"):
        multikey.public_key_of_did_key(SECP256K1_DID_KEY)
    with pytest.raises(InvalidKey, match="not an Ed25519 public Multikey"):
        multikey.public_key_of_did_key(f"did:key:{X25519_MULTIKEY}#{X25519_MULTIKEY}")
