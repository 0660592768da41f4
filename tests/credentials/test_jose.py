"""Credentials as EdDSA JWTs: the VC 2.0 form issued, the OB 3.0 (VC 1.1) form read."""

from __future__ import annotations

import base64
import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cairn.credentials import jose, multikey
from cairn.credentials.jose import MalformedJwt

CREDENTIAL = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    "id": "urn:uuid:5d2c4f4e-6a54-4a1e-9d8e-0c6f0a3e2b11",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "did:web:lakeshore.example", "type": ["Profile"], "name": "Lakeshore"},
    "validFrom": "2026-12-04T10:00:00Z",
    "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"id": "urn:x"}},
}


def key_pair() -> tuple[Ed25519PrivateKey, bytes]:
    key = Ed25519PrivateKey.generate()
    return key, key.public_key().public_bytes_raw()


def test_a_credential_round_trips_as_a_vc_jwt() -> None:
    key, public = key_pair()

    token = jose.sign(CREDENTIAL, key, multikey.did_key_method(public))
    decoded = jose.read(token)

    assert decoded.header["typ"] == "vc+jwt"
    assert decoded.header["kid"] == multikey.did_key_method(public)
    assert decoded.credential == CREDENTIAL
    assert jose.verify(token, public)
    assert not jose.verify(token, key_pair()[1])


def test_a_changed_payload_fails_the_signature() -> None:
    key, public = key_pair()
    header, _, signature = jose.sign(CREDENTIAL, key, "did:key:x#x").split(".")
    forged = {**CREDENTIAL, "validFrom": "2020-01-01T00:00:00Z"}
    payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()

    assert not jose.verify(f"{header}.{payload}.{signature}", public)


def test_the_open_badges_vc_claim_form_is_read() -> None:
    key, public = key_pair()
    token = jwt.encode(
        {"iss": "did:web:lakeshore.example", "jti": CREDENTIAL["id"], "vc": CREDENTIAL},
        key,
        algorithm="EdDSA",
    )

    assert jose.read(token).credential == CREDENTIAL
    assert jose.verify(token, public)


def test_only_eddsa_is_accepted() -> None:
    token = jwt.encode(CREDENTIAL, "a shared secret of thirty-two bytes!", algorithm="HS256")

    with pytest.raises(MalformedJwt, match="EdDSA"):
        jose.read(token)


@pytest.mark.parametrize("text", ["not a token", "a.b", "e30.e30.sig"])
def test_text_that_is_not_a_credential_jwt_is_reported(text: str) -> None:
    with pytest.raises(MalformedJwt):
        jose.read(text)


def test_json_with_two_dots_is_not_taken_for_a_jwt() -> None:
    assert not jose.looks_like_jwt('{"name": "a.b", "x": "c"}')
    assert not jose.looks_like_jwt("see cairn.example.org")


@pytest.mark.parametrize(
    ("algorithm", "secret"), [("HS256", "a shared secret of thirty-two bytes!"), ("none", "")]
)
def test_a_jwt_whose_header_names_another_algorithm_is_refused_naming_it(
    algorithm: str, secret: str
) -> None:
    token = jwt.encode(CREDENTIAL, secret, algorithm=algorithm)

    with pytest.raises(MalformedJwt, match=f"the JWT algorithm is '{algorithm}'"):
        jose.read(token)


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "did:web:lakeshore.example", "sub": "did:example:learner"},
        {"vc": "a credential in a string"},
        {"vc": {"type": ["VerifiableCredential"], "issuer": "did:web:lakeshore.example"}},
    ],
    ids=["no-credential", "not-an-object", "no-context"],
)
def test_a_signed_jwt_that_carries_no_credential_is_refused(claims: dict[str, object]) -> None:
    key, _ = key_pair()
    token = jwt.encode(claims, key, algorithm="EdDSA")

    with pytest.raises(MalformedJwt, match="does not carry a credential or presentation"):
        jose.read(token)


@pytest.mark.parametrize(
    ("claim", "reason"), [("sub", "Subject must be a string"), ("jti", "JWT ID must be a string")]
)
def test_a_jwt_breaking_the_jwt_claim_rules_is_unreadable_not_a_bad_signature(
    claim: str, reason: str
) -> None:
    """Such a token still reads (to learn its signer), but its signature cannot be judged."""
    key, public = key_pair()
    token = jwt.encode({"vc": CREDENTIAL, claim: 42}, key, algorithm="EdDSA")

    assert jose.read(token).credential == CREDENTIAL
    with pytest.raises(MalformedJwt, match=reason):
        jose.verify(token, public)
