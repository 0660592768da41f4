"""The W3C VC API's verifier endpoints over real HTTP: credentials and presentations."""

from __future__ import annotations

import json

import httpx
from sqlalchemy.orm import Session

from cairn.credentials.issued_models import IssuedCredential, ProofFormat
from cairn.credentials.keystore import configured_store
from cairn.credentials.multikey import did_key
from cairn.credentials.presentations import present
from cairn.credentials.wallet_models import HolderKey
from tests.factories.credentials import make_issued, make_issuer
from tests.factories.orgs import make_person


def _issued(session: Session, proof: ProofFormat = ProofFormat.EDDSA_RDFC_2022) -> IssuedCredential:
    college = make_issuer(session, name="Lakeshore College")
    version = college.publish(session, "wound-care")
    return make_issued(session, college, version, make_person(session), proof=proof)


def _presentation(
    session: Session, issued: IssuedCredential, challenge: str, domain: str
) -> dict[str, object]:
    holder = session.query(HolderKey).filter_by(person_id=issued.learner_id).one()
    key = configured_store().signer(holder.id, holder.sealed_secret)
    return present([issued.document], key, did_key(holder.public_key), challenge, domain)  # type: ignore[arg-type]


def test_a_sound_credential_is_verified_with_its_checks(
    session: Session, http: httpx.Client
) -> None:
    for proof in ProofFormat:
        issued = _issued(session, proof)
        session.commit()
        document: object = (
            issued.document if proof is ProofFormat.VC_JWT else json.loads(issued.document)
        )

        answer = http.post("/credentials/verify", json={"verifiableCredential": document})

        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["verified"] is True
        assert {"proof", "issuer", "status"} <= set(body["checks"])
        assert body["errors"] == []


def test_a_tampered_credential_is_400_and_says_tampered(
    session: Session, http: httpx.Client
) -> None:
    document = json.loads(_issued(session).document)
    document["validFrom"] = "2001-01-01T00:00:00Z"
    session.commit()

    answer = http.post("/credentials/verify", json={"verifiableCredential": document})

    assert answer.status_code == 400
    assert answer.json()["verified"] is False
    assert [e["problem"] for e in answer.json()["errors"]] == ["tampered"]


def test_a_request_without_a_credential_is_a_problem_naming_the_field(http: httpx.Client) -> None:
    answer = http.post("/credentials/verify", json={"credential": {}})

    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["errors"][0]["pointer"] == "#/body/verifiableCredential"


def test_a_presentation_answering_the_challenge_is_verified(
    session: Session, http: httpx.Client
) -> None:
    issued = _issued(session)
    presentation = _presentation(session, issued, "c-123", "verifier.example")
    session.commit()

    answer = http.post(
        "/presentations/verify",
        json={
            "verifiablePresentation": presentation,
            "options": {"challenge": "c-123", "domain": "verifier.example"},
        },
    )

    assert answer.status_code == 200, answer.text
    assert answer.json()["report"]["credentials"][0]["verdict"] == "verified"


def test_a_replayed_presentation_fails_on_its_challenge(
    session: Session, http: httpx.Client
) -> None:
    issued = _issued(session)
    presentation = _presentation(session, issued, "old-challenge", "verifier.example")
    session.commit()

    answer = http.post(
        "/presentations/verify",
        json={
            "verifiablePresentation": presentation,
            "options": {"challenge": "new-challenge", "domain": "verifier.example"},
        },
    )

    assert answer.status_code == 400
    assert "wrong_challenge" in answer.json()["report"]["problems"]
