"""Data Integrity proofs with Ed25519: the ``eddsa-rdfc-2022`` and ``eddsa-jcs-2022``
cryptosuites (W3C Data Integrity EdDSA Cryptosuites v1.0).

Both sign SHA-256(canonical proof configuration) followed by SHA-256(canonical
document), with the document's ``@context`` in the proof configuration, so changing the
context breaks the proof. They differ in the canonical form -- RDF Dataset
Canonicalization of the JSON-LD, or the JSON Canonicalization Scheme (RFC 8785) of the
JSON itself -- and in where that ``@context`` lives: ``eddsa-jcs-2022`` carries it inside
the proof, ``eddsa-rdfc-2022`` adds it only while hashing."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from cairn.credentials.jsonld import (
    OFFLINE,
    DocumentLoader,
    JsonObject,
    as_list,
    canonical_nquads,
)
from cairn.credentials.multikey import InvalidKey, decode_multibase, encode_multibase

PROOF_TYPE = "DataIntegrityProof"


class Cryptosuite(StrEnum):
    EDDSA_RDFC_2022 = "eddsa-rdfc-2022"
    EDDSA_JCS_2022 = "eddsa-jcs-2022"


class MalformedProof(ValueError):
    """The proof is missing a member, names an unknown suite, or its value is not a
    64-byte base58btc signature: reported as such, not as a wrong signature."""


class NotCanonicalizable(ValueError):
    """The document holds what its canonical form cannot: a lone UTF-16 surrogate in a
    string (valid JSON, not Unicode text), or for JCS a number RFC 8785 cannot write. No
    proof over it can be made or checked, which callers report rather than crash on."""


@dataclass(frozen=True)
class ProofOptions:
    verification_method: str
    created: str
    """An XML Schema dateTime in UTC, e.g. ``2026-12-04T10:00:00Z``."""
    proof_purpose: str = "assertionMethod"
    challenge: str | None = None
    domain: str | None = None
    expires: str | None = None

    def as_json(self, cryptosuite: Cryptosuite) -> JsonObject:
        options: JsonObject = {
            "type": PROOF_TYPE,
            "created": self.created,
            "verificationMethod": self.verification_method,
            "cryptosuite": cryptosuite.value,
            "proofPurpose": self.proof_purpose,
        }
        for key, value in (
            ("challenge", self.challenge),
            ("domain", self.domain),
            ("expires", self.expires),
        ):
            if value is not None:
                options[key] = value
        return options


_SAFE_INTEGER = 2**53
_SORTS_BY_UTF16 = re.compile(rb"[\xee-\xff]")
"""UTF-8 lead bytes of U+E000 and above: past U+D800, UTF-16 order (RFC 8785's key
order) is not code point order (Python's). Lone surrogates do not encode at all."""


def _json_is_jcs(value: Any) -> bool:
    """Whether ``json.dumps`` writes ``value``'s numbers as RFC 8785 does: integers in
    the safe range, and fractions between 1e-4 and 1e16, which Python and ECMAScript
    both write as the shortest round-tripping decimal without an exponent."""
    pending = [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is dict:
            if not all(type(key) is str for key in item):
                return False
            pending.extend(item.values())
        elif kind is list:
            pending.extend(item)
        elif kind is int:
            if not -_SAFE_INTEGER < item < _SAFE_INTEGER:
                return False
        elif kind is float:
            if item.is_integer() or not 1e-4 <= abs(item) < 1e16:
                return False
        else:
            return False
    return True


def jcs(value: Mapping[str, Any]) -> bytes:
    """The JSON Canonicalization Scheme (RFC 8785) of ``value``.

    ``rfc8785`` is pure Python and took most of an eddsa-jcs-2022 verification; the
    standard library's C encoder writes the same bytes for the JSON credentials are
    made of, so it does unless ``_json_is_jcs`` or the key order says otherwise."""
    if _json_is_jcs(value):
        try:
            text = json.dumps(
                value, ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
            ).encode("utf-8")
        except UnicodeEncodeError:
            pass  # a lone surrogate: rfc8785 says so in its own words
        else:
            if _SORTS_BY_UTF16.search(text) is None:
                return text
    return rfc8785.dumps(dict(value))


def _canonical(value: Mapping[str, Any], suite: Cryptosuite, loader: DocumentLoader) -> bytes:
    try:
        if suite is Cryptosuite.EDDSA_RDFC_2022:
            return canonical_nquads(value, loader).encode("utf-8")
        return jcs(value)
    except UnicodeEncodeError as error:
        raise NotCanonicalizable("a string holds a lone surrogate, not Unicode text") from error
    except rfc8785.CanonicalizationError as error:
        raise NotCanonicalizable(str(error)) from error


def hash_data(
    document: Mapping[str, Any],
    proof_options: Mapping[str, Any],
    suite: Cryptosuite,
    loader: DocumentLoader = OFFLINE,
) -> bytes:
    """What is signed: the proof configuration's hash, then the document's."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    config = {key: value for key, value in proof_options.items() if key != "proofValue"}
    if suite is Cryptosuite.EDDSA_RDFC_2022 and "@context" in unsecured:
        config["@context"] = unsecured["@context"]
    proof_hash = hashlib.sha256(_canonical(config, suite, loader)).digest()
    document_hash = hashlib.sha256(_canonical(unsecured, suite, loader)).digest()
    return proof_hash + document_hash


def sign(
    document: Mapping[str, Any],
    key: Ed25519PrivateKey,
    options: ProofOptions,
    suite: Cryptosuite = Cryptosuite.EDDSA_RDFC_2022,
    loader: DocumentLoader = OFFLINE,
) -> JsonObject:
    """A copy of ``document`` with one proof added (an existing proof is replaced).

    Raises ``NotCanonicalizable`` for a document no proof can cover."""
    proof = options.as_json(suite)
    if suite is Cryptosuite.EDDSA_JCS_2022 and "@context" in document:
        proof["@context"] = document["@context"]  # JCS signs the proof as it travels
    signature = key.sign(hash_data(document, proof, suite, loader))
    proof["proofValue"] = encode_multibase(signature)
    signed = {key_: value for key_, value in document.items() if key_ != "proof"}
    signed["proof"] = proof
    return signed


def suite_of(proof: Mapping[str, Any]) -> Cryptosuite:
    """The proof's cryptosuite, after checking it is a Data Integrity proof at all."""
    if proof.get("type") != PROOF_TYPE:
        raise MalformedProof(f"the proof type is {proof.get('type')!r}, not {PROOF_TYPE}")
    name = proof.get("cryptosuite")
    if isinstance(name, str) and name in {suite.value for suite in Cryptosuite}:
        return Cryptosuite(name)
    raise MalformedProof(f"the cryptosuite {name!r} is not supported")


def signature_of(proof: Mapping[str, Any]) -> bytes:
    value = proof.get("proofValue")
    if not isinstance(value, str):
        raise MalformedProof("the proof has no proofValue")
    try:
        signature = decode_multibase(value)
    except InvalidKey as error:
        raise MalformedProof(f"the proofValue is not base58btc multibase: {error}") from error
    if len(signature) != 64:
        raise MalformedProof("the proofValue is not a 64-byte Ed25519 signature")
    return signature


def _check_proof_context(document: Mapping[str, Any], proof_context: Any) -> None:
    """A JCS proof's ``@context`` must be where the document's starts (vc-di-eddsa §3.3.2)."""
    ours = as_list(document.get("@context"))
    theirs = as_list(proof_context)
    if ours[: len(theirs)] != theirs:
        raise MalformedProof("the proof's @context is not the start of the document's")


def verify(
    document: Mapping[str, Any],
    proof: Mapping[str, Any],
    public_key: bytes,
    loader: DocumentLoader = OFFLINE,
) -> bool:
    """Whether ``proof`` is a valid signature by ``public_key`` over ``document``.

    Raises ``MalformedProof`` for a proof that cannot be checked at all (over a document
    that cannot be canonicalized, too), and lets JSON-LD errors (an unknown context, say)
    through for the caller to report as such."""
    suite = suite_of(proof)
    signature = signature_of(proof)
    if suite is Cryptosuite.EDDSA_JCS_2022 and "@context" in proof:
        _check_proof_context(document, proof["@context"])
    try:
        data = hash_data(document, proof, suite, loader)
    except NotCanonicalizable as error:
        raise MalformedProof(f"the document cannot be canonicalized: {error}") from error
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, data)
    except InvalidSignature:
        return False
    return True
