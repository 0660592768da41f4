"""CSRF protection for forms: a signed double-submit token.

Each browser gets a random nonce in an HttpOnly cookie; every form carries the nonce signed
with the secret key. A forged cross-site form cannot read the cookie nor sign a value, so it
cannot produce a matching token. This covers the sign-in form too, before any session exists.
"""

from __future__ import annotations

import hmac

from itsdangerous import BadSignature, URLSafeSerializer

from cairn.kit.ids import new_token

CSRF_COOKIE = "cairn_csrf"
CSRF_FIELD = "csrf_token"


def new_nonce() -> str:
    return new_token(24)


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="cairn.csrf")


def form_token(secret_key: str, nonce: str) -> str:
    return _serializer(secret_key).dumps(nonce)


def token_matches(secret_key: str, nonce: str | None, token: str | None) -> bool:
    if not nonce or not token:
        return False
    try:
        signed_nonce = _serializer(secret_key).loads(token)
    except BadSignature:
        return False
    return isinstance(signed_nonce, str) and hmac.compare_digest(signed_nonce, nonce)
