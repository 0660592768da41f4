"""Finding the public key behind a proof, and the status lists a credential points at.

Verification never reaches the network itself: it asks a ``KeyResolver`` and a
``DocumentFetcher``. A resolver that cannot reach a did:web host raises
``CouldNotResolve`` — reported as "could not check", never as a pass or a fail — while a
key that is not the issuer's, or a DID that does not parse, is a ``InvalidKey`` failure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from cairn.credentials.jsonld import as_list
from cairn.credentials.multikey import InvalidKey, public_key_of, public_key_of_did_key


class CouldNotResolve(RuntimeError):
    """The DID document or status list could not be fetched or read just now."""


@dataclass(frozen=True)
class ResolvedKey:
    public_key: bytes
    controller: str
    """The DID that controls the key: it must be the credential's issuer."""


class KeyResolver(Protocol):
    def resolve(self, verification_method: str) -> ResolvedKey: ...


class DocumentFetcher(Protocol):
    def fetch(self, url: str) -> Mapping[str, Any]: ...


def controller_of(verification_method: str) -> str:
    return verification_method.split("#", 1)[0]


class DidResolver:
    """did:key on the spot; did:web through ``did_documents`` (a fetcher that knows where
    each DID document lives and may cache it)."""

    def __init__(self, did_documents: DocumentFetcher | None = None) -> None:
        self._did_documents = did_documents

    def resolve(self, verification_method: str) -> ResolvedKey:
        did = controller_of(verification_method)
        if did.startswith("did:key:"):
            return ResolvedKey(public_key_of_did_key(verification_method), did)
        if did.startswith("did:web:"):
            if self._did_documents is None:
                raise CouldNotResolve(f"did:web resolution is not available here ({did})")
            return _method_in(self._did_documents.fetch(did), did, verification_method)
        raise InvalidKey(f"the DID method of {did!r} is not supported")


def _method_in(document: Mapping[str, Any], did: str, method_id: str) -> ResolvedKey:
    """The Multikey ``method_id`` names in a DID document, if the DID may assert with it."""
    if document.get("id") != did:
        raise InvalidKey(f"the DID document served for {did} is about {document.get('id')!r}")
    listed = as_list(document.get("assertionMethod"))
    assertion = [
        m if isinstance(m, str) else m.get("id") for m in listed if isinstance(m, dict | str)
    ]
    methods = [m for m in as_list(document.get("verificationMethod")) if isinstance(m, dict)]
    methods += [m for m in listed if isinstance(m, dict)]
    for method in methods:
        if _absolute(str(method.get("id", "")), did) == method_id:
            if method_id not in {_absolute(str(a), did) for a in assertion}:
                raise InvalidKey(f"{method_id} is not an assertion method of {did}")
            multibase = method.get("publicKeyMultibase")
            if not isinstance(multibase, str):
                raise InvalidKey(f"{method_id} has no publicKeyMultibase")
            return ResolvedKey(public_key_of(multibase), did)
    raise InvalidKey(f"{did} has no verification method {method_id}")


def _absolute(method_id: str, did: str) -> str:
    return f"{did}{method_id}" if method_id.startswith("#") else method_id
