"""Verifiable presentations (W3C VC Data Model 2.0): a holder shows credentials to a
verifier, signing for ``authentication`` over the verifier's ``challenge`` and ``domain``.

The challenge makes each presentation good for one request, the domain for one
verifier: a presentation copied from one exchange and replayed in another, or shown to a
different site, fails there (``Verifier.verify_presentation`` checks both). Credentials
secured as JWTs travel as ``EnvelopedVerifiableCredential`` objects whose ``id`` is a
``data:application/vc+jwt,`` URL (VC-JOSE-COSE), so one Data Integrity proof covers
them all."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cairn.credentials import data_integrity, jose
from cairn.credentials.data_integrity import Cryptosuite, ProofOptions
from cairn.credentials.did import method_id
from cairn.credentials.jsonld import OFFLINE, DocumentLoader, JsonObject
from cairn.credentials.multikey import DID_KEY_PREFIX, InvalidKey, did_key
from cairn.credentials.verification import ENVELOPED_CREDENTIAL, JWT_DATA_URL, V2
from cairn.kit.clock import utcnow

AUTHENTICATION = "authentication"


def present(
    credentials: Sequence[str | Mapping[str, Any]],
    holder_key: Ed25519PrivateKey,
    holder_did: str,
    challenge: str,
    domain: str,
    suite: Cryptosuite = Cryptosuite.EDDSA_RDFC_2022,
    *,
    created: datetime | None = None,
    loader: DocumentLoader = OFFLINE,
) -> JsonObject:
    """A presentation of ``credentials`` (JSON-LD objects, their JSON text, or compact
    JWTs) signed by ``holder_key`` as ``holder_did`` (usually the learner's did:key).

    Raises ``InvalidKey`` when ``holder_did`` is a did:key of another key, and
    ``ValueError`` for a credential that is neither a JSON object nor a JWT."""
    public_key = holder_key.public_key().public_bytes_raw()
    if holder_did.startswith(DID_KEY_PREFIX) and holder_did != did_key(public_key):
        raise InvalidKey("the holder's did:key is not the did:key of the signing key")
    presentation: JsonObject = {
        "@context": [V2],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiablePresentation"],
        "holder": holder_did,
        "verifiableCredential": [_enclosed(credential) for credential in credentials],
    }
    options = ProofOptions(
        verification_method=method_id(holder_did, public_key),
        created=(created or utcnow()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        proof_purpose=AUTHENTICATION,
        challenge=challenge,
        domain=domain,
    )
    return data_integrity.sign(presentation, holder_key, options, suite, loader)


def _enclosed(credential: str | Mapping[str, Any]) -> JsonObject:
    if not isinstance(credential, str):
        return dict(credential)
    text = credential.strip()
    if not text.startswith("{") and jose.looks_like_jwt(text):
        return {"@context": V2, "id": JWT_DATA_URL + text, "type": ENVELOPED_CREDENTIAL}
    parsed = json.loads(text)
    if not isinstance(parsed, dict):
        raise ValueError("a credential is a JSON object or a compact JWT")
    return parsed
