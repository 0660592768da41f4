"""Credentials secured as JSON Web Tokens with EdDSA (Ed25519).

Cairn issues the VC 2.0 form (W3C "Securing Verifiable Credentials using JOSE and
COSE"): the JWT's claims *are* the credential, with ``typ: vc+jwt``. It also reads the
older form Open Badges 3.0 describes for VC 1.1, where the credential sits in a ``vc``
claim beside ``iss``, ``sub``, ``jti``, ``nbf`` and ``exp``. Dates are judged by the
verifier with the rest of the checks, not by the JWT library (decision 0032)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from jwt.types import Options

from cairn.credentials.jsonld import JsonObject

MEDIA_TYPE = "vc+jwt"
PRESENTATION_MEDIA_TYPE = "vp+jwt"
_NO_CLAIM_CHECKS: Options = {
    "verify_signature": True,
    "verify_exp": False,
    "verify_nbf": False,
    "verify_iat": False,
    "verify_aud": False,
    "verify_iss": False,
}


class MalformedJwt(ValueError):
    """Not a compact JWS, not EdDSA, or without the credential inside."""


@dataclass(frozen=True)
class DecodedJwt:
    token: str
    header: JsonObject
    claims: JsonObject
    credential: JsonObject
    """The credential or presentation, from the claims or their ``vc``/``vp`` member."""


def sign(document: Mapping[str, Any], key: Ed25519PrivateKey, kid: str) -> str:
    """A compact JWS whose payload is the credential (or presentation) itself."""
    typ = PRESENTATION_MEDIA_TYPE if _is_presentation(document) else MEDIA_TYPE
    return jwt.encode(
        dict(document),
        key,
        algorithm="EdDSA",
        headers={"kid": kid, "typ": typ, "cty": typ.removesuffix("+jwt")},
    )


def _is_presentation(document: Mapping[str, Any]) -> bool:
    kinds = document.get("type", [])
    return "VerifiablePresentation" in ([kinds] if isinstance(kinds, str) else kinds)


JWT_PART = re.compile(r"[A-Za-z0-9_-]+")


def looks_like_jwt(text: str) -> bool:
    """Three base64url parts and nothing else: JSON that happens to hold two dots is not."""
    parts = text.strip().split(".")
    return (
        len(parts) == 3
        and all(JWT_PART.fullmatch(part) for part in parts[:2])
        and (not parts[2] or JWT_PART.fullmatch(parts[2]) is not None)
    )


def read(token: str) -> DecodedJwt:
    """The header and claims without checking the signature, to learn who signed it."""
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as error:
        raise MalformedJwt(f"not a readable JWT: {error}") from error
    if header.get("alg") != "EdDSA":
        raise MalformedJwt(f"the JWT algorithm is {header.get('alg')!r}; Cairn accepts EdDSA")
    inner = claims.get("vc", claims.get("vp", claims))
    if not isinstance(inner, dict) or "@context" not in inner:
        raise MalformedJwt("the JWT does not carry a credential or presentation")
    return DecodedJwt(token=token, header=header, claims=claims, credential=inner)


def verify(token: str, public_key: bytes) -> bool:
    """Whether the JWT's signature is by ``public_key``; claims are judged elsewhere."""
    try:
        jwt.decode(
            token,
            Ed25519PublicKey.from_public_bytes(public_key),
            algorithms=["EdDSA"],
            options=_NO_CLAIM_CHECKS,
        )
    except jwt.InvalidSignatureError:
        return False
    except jwt.PyJWTError as error:
        raise MalformedJwt(f"not a readable JWT: {error}") from error
    return True
