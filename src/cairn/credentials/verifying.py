"""The verifier Cairn itself uses: its own issuers' DID documents and status lists are read
from its database, anything else is fetched over HTTP(S) with a cache.

Reading its own documents locally is not a shortcut around verification: they are the
same documents Cairn serves, and the proofs are checked exactly as for anyone else's."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

from cairn.config import get_settings
from cairn.credentials import issued_repository as repo
from cairn.credentials import key_service, status_service
from cairn.credentials.did import did_web
from cairn.credentials.resolution import CouldNotResolve, DidResolver, DocumentFetcher
from cairn.credentials.verification import Verifier
from cairn.credentials.web_resolution import LocalFirstFetcher, WebFetcher
from cairn.kit.errors import NotFound


class _Local:
    """DID documents and status lists this installation publishes, straight from its
    database; None for anything that is not its own."""

    def __init__(self, session: Session) -> None:
        self._session = session
        base = get_settings().base_url
        self._did_prefix = did_web(base, "")

    def __call__(self, address: str) -> Mapping[str, Any] | None:
        if address.startswith(self._did_prefix):
            org = repo.organisation_by_slug(self._session, address.removeprefix(self._did_prefix))
            if org is None:
                raise CouldNotResolve(f"no organisation publishes {address}")
            return key_service.document_for(self._session, address, org.id)
        list_id = status_service.list_id_of(address)
        if list_id is not None:
            try:
                published: dict[str, Any] = json.loads(
                    status_service.published(self._session, list_id)
                )
            except NotFound as error:
                raise CouldNotResolve(f"there is no status list at {address}") from error
            return published
        return None


@cache
def _web() -> WebFetcher:
    """One fetcher per process, so its cache of others' DID documents and status lists
    is shared by every request."""
    return WebFetcher()


def verifier(session: Session, remote: DocumentFetcher | None = None) -> Verifier:
    """A verifier for one request or command: Cairn's own documents are read in
    ``session``, anyone else's fetched by ``remote`` (by default over HTTP(S), cached)."""
    fetcher = LocalFirstFetcher(_Local(session), remote or _web())
    return Verifier(keys=DidResolver(fetcher), status_lists=fetcher)
