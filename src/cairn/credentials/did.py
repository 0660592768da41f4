"""Issuer identifiers: ``did:web`` documents served by Cairn, and ``did:key``.

An organisation's DID is ``did:web:<host>:orgs:<slug>``, resolved by fetching
``https://<host>/orgs/<slug>/did.json`` (DID Web Method, with a port encoded as ``%3A``).
Its document lists every key the organisation ever signed with, newest first, so
credentials signed before a rotation still verify: every key stays an assertion method
(a verifier checks a proof's key against that list), and Cairn signs only with the active
one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from cairn.credentials.jsonld import JsonObject
from cairn.credentials.multikey import InvalidKey, public_multikey

DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


@dataclass(frozen=True)
class PublishedKey:
    public_key: bytes
    active: bool


def did_web(base_url: str, org_slug: str) -> str:
    parts = urlsplit(base_url)
    host = quote(parts.netloc, safe="")
    path = [segment for segment in parts.path.split("/") if segment]
    return ":".join(["did:web", host, *path, "orgs", org_slug])


def did_web_url(did: str) -> str:
    """Where a ``did:web`` document lives; plain HTTP only for a local host."""
    if not did.startswith("did:web:"):
        raise InvalidKey(f"not a did:web: {did[:24]!r}")
    host, *path = did.removeprefix("did:web:").split("#")[0].split(":")
    host = unquote(host)
    if not host or any(not segment for segment in path):
        raise InvalidKey(f"not a well-formed did:web: {did!r}")
    scheme = "http" if host.split(":")[0] in {"localhost", "127.0.0.1"} else "https"
    suffix = "/".join(path) + "/did.json" if path else ".well-known/did.json"
    return f"{scheme}://{host}/{suffix}"


def method_id(did: str, public_key: bytes) -> str:
    return f"{did}#{public_multikey(public_key)}"


def did_document(did: str, keys: Sequence[PublishedKey]) -> JsonObject:
    methods = [
        {
            "id": method_id(did, key.public_key),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": public_multikey(key.public_key),
        }
        for key in keys
    ]
    every = [method["id"] for method in methods]
    active = [method_id(did, key.public_key) for key in keys if key.active]
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": every,
        "authentication": active,
    }
