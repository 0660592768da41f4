"""Data Integrity EdDSA proofs: the 1EdTech Open Badges 3.0 test vector reproduced byte for
byte from its inputs, and round trips for both cryptosuites."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyld.jsonld import JsonLdError

from cairn.credentials import data_integrity, multikey
from cairn.credentials.data_integrity import (
    Cryptosuite,
    MalformedProof,
    NotCanonicalizable,
    ProofOptions,
)
from cairn.credentials.jsonld import canonical_nquads, unknown_context_of
from cairn.credentials.resolution import DidResolver
from cairn.credentials.verification import CheckName, Outcome, Problem, Verifier
from tests.shared_data import shared_data


def vector(name: str) -> Any:
    path = shared_data("test-vectors", "ob3-eddsa-rdfc-2022", name)
    return path.read_text("utf-8") if name.endswith(".nq") else json.loads(path.read_text("utf-8"))


def vector_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(
        bytes.fromhex(vector("expected.json")["privateKeyHex"])[:32]
    )


def vector_options() -> ProofOptions:
    expected = vector("expected.json")
    return ProofOptions(expected["verificationMethod"], expected["created"])


def test_the_canonical_forms_are_the_vectors_byte_for_byte() -> None:
    credential = vector("credential.json")
    proof_config = vector_options().as_json(Cryptosuite.EDDSA_RDFC_2022)
    proof_config["@context"] = credential["@context"]

    assert canonical_nquads(credential) == vector("document-canon.nq")
    assert canonical_nquads(proof_config) == vector("proof-canon.nq")


def test_the_hashes_signature_and_signed_credential_are_the_vectors() -> None:
    expected = vector("expected.json")
    credential = vector("credential.json")
    options = vector_options().as_json(Cryptosuite.EDDSA_RDFC_2022)

    data = data_integrity.hash_data(credential, options, Cryptosuite.EDDSA_RDFC_2022)
    signed = data_integrity.sign(credential, vector_key(), vector_options())

    assert data[:32].hex() == expected["proofHashHex"]
    assert data[32:].hex() == expected["documentHashHex"]
    assert data.hex() == expected["dataToSignHex"]
    assert (
        multikey.decode_multibase(signed["proof"]["proofValue"]).hex() == expected["signatureHex"]
    )
    assert signed == vector("signed-credential.json")


def test_the_vectors_key_is_its_multikey() -> None:
    expected = vector("expected.json")
    public = bytes.fromhex(expected["publicKeyHex"])

    assert multikey.public_multikey(public) == expected["publicKeyMultibase"]
    assert multikey.public_key_of(expected["publicKeyMultibase"]) == public


def test_the_signed_vector_verifies_and_any_change_breaks_it() -> None:
    signed = vector("signed-credential.json")
    public = bytes.fromhex(vector("expected.json")["publicKeyHex"])
    renamed = copy.deepcopy(signed)
    renamed["credentialSubject"]["achievement"]["name"] = "Leadership"
    backdated = copy.deepcopy(signed)
    backdated["proof"]["created"] = "2009-01-01T19:23:24Z"

    assert data_integrity.verify(signed, signed["proof"], public)
    assert not data_integrity.verify(renamed, renamed["proof"], public)
    assert not data_integrity.verify(backdated, backdated["proof"], public)


@pytest.mark.parametrize("suite", list(Cryptosuite))
def test_each_suite_round_trips_and_refuses_another_key(suite: Cryptosuite) -> None:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes_raw()
    options = ProofOptions(multikey.did_key_method(public), "2026-12-04T10:00:00Z")

    signed = data_integrity.sign(vector("credential.json"), key, options, suite)
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()

    assert signed["proof"]["cryptosuite"] == suite.value
    assert data_integrity.verify(signed, signed["proof"], public)
    assert not data_integrity.verify(signed, signed["proof"], other)


def test_jcs_sees_changes_that_leave_the_rdf_alone() -> None:
    """JCS signs the JSON itself: a member the context does not define still counts."""
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes_raw()
    options = ProofOptions(multikey.did_key_method(public), "2026-12-04T10:00:00Z")
    signed = data_integrity.sign(
        vector("credential.json"), key, options, Cryptosuite.EDDSA_JCS_2022
    )
    changed = {**signed, "validFrom": "2010-01-01T00:00:00.000Z"}

    assert not data_integrity.verify(changed, changed["proof"], public)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "Ed25519Signature2020"}, "not DataIntegrityProof"),
        ({"cryptosuite": "ecdsa-rdfc-2019"}, "not supported"),
        ({"proofValue": "uAAAA"}, "not base58btc"),
        ({"proofValue": "z3yMR"}, "64-byte"),
    ],
)
def test_a_malformed_proof_is_reported_as_malformed(change: dict[str, str], message: str) -> None:
    signed = vector("signed-credential.json")
    proof = {**signed["proof"], **change}

    with pytest.raises(MalformedProof, match=message):
        data_integrity.verify(signed, proof, bytes(32))


def test_a_proof_without_its_signature_is_reported_as_malformed() -> None:
    signed = vector("signed-credential.json")
    unsigned_proof = {key: value for key, value in signed["proof"].items() if key != "proofValue"}

    with pytest.raises(MalformedProof, match="no proofValue"):
        data_integrity.verify(signed, unsigned_proof, bytes(32))


def test_a_jcs_proof_for_other_contexts_than_the_documents_is_reported_as_malformed() -> None:
    """eddsa-jcs-2022 carries the @context it signed; moving the proof onto a document
    that reads in other contexts is not a mere wrong signature."""
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes_raw()
    options = ProofOptions(multikey.did_key_method(public), "2026-12-04T10:00:00Z")
    signed = data_integrity.sign(
        vector("credential.json"), key, options, Cryptosuite.EDDSA_JCS_2022
    )
    moved = {**signed, "@context": ["https://www.w3.org/ns/credentials/v2"]}

    with pytest.raises(MalformedProof, match="@context"):
        data_integrity.verify(moved, moved["proof"], public)


def with_lone_surrogate(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` renamed as JSON text allows and Unicode does not: ``\\ud800`` alone."""
    parsed: dict[str, Any] = json.loads(
        json.dumps({**document, "name": "Safety"}).replace('"Safety"', '"Safety \\ud800"')
    )
    return parsed


@pytest.mark.parametrize("suite", list(Cryptosuite))
def test_a_document_with_a_lone_surrogate_cannot_be_signed(suite: Cryptosuite) -> None:
    key = Ed25519PrivateKey.generate()
    options = ProofOptions(multikey.did_key_method(bytes(32)), "2026-12-04T10:00:00Z")

    with pytest.raises(NotCanonicalizable, match=r"surrogate|UTF-8"):
        data_integrity.sign(with_lone_surrogate(vector("credential.json")), key, options, suite)


@pytest.mark.parametrize("suite", list(Cryptosuite))
def test_a_proof_over_a_lone_surrogate_is_reported_by_the_verifier_not_raised(
    suite: Cryptosuite,
) -> None:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes_raw()
    credential = vector("credential.json")
    credential["issuer"] = {"id": multikey.did_key(public), "type": ["Profile"], "name": "X"}
    options = ProofOptions(multikey.did_key_method(public), "2026-12-04T10:00:00Z")
    signed = data_integrity.sign(credential, key, options, suite)
    verifier = Verifier(DidResolver(), None, clock=lambda: datetime(2026, 12, 5, tzinfo=UTC))

    report = verifier.verify(with_lone_surrogate(signed))

    proof = [check for check in report.checks if check.name is CheckName.PROOF]
    assert report.problems == [Problem.MALFORMED_PROOF], report.as_json()
    assert [check.outcome for check in proof] == [Outcome.FAILED]
    assert "cannot be canonicalized" in str(proof[0].message)


def test_jcs_cannot_sign_an_integer_beyond_the_safe_range_where_rdfc_can() -> None:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes_raw()
    options = ProofOptions(multikey.did_key_method(public), "2026-12-04T10:00:00Z")
    credential = vector("credential.json")
    credential["credentialSubject"]["achievement"]["creditsAvailable"] = 2**60

    signed = data_integrity.sign(credential, key, options, Cryptosuite.EDDSA_RDFC_2022)
    with pytest.raises(NotCanonicalizable, match="safe integer"):
        data_integrity.sign(credential, key, options, Cryptosuite.EDDSA_JCS_2022)
    assert data_integrity.verify(signed, signed["proof"], public)


@pytest.mark.parametrize("value", [{1: "one"}, {"amount": Decimal("1.5")}, {"name": "lone \ud800"}])
def test_jcs_refuses_what_rfc8785_refuses_instead_of_writing_json_of_its_own(
    value: dict[Any, Any],
) -> None:
    """The standard library would write ``{"1":"one"}`` or replace what it cannot
    encode; a canonical form that differs from RFC 8785's would not verify elsewhere."""
    with pytest.raises(rfc8785.CanonicalizationError):
        rfc8785.dumps(value)
    with pytest.raises(rfc8785.CanonicalizationError):
        data_integrity.jcs(value)


def test_jcs_writes_any_python_sequence_as_rfc8785_does() -> None:
    value = {"tags": ("safety", "logistics"), "levels": [1, 2]}

    assert (
        data_integrity.jcs(value)
        == rfc8785.dumps(value)
        == (b'{"levels":[1,2],"tags":["safety","logistics"]}')
    )


def test_a_context_that_is_not_shipped_is_never_fetched() -> None:
    credential = vector("credential.json")
    credential["@context"].append("https://attacker.example/context.json")

    with pytest.raises(JsonLdError) as raised:
        canonical_nquads(credential)

    unknown = unknown_context_of(raised.value)
    assert unknown is not None
    assert unknown.url == "https://attacker.example/context.json"


def test_a_did_key_resolves_to_its_key_and_only_its_own_fragment() -> None:
    public = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    method = multikey.did_key_method(public)
    other = multikey.public_multikey(bytes(32))

    assert method.startswith(multikey.did_key(public) + "#z6Mk")
    assert multikey.public_key_of_did_key(method) == public
    assert multikey.public_key_of_did_key(multikey.did_key(public)) == public
    with pytest.raises(multikey.InvalidKey, match="fragment"):
        multikey.public_key_of_did_key(f"{multikey.did_key(public)}#{other}")
    with pytest.raises(multikey.InvalidKey):
        multikey.public_key_of_did_key("did:web:example.org")
