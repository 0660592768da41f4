"""Revocation end to end over real HTTP: a credential is issued through the API, its status
list fetched from the live server shows its bit clear, the API revokes it, the list fetched
again shows the bit set, and a verifier that fetches every DID document and status list
over HTTP reports it revoked. Also what verifiers fetch: did.json and status lists, public
and with the media types the specifications name."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy.orm import Session

from cairn.config import Settings
from cairn.credentials import bitstring
from cairn.credentials.did import did_web, did_web_url
from cairn.credentials.resolution import CouldNotResolve, DidResolver
from cairn.credentials.verification import Problem, Verdict, Verifier
from cairn.kit.actor import Scope
from cairn.orgs.models import Person
from tests.conftest import free_port
from tests.factories.auth import make_token
from tests.factories.credentials import make_award, make_issuer
from tests.factories.orgs import make_org, make_person


@dataclass
class LiveServerFetcher:
    """Fetches DID documents and status lists with a real HTTP GET to the live test
    server, which stands in for the host the installation's base URL names."""

    client: httpx.Client
    requested: list[str]

    def fetch(self, url: str) -> Mapping[str, Any]:
        location = did_web_url(url) if url.startswith("did:web:") else url
        path = urlsplit(location).path
        self.requested.append(path)
        try:
            response = self.client.get(path)
        except httpx.TransportError as error:
            raise CouldNotResolve(f"{path}: {error}") from error
        if response.status_code != 200:
            raise CouldNotResolve(f"{path} answered {response.status_code}")
        document: dict[str, Any] = response.json()
        return document


def _verifier(http: httpx.Client, requested: list[str]) -> Verifier:
    fetcher = LiveServerFetcher(http, requested)
    return Verifier(keys=DidResolver(fetcher), status_lists=fetcher)


def _revocation_entry(credential: Mapping[str, Any]) -> Mapping[str, Any]:
    return next(e for e in credential["credentialStatus"] if e["statusPurpose"] == "revocation")


def _bit(http: httpx.Client, entry: Mapping[str, Any], settings: Settings) -> bool:
    url = str(entry["statusListCredential"])
    assert url.startswith(f"{settings.base_url}/credentials/status/")
    response = http.get(url.removeprefix(settings.base_url))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vc+ld+json"
    assert "max-age=300" in response.headers["cache-control"]
    listing = response.json()
    assert listing["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    bits = bitstring.decode(listing["credentialSubject"]["encodedList"])
    return bitstring.get(bits, int(entry["statusListIndex"]))


def test_a_revocation_through_the_api_shows_in_the_list_fetched_over_http(
    http: httpx.Client, session: Session, settings: Settings
) -> None:
    college = make_issuer(session)
    award = make_award(
        session, college, college.publish(session, "wound-care"), make_person(session)
    )
    registrar = session.get(Person, college.registrar.person_id)
    assert registrar is not None
    token = {
        "Authorization": f"Bearer {make_token(session, registrar, [Scope.CATALOGUE_READ, Scope.CATALOGUE_WRITE])}"
    }
    session.commit()
    path = f"/api/v1/orgs/{college.org.id}/credentials"

    issued = http.post(path, json={"award_id": str(award.id)}, headers=token)
    assert issued.status_code == 201, issued.text
    credential = issued.json()["credential"]
    entry = _revocation_entry(credential)
    assert _bit(http, entry, settings) is False
    requested: list[str] = []
    before = _verifier(http, requested).verify(credential)
    assert before.verdict is Verdict.VERIFIED, before.as_json()
    assert f"/orgs/{college.org.slug}/did.json" in requested
    assert urlsplit(str(entry["statusListCredential"])).path in requested

    revoked = http.post(
        f"{path}/{issued.json()['id']}/revoke", json={"reason": "Wrong learner."}, headers=token
    )
    assert revoked.status_code == 200

    assert _bit(http, entry, settings) is True
    after = _verifier(http, []).verify(credential)
    assert after.verdict is Verdict.FAILED
    assert after.problems == [Problem.REVOKED]


def test_an_unreachable_status_list_is_never_reported_as_not_revoked(
    http: httpx.Client, session: Session
) -> None:
    college = make_issuer(session)
    award = make_award(
        session, college, college.publish(session, "wound-care"), make_person(session)
    )
    registrar = session.get(Person, college.registrar.person_id)
    assert registrar is not None
    token = {"Authorization": f"Bearer {make_token(session, registrar)}"}
    session.commit()
    credential = http.post(
        f"/api/v1/orgs/{college.org.id}/credentials",
        json={"award_id": str(award.id)},
        headers=token,
    ).json()["credential"]

    with httpx.Client(base_url=f"http://127.0.0.1:{free_port()}", timeout=5) as nowhere:
        verifier = Verifier(
            keys=DidResolver(LiveServerFetcher(http, [])),
            status_lists=LiveServerFetcher(nowhere, []),
        )
        report = verifier.verify(credential)

    assert report.verdict is Verdict.INCOMPLETE
    outcomes = {c["check"]: c["outcome"] for c in report.as_json()["checks"]}
    assert (outcomes["proof"], outcomes["status"]) == ("passed", "could_not_check")


def test_the_did_document_and_status_lists_are_public_with_their_media_types(
    http: httpx.Client, session: Session, settings: Settings
) -> None:
    college = make_issuer(session)
    make_award(session, college, college.publish(session, "wound-care"), make_person(session))
    session.commit()

    document = http.get(f"/orgs/{college.org.slug}/did.json")
    assert document.status_code == 200
    assert document.headers["content-type"] == "application/did+json"
    body = json.loads(document.text)
    assert body["id"] == did_web(settings.base_url, college.org.slug)
    assert body["id"] == "did:web:testserver.example:orgs:" + college.org.slug
    assert http.get(f"/orgs/{make_org(session).slug}-gone/did.json").status_code == 404

    for missing in (
        "/credentials/status/00000000-0000-0000-0000-000000000000",
        "/credentials/status/nope",
    ):
        answer = http.get(missing)
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("application/problem+json")
