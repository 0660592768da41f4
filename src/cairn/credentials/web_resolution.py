"""Fetching did:web documents and status list credentials over HTTPS, with a cache.

A verifier may check hundreds of credentials from one issuer: each DID document and
status list is fetched once and then kept for a few minutes (``ttl``), across threads.
What is fetched comes from hosts named inside credentials anyone can submit, so the
fetcher is strict: HTTPS only (plain HTTP just for ``localhost`` and ``127.0.0.1``, where
development and tests run), redirects held to the same rule, a timeout, a size limit, and
a JSON body. Every failure is a ``CouldNotResolve`` whose reason a registrar can read;
failures are not cached, so the next credential tries again.

Cairn's own DID documents and status lists need no round trip through the network:
``LocalFirstFetcher`` asks the application first."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Final

import httpx
from cachetools import TTLCache

from cairn.credentials.did import did_web_url
from cairn.credentials.resolution import CouldNotResolve, DocumentFetcher
from cairn.kit.i18n import lazy_gettext

LOCAL_HOSTS: Final = frozenset({"localhost", "127.0.0.1"})
JSON_MEDIA_TYPES: Final = frozenset({"application/json", "application/vc", "application/vp"})
"""Besides any ``+json`` type (``application/did+json``, ``application/ld+json``, …)."""
ONE_MEBIBYTE: Final = 1024 * 1024


class WebFetcher:
    """A ``DocumentFetcher`` for ``did:web`` DIDs (fetched from where the DID Web Method
    says) and ``https`` URLs. Use one per process, and ``close()`` it at the end."""

    def __init__(
        self,
        *,
        timeout: float = 5.0,
        max_bytes: int = ONE_MEBIBYTE,
        ttl: float = 300.0,
        max_entries: int = 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._cache: TTLCache[str, Mapping[str, Any]] = TTLCache(
            maxsize=max_entries, ttl=ttl, timer=clock
        )
        self._lock = threading.Lock()
        self._client = httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            max_redirects=3,
            headers={"Accept": "application/did+json, application/json;q=0.9, */*;q=0.1"},
            event_hooks={"request": [require_https]},
        )

    def fetch(self, url: str) -> Mapping[str, Any]:
        """The JSON object at ``url`` (or a ``did:web``'s document), from the cache while
        fresh; it is shared between callers, so it must not be changed."""
        location = did_web_url(url) if url.startswith("did:web:") else url
        with self._lock:
            cached = self._cache.get(location)
        if cached is not None:
            return cached
        document = self._download(location)
        with self._lock:
            self._cache[location] = document
        return document

    def _download(self, url: str) -> Mapping[str, Any]:
        try:
            with self._client.stream("GET", url) as response:
                _check_response(response, url)
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self._max_bytes:
                        raise CouldNotResolve(
                            lazy_gettext(
                                "%(url)s is larger than %(size)s KiB, more than a DID document "
                                "or status list needs.",
                                url=url,
                                size=self._max_bytes // 1024,
                            )
                        )
        except httpx.TimeoutException as error:
            raise CouldNotResolve(
                lazy_gettext(
                    "%(url)s did not answer within %(seconds)s seconds.",
                    url=url,
                    seconds=self._timeout,
                )
            ) from error
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            raise CouldNotResolve(
                lazy_gettext("%(url)s could not be reached: %(why)s", url=url, why=str(error))
            ) from error
        try:
            document = json.loads(body)
        except ValueError as error:
            raise CouldNotResolve(
                lazy_gettext("%(url)s did not send valid JSON.", url=url)
            ) from error
        if not isinstance(document, dict):
            raise CouldNotResolve(lazy_gettext("%(url)s sent JSON that is not an object.", url=url))
        return document

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> WebFetcher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def require_https(request: httpx.Request) -> None:
    """Run before every request, redirects included, so a redirect cannot downgrade."""
    url = request.url
    if url.scheme == "https" or (url.scheme == "http" and url.host in LOCAL_HOSTS):
        return
    raise CouldNotResolve(
        lazy_gettext("Cairn fetches only over HTTPS, and %(url)s is not.", url=str(url))
    )


def _check_response(response: httpx.Response, url: str) -> None:
    if response.status_code != httpx.codes.OK:
        raise CouldNotResolve(
            lazy_gettext(
                "%(url)s answered %(status)s %(reason)s.",
                url=url,
                status=response.status_code,
                reason=response.reason_phrase,
            )
        )
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in JSON_MEDIA_TYPES and not media_type.endswith("+json"):
        raise CouldNotResolve(
            lazy_gettext(
                "%(url)s sent %(type)s, not JSON.",
                url=url,
                type=media_type or lazy_gettext("no content type"),
            )
        )


class LocalFirstFetcher:
    """A ``DocumentFetcher`` that serves what ``local`` knows — the application's own DID
    documents and status lists, straight from its database — and fetches the rest with
    ``remote``. ``local`` receives the DID or URL as asked and returns None when it is not
    the application's."""

    def __init__(
        self,
        local: Callable[[str], Mapping[str, Any] | None],
        remote: DocumentFetcher,
    ) -> None:
        self._local = local
        self._remote = remote

    def fetch(self, url: str) -> Mapping[str, Any]:
        document = self._local(url)
        return self._remote.fetch(url) if document is None else document
