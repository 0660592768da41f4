"""did:web documents and status lists fetched over real HTTP from a local server: a
credential from a did:web issuer verifies, and its revocation is seen, end to end; each
document is fetched once while fresh; every way a fetch can go wrong is "could not
resolve" with a reason, never a guess; Cairn's own documents are served without HTTP."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cairn.credentials import bitstring, data_integrity, did
from cairn.credentials.data_integrity import ProofOptions
from cairn.credentials.did import PublishedKey
from cairn.credentials.resolution import CouldNotResolve, DidResolver
from cairn.credentials.verification import Problem, Verdict, Verifier
from cairn.credentials.web_resolution import LocalFirstFetcher, WebFetcher
from tests.conftest import free_port

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


@dataclass
class Route:
    body: bytes
    content_type: str = "application/json"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Site:
    """A real HTTP server on 127.0.0.1 serving ``routes`` and counting requests per path."""

    url: str
    routes: dict[str, Route] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)

    def serve(self, path: str, document: Any = None, **route: Any) -> str:
        body = route.pop("body", None)
        self.routes[path] = Route(
            body if body is not None else json.dumps(document).encode(), **route
        )
        return self.url + path


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.hits[self.path] = site.hits.get(self.path, 0) + 1
            route = site.routes.get(self.path, Route(b"{}", status=404))
            time.sleep(route.delay)
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests read what was served from ``site.hits``."""

    return Handler


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that stopped waiting (the timeout test) is what the test wants."""


@pytest.fixture
def site() -> Iterator[Site]:
    port = free_port()
    state = Site(url=f"http://127.0.0.1:{port}")
    server = QuietServer(("127.0.0.1", port), _handler(state))
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture
def fetcher() -> Iterator[WebFetcher]:
    with WebFetcher(timeout=2.0) as fetcher:
        yield fetcher


class WebIssuer:
    """A college whose DID is a did:web on the local site, and its status list there."""

    def __init__(self, site: Site) -> None:
        self.key = Ed25519PrivateKey.generate()
        self.public = self.key.public_key().public_bytes_raw()
        self.did = did.did_web(site.url, "lakeshore")
        self.method = did.method_id(self.did, self.public)
        site.serve(
            "/orgs/lakeshore/did.json",
            did.did_document(self.did, [PublishedKey(self.public, active=True)]),
        )
        self.list_url = site.url + "/status/1"
        self.site = site

    def sign(self, document: Mapping[str, Any]) -> dict[str, Any]:
        return data_integrity.sign(
            document, self.key, ProofOptions(self.method, "2026-12-01T00:00:00Z")
        )

    def publish_status_list(self, revoked: int | None = None) -> None:
        bits = bitstring.empty()
        if revoked is not None:
            bitstring.set_bit(bits, revoked, True)
        status_list = {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": self.list_url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": self.did,
            "validFrom": "2026-12-01T00:00:00Z",
            "credentialSubject": {
                "id": f"{self.list_url}#list",
                "type": "BitstringStatusList",
                "statusPurpose": "revocation",
                "encodedList": bitstring.encode(bits),
            },
        }
        self.site.serve("/status/1", self.sign(status_list), content_type="application/vc")

    def credential(self, index: int) -> dict[str, Any]:
        return self.sign(
            {
                "@context": [
                    "https://www.w3.org/ns/credentials/v2",
                    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                ],
                "id": "urn:uuid:6a0e3f34-8a44-4cde-9c57-7d2f0c1e5b11",
                "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "issuer": {"id": self.did, "type": ["Profile"], "name": "Lakeshore College"},
                "validFrom": "2026-12-01T00:00:00Z",
                "name": "Digital safety at work",
                "credentialSubject": {
                    "type": ["AchievementSubject"],
                    "achievement": {
                        "id": "https://cairn.example/achievements/digital-safety",
                        "type": ["Achievement"],
                        "name": "Digital safety at work",
                        "criteria": {"narrative": "Passes the practical assessment."},
                        "description": "Works safely with digital tools.",
                    },
                },
                "credentialStatus": {
                    "id": f"{self.list_url}#{index}",
                    "type": "BitstringStatusListEntry",
                    "statusPurpose": "revocation",
                    "statusListIndex": str(index),
                    "statusListCredential": self.list_url,
                },
            }
        )


def verifier_over(fetcher: WebFetcher) -> Verifier:
    return Verifier(DidResolver(fetcher), fetcher, clock=lambda: NOW)


def test_a_did_web_credential_verifies_and_its_revocation_is_seen_over_http(
    site: Site, fetcher: WebFetcher
) -> None:
    issuer = WebIssuer(site)
    issuer.publish_status_list(revoked=7)

    sound = verifier_over(fetcher).verify(issuer.credential(3))
    revoked = verifier_over(fetcher).verify(issuer.credential(7))

    assert issuer.did == f"did:web:127.0.0.1%3A{site.url.rsplit(':', 1)[1]}:orgs:lakeshore"
    assert sound.verdict is Verdict.VERIFIED, sound.as_json()
    assert revoked.problems == [Problem.REVOKED]
    assert site.hits == {"/orgs/lakeshore/did.json": 1, "/status/1": 1}


def test_a_document_is_fetched_again_once_its_time_in_the_cache_is_over(site: Site) -> None:
    now = [0.0]
    url = site.serve("/status/1", {"id": "list"})

    with WebFetcher(ttl=60, clock=lambda: now[0]) as fetcher:
        first = fetcher.fetch(url)
        now[0] = 59.0
        fetcher.fetch(url)
        hits_while_fresh = site.hits["/status/1"]
        now[0] = 61.0
        fetcher.fetch(url)

    assert first == {"id": "list"}
    assert hits_while_fresh == 1
    assert site.hits["/status/1"] == 2


def test_failures_are_not_remembered(site: Site, fetcher: WebFetcher) -> None:
    url = site.url + "/status/1"
    with pytest.raises(CouldNotResolve, match="404 Not Found"):
        fetcher.fetch(url)

    site.serve("/status/1", {"id": "list"})

    assert fetcher.fetch(url) == {"id": "list"}


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        ({"document": {"id": "x"}, "status": 500}, "answered 500 Internal Server Error"),
        ({"body": b"<html></html>", "content_type": "text/html"}, "sent text/html, not JSON"),
        ({"body": b"{}", "content_type": ""}, "sent no content type, not JSON"),
        ({"body": b"{not json"}, "did not send valid JSON"),
        ({"body": b"\xff\xfe{}"}, "did not send valid JSON"),
        ({"document": ["a", "list"]}, "JSON that is not an object"),
        ({"document": {"padding": "x" * 2048}}, "is larger than 1 KiB"),
        (
            {"body": b"", "status": 302, "headers": {"Location": "http://cairn.example/list"}},
            "only over HTTPS, and http://cairn.example/list is not",
        ),
    ],
)
def test_every_bad_answer_is_could_not_resolve_with_its_reason(
    site: Site, route: dict[str, Any], reason: str
) -> None:
    url = site.serve("/status/1", **route)

    with WebFetcher(max_bytes=1024) as fetcher, pytest.raises(CouldNotResolve) as raised:
        fetcher.fetch(url)

    assert reason in str(raised.value)


def test_a_redirect_to_https_is_followed(site: Site, fetcher: WebFetcher) -> None:
    site.serve("/status/2", {"id": "moved"})
    url = site.serve(
        "/status/1", body=b"", status=301, headers={"Location": site.url + "/status/2"}
    )

    assert fetcher.fetch(url) == {"id": "moved"}


@pytest.mark.parametrize("address", ["http://cairn.example/status/1", "ftp://cairn.example/list"])
def test_only_https_leaves_the_machine(address: str, fetcher: WebFetcher) -> None:
    with pytest.raises(CouldNotResolve, match=re.escape(f"only over HTTPS, and {address} is not")):
        fetcher.fetch(address)


def test_an_unreachable_host_and_a_slow_one_are_reported(site: Site) -> None:
    closed = f"http://127.0.0.1:{free_port()}/status/1"
    slow = site.serve("/status/1", {"id": "late"}, delay=1.0)

    with WebFetcher(timeout=0.2) as fetcher:
        with pytest.raises(CouldNotResolve, match="could not be reached"):
            fetcher.fetch(closed)
        with pytest.raises(CouldNotResolve, match=r"did not answer within 0\.2 seconds"):
            fetcher.fetch(slow)


def test_a_malformed_address_is_could_not_resolve(fetcher: WebFetcher) -> None:
    with pytest.raises(CouldNotResolve, match="could not be reached"):
        fetcher.fetch("https://[::1/list")


def test_the_applications_own_documents_are_served_without_http(
    site: Site, fetcher: WebFetcher
) -> None:
    issuer = WebIssuer(site)
    own = {issuer.did: did.did_document(issuer.did, [PublishedKey(issuer.public, active=True)])}
    elsewhere = site.serve("/status/9", {"id": "theirs"})
    local_first = LocalFirstFetcher(own.get, fetcher)

    assert local_first.fetch(issuer.did) == own[issuer.did]
    assert local_first.fetch(elsewhere) == {"id": "theirs"}
    assert site.hits == {"/status/9": 1}


def test_a_did_web_path_maps_to_its_document_url(site: Site, fetcher: WebFetcher) -> None:
    host = quote(site.url.removeprefix("http://"), safe="")
    site.serve("/.well-known/did.json", {"id": f"did:web:{host}"})

    assert fetcher.fetch(f"did:web:{host}") == {"id": f"did:web:{host}"}
