"""Random, URL-safe secrets and their stored digests."""

import hashlib
import secrets


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def digest(token: str) -> str:
    """SHA-256 of a high-entropy token: enough to store it safely and look it up by equality."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
