"""did:web documents and status lists fetched over real HTTP from a local server: a
credential from a did:web issuer verifies, and its revocation is seen, end to end; each
document is fetched once while fresh; every way a fetch can go wrong is "could not
resolve" with a reason, never a guess; Cairn's own documents are served without HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
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
from tests.credentials.local_site import Site

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


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


def _document(issuer: WebIssuer, **changes: Any) -> dict[str, Any]:
    document = did.did_document(issuer.did, [PublishedKey(issuer.public, active=True)])
    document.update(changes)
    return document


def _about_someone_else(issuer: WebIssuer) -> dict[str, Any]:
    return _document(issuer, id="did:web:elsewhere.example")


def _key_for_authentication_only(issuer: WebIssuer) -> dict[str, Any]:
    return _document(issuer, assertionMethod=[], authentication=[issuer.method])


def _key_as_jwk(issuer: WebIssuer) -> dict[str, Any]:
    method = {"id": issuer.method, "type": "JsonWebKey", "controller": issuer.did}
    return _document(
        issuer, verificationMethod=[{**method, "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519"}}]
    )


def _another_key(issuer: WebIssuer) -> dict[str, Any]:
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    return did.did_document(issuer.did, [PublishedKey(other, active=True)])


def _garbled_lists(issuer: WebIssuer) -> dict[str, Any]:
    return _document(issuer, verificationMethod=[{"id": 7}, "key"], assertionMethod=5)


def _key_embedded_under_a_relative_id(issuer: WebIssuer) -> dict[str, Any]:
    fragment = "#" + issuer.method.split("#")[1]
    method = {"id": fragment, "type": "Multikey", "publicKeyMultibase": fragment[1:]}
    return _document(issuer, verificationMethod=[], assertionMethod=[method])


UNVOUCHED = [
    (_about_someone_else, "is about 'did:web:elsewhere.example'"),
    (_key_for_authentication_only, "is not an assertion method of"),
    (_key_as_jwk, "has no publicKeyMultibase"),
    (_another_key, "has no verification method"),
    (_garbled_lists, "has no verification method"),
]


@pytest.mark.parametrize(
    ("make", "reason"), UNVOUCHED, ids=[make.__name__.strip("_") for make, _ in UNVOUCHED]
)
def test_a_did_document_that_does_not_vouch_for_the_key_is_reported_with_why(
    site: Site, fetcher: WebFetcher, make: Any, reason: str
) -> None:
    issuer = WebIssuer(site)
    site.serve("/orgs/lakeshore/did.json", make(issuer))

    report = verifier_over(fetcher).verify(issuer.credential(3))

    assert report.problems == [Problem.WRONG_SIGNER]
    assert reason in str(report.checks[3].message)


def test_a_key_embedded_in_the_assertion_methods_under_a_relative_id_verifies(
    site: Site, fetcher: WebFetcher
) -> None:
    issuer = WebIssuer(site)
    issuer.publish_status_list()
    site.serve("/orgs/lakeshore/did.json", _key_embedded_under_a_relative_id(issuer))

    report = verifier_over(fetcher).verify(issuer.credential(3))

    assert report.verdict is Verdict.VERIFIED, report.as_json()


def test_an_issuer_whose_did_web_is_malformed_has_no_key_to_sign_with(
    site: Site, fetcher: WebFetcher
) -> None:
    issuer = WebIssuer(site)
    malformed = "did:web:cairn.example::lakeshore"
    credential = issuer.credential(3)
    del credential["proof"]
    credential["issuer"] = malformed

    report = verifier_over(fetcher).verify(
        data_integrity.sign(
            credential, issuer.key, ProofOptions(f"{malformed}#key-1", "2026-12-01T00:00:00Z")
        )
    )

    assert report.problems == [Problem.WRONG_SIGNER]
    assert "not a well-formed did:web" in str(report.checks[3].message)


def test_a_status_list_named_by_a_malformed_did_web_leaves_revocation_unknown(
    site: Site, fetcher: WebFetcher
) -> None:
    """Not "the index is not a number": the list is what could not be had."""
    issuer = WebIssuer(site)
    credential = issuer.credential(3)
    del credential["proof"]
    credential["credentialStatus"]["statusListCredential"] = "did:web:"

    report = verifier_over(fetcher).verify(issuer.sign(credential))

    assert report.verdict is Verdict.INCOMPLETE
    assert str(report.checks[-1].message) == (
        "The status list did:web: could not be fetched (not a well-formed did:web: "
        "'did:web:'), so it is not known whether the credential was revoked."
    )
