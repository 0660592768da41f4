"""The W3C VC API's issuer endpoints: an issuer's own system has Cairn sign a credential
as the organisation, then revokes, suspends or reinstates it; what comes back verifies,
and what cannot be signed honestly is refused naming the field."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from cairn.config import Settings
from cairn.credentials import verifying
from cairn.credentials.did import did_web
from cairn.credentials.issued_models import CredentialKind, IssuedCredential
from cairn.credentials.verification import Problem, Verdict
from cairn.kit.actor import Role, Scope
from cairn.orgs.models import Person
from tests.factories.auth import make_token
from tests.factories.credentials import Issuer, make_issuer
from tests.factories.orgs import make_member, make_org

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ISSUE = [Scope.CREDENTIALS_ISSUE]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def badge(settings: Settings, college: Issuer, **changes: Any) -> dict[str, Any]:
    """An unsigned Open Badges 3.0 credential, as an issuer's own system would write it."""
    credential: dict[str, Any] = {
        "@context": [VC_V2, OB_V3],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": did_web(settings.base_url, college.org.slug),
            "type": ["Profile"],
            "name": college.org.name,
        },
        "name": "Forklift safety",
        "credentialSubject": {
            "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://lms.example.org/achievements/forklift",
                "type": ["Achievement"],
                "name": "Forklift safety",
                "description": "Operates a counterbalance forklift safely.",
                "criteria": {"narrative": "Passed the practical assessment."},
            },
        },
    }
    credential.update(changes)
    return credential


def _registrar_token(session: Session, college: Issuer, scopes: list[Scope] = ISSUE) -> str:
    person = session.get(Person, college.registrar.person_id)
    assert person is not None
    return make_token(session, person, scopes)


@pytest.mark.parametrize("cryptosuite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_a_credential_issued_through_the_vc_api_verifies(
    http: httpx.Client, session: Session, settings: Settings, cryptosuite: str
) -> None:
    college = make_issuer(session, name="Lakeshore College")
    token = _registrar_token(session, college)
    session.commit()

    answer = http.post(
        "/credentials/issue",
        json={"credential": badge(settings, college), "options": {"cryptosuite": cryptosuite}},
        headers=bearer(token),
    )

    assert answer.status_code == 201, answer.text
    signed = answer.json()["verifiableCredential"]
    assert signed["proof"]["cryptosuite"] == cryptosuite
    assert signed["id"].startswith("urn:uuid:")
    assert "validFrom" in signed
    purposes = sorted(entry["statusPurpose"] for entry in signed["credentialStatus"])
    assert purposes == ["revocation", "suspension"]
    report = verifying.verifier(session).verify(signed)
    assert report.verdict is Verdict.VERIFIED, report.as_json()
    stored = session.get(IssuedCredential, uuid.UUID(signed["id"].removeprefix("urn:uuid:")))
    assert stored is not None
    assert (stored.kind, stored.learner_id, stored.award_id, stored.title) == (
        CredentialKind.ACHIEVEMENT,
        None,
        None,
        "Forklift safety",
    )


def test_the_callers_own_id_and_dates_are_kept(
    http: httpx.Client, session: Session, settings: Settings
) -> None:
    college = make_issuer(session)
    token = _registrar_token(session, college)
    session.commit()
    own = f"urn:uuid:{uuid.uuid4()}"
    credential = badge(
        settings,
        college,
        id=own,
        validFrom="2026-01-01T00:00:00Z",
        validUntil="2099-01-01T00:00:00Z",
    )

    first = http.post("/credentials/issue", json={"credential": credential}, headers=bearer(token))
    assert first.status_code == 201, first.text
    signed = first.json()["verifiableCredential"]
    assert (signed["id"], signed["validFrom"], signed["validUntil"]) == (
        own,
        "2026-01-01T00:00:00Z",
        "2099-01-01T00:00:00Z",
    )
    again = http.post("/credentials/issue", json={"credential": credential}, headers=bearer(token))
    assert again.status_code == 409
    assert [e["pointer"] for e in again.json()["errors"]] == ["#/body/credential/id"]


def test_what_cannot_be_signed_honestly_is_refused_naming_the_field(
    http: httpx.Client, session: Session, settings: Settings
) -> None:
    college = make_issuer(session)
    token = _registrar_token(session, college)
    session.commit()
    plain_subject = {"id": "did:example:123", "favouriteColour": "teal"}

    for body, pointer in (
        ({"credential": badge(settings, college, issuer="did:web:elsewhere.example")}, "issuer"),
        ({"credential": badge(settings, college, **{"@context": [OB_V3]})}, "@context"),
        ({"credential": badge(settings, college, type=["OpenBadgeCredential"])}, "type"),
        ({"credential": badge(settings, college, credentialSubject=[])}, "credentialSubject"),
        ({"credential": badge(settings, college, proof={"type": "DataIntegrityProof"})}, "proof"),
        (
            {"credential": badge(settings, college, credentialStatus={"id": "x"})},
            "credentialStatus",
        ),
        ({"credential": badge(settings, college, validUntil="tomorrow")}, "validUntil"),
        ({"credential": badge(settings, college, validUntil="2001-01-01T00:00:00Z")}, "validUntil"),
        ({"credential": badge(settings, college, id="https://example.org/1")}, "id"),
        (
            {
                "credential": badge(
                    settings, college, **{"@context": [VC_V2, "https://x.example/v1"]}
                )
            },
            "@context",
        ),
        (
            {
                "credential": badge(
                    settings, college, **{"@context": [VC_V2]}, credentialSubject=plain_subject
                )
            },
            "",
        ),
    ):
        answer = http.post("/credentials/issue", json=body, headers=bearer(token))
        assert answer.status_code == 422, (pointer, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        expected = f"#/body/credential/{pointer}" if pointer else "#/body/credential"
        assert [e["pointer"] for e in answer.json()["errors"]] == [expected], answer.text
    undefined = http.post(
        "/credentials/issue",
        json={
            "credential": badge(
                settings, college, **{"@context": [VC_V2]}, credentialSubject=plain_subject
            )
        },
        headers=bearer(token),
    )
    assert "favouriteColour" in undefined.json()["detail"]
    unsupported = http.post(
        "/credentials/issue",
        json={
            "credential": badge(settings, college),
            "options": {"mandatoryPointers": ["/issuer"]},
        },
        headers=bearer(token),
    )
    assert unsupported.status_code == 422
    assert [e["pointer"] for e in unsupported.json()["errors"]] == [
        "#/body/options/mandatoryPointers"
    ]
    assert session.query(IssuedCredential).filter_by(issuer_org_id=college.org.id).count() == 0


def test_only_a_registrar_of_the_issuer_with_credentials_issue_signs(
    http: httpx.Client, session: Session, settings: Settings
) -> None:
    college = make_issuer(session)
    educator = session.get(Person, college.educator.person_id)
    assert educator is not None
    tokens = {
        "catalogue only": _registrar_token(session, college, [Scope.CATALOGUE_WRITE]),
        "educator": make_token(session, educator, ISSUE),
        "learner": make_token(session, make_member(session, college.org, Role.LEARNER), ISSUE),
        "other registrar": _registrar_token(session, make_issuer(session)),
        "outsider": make_token(session, make_member(session, make_org(session)), ISSUE),
    }
    session.commit()
    body = {"credential": badge(settings, college)}

    for who, token in tokens.items():
        answer = http.post("/credentials/issue", json=body, headers=bearer(token))
        assert answer.status_code == 403, who
        assert answer.headers["content-type"].startswith("application/problem+json")
    scope = http.post("/credentials/issue", json=body, headers=bearer(tokens["catalogue only"]))
    assert scope.json()["type"].endswith("/insufficient_scope")
    anonymous = http.post("/credentials/issue", json=body)
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"


def test_the_status_endpoint_revokes_suspends_and_reinstates(
    http: httpx.Client, session: Session, settings: Settings
) -> None:
    college = make_issuer(session)
    token = _registrar_token(session, college)
    other = _registrar_token(session, make_issuer(session))
    session.commit()
    signed = http.post(
        "/credentials/issue", json={"credential": badge(settings, college)}, headers=bearer(token)
    ).json()["verifiableCredential"]
    revocation = {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}
    suspension = {"type": "BitstringStatusListEntry", "statusPurpose": "suspension"}

    def update(body: dict[str, Any], as_: str = token) -> httpx.Response:
        return http.post("/credentials/status", json=body, headers=bearer(as_))

    def problems() -> list[Problem]:
        session.expire_all()
        return verifying.verifier(session).verify(signed).problems

    unexplained = update(
        {"credentialId": signed["id"], "credentialStatus": suspension, "status": True}
    )
    assert unexplained.status_code == 422
    assert [e["pointer"] for e in unexplained.json()["errors"]] == ["#/body/reason"]
    assert '"reason"' in unexplained.json()["detail"]
    assert update({"credentialId": signed["id"], "credentialStatus": suspension}).status_code == 422

    # the current VCALM shape: an entry and a boolean
    suspended = update(
        {
            "credentialId": signed["id"],
            "credentialStatus": suspension,
            "status": True,
            "reason": "Audit",
        }
    )
    assert suspended.json() == {"credentialId": signed["id"], "state": "suspended"}
    assert problems() == [Problem.SUSPENDED]
    reinstated = update(
        {"credentialId": signed["id"], "credentialStatus": suspension, "status": False}
    )
    assert reinstated.json()["state"] == "active"
    assert problems() == []
    # earlier drafts: the status in words
    assert (
        update(
            {
                "credentialId": signed["id"],
                "credentialStatus": [{"type": "BitstringStatusListEntry", "status": "suspended"}],
                "reason": "Audit again",
            }
        ).json()["state"]
        == "suspended"
    )
    assert (
        update(
            {
                "credentialId": signed["id"],
                "credentialStatus": [{"type": "BitstringStatusListEntry", "status": "active"}],
            }
        ).json()["state"]
        == "active"
    )

    assert (
        update(
            {
                "credentialId": signed["id"],
                "credentialStatus": revocation,
                "status": True,
                "reason": "Fraud",
            },
            other,
        ).status_code
        == 404
    )
    revoked = update(
        {
            "credentialId": signed["id"],
            "credentialStatus": revocation,
            "status": True,
            "reason": "Fraud",
        }
    )
    assert revoked.json()["state"] == "revoked"
    assert problems() == [Problem.REVOKED]
    undo = update({"credentialId": signed["id"], "credentialStatus": revocation, "status": False})
    assert undo.status_code == 409
    unknown = update(
        {
            "credentialId": f"urn:uuid:{uuid.uuid4()}",
            "credentialStatus": suspension,
            "status": False,
        }
    )
    assert unknown.status_code == 404
    malformed = update(
        {"credentialId": "credential-1", "credentialStatus": suspension, "status": False}
    )
    assert [e["pointer"] for e in malformed.json()["errors"]] == ["#/body/credentialId"]


def test_an_id_that_is_not_a_urn_uuid_or_disagrees_with_the_options_is_refused(
    http: httpx.Client, session: Session, settings: Settings
) -> None:
    college = make_issuer(session)
    token = _registrar_token(session, college)
    session.commit()
    own = f"urn:uuid:{uuid.uuid4()}"

    for body, pointer in (
        ({"credential": badge(settings, college, id="urn:uuid:forklift-7")}, "credential/id"),
        (
            {"credential": badge(settings, college), "options": {"credentialId": "urn:uuid:7"}},
            "options/credentialId",
        ),
        (
            {
                "credential": badge(settings, college, id=own),
                "options": {"credentialId": f"urn:uuid:{uuid.uuid4()}"},
            },
            "options/credentialId",
        ),
    ):
        answer = http.post("/credentials/issue", json=body, headers=bearer(token))
        assert answer.status_code == 422, (pointer, answer.text)
        assert [e["pointer"] for e in answer.json()["errors"]] == [f"#/body/{pointer}"]
    agreeing = http.post(
        "/credentials/issue",
        json={"credential": badge(settings, college, id=own), "options": {"credentialId": own}},
        headers=bearer(token),
    )
    assert agreeing.status_code == 201, agreeing.text
    assert agreeing.json()["verifiableCredential"]["id"] == own


def test_a_credential_without_an_issuer_is_refused_naming_the_issuer(
    http: httpx.Client, session: Session, settings: Settings
) -> None:
    college = make_issuer(session)
    token = _registrar_token(session, college)
    session.commit()
    credential = badge(settings, college)
    del credential["issuer"]

    answer = http.post("/credentials/issue", json={"credential": credential}, headers=bearer(token))

    assert answer.status_code == 422
    assert [e["pointer"] for e in answer.json()["errors"]] == ["#/body/credential/issuer"]
    assert "did:web" in answer.json()["errors"][0]["detail"]


def test_json_ld_that_redefines_a_protected_term_is_refused_as_invalid(
    http: httpx.Client, session: Session, settings: Settings
) -> None:
    """VC 2.0 protects its terms: a context that gives ``name`` another meaning would have
    the proof sign something other than what verifiers read."""
    college = make_issuer(session)
    token = _registrar_token(session, college)
    session.commit()
    context = [VC_V2, OB_V3, {"name": "https://lms.example.org/vocab#name"}]

    answer = http.post(
        "/credentials/issue",
        json={"credential": badge(settings, college, **{"@context": context})},
        headers=bearer(token),
    )

    assert answer.status_code == 422
    assert [e["pointer"] for e in answer.json()["errors"]] == ["#/body/credential"]
    assert answer.json()["detail"] == (
        "The JSON-LD is not valid: Invalid JSON-LD syntax; tried to redefine a protected term."
    )
    assert session.query(IssuedCredential).filter_by(issuer_org_id=college.org.id).count() == 0


def test_a_credential_no_proof_can_cover_is_refused_not_failed_on(
    http: httpx.Client, session: Session, settings: Settings
) -> None:
    """A lone surrogate is valid JSON but not Unicode text, and eddsa-jcs-2022 cannot write
    an integer beyond 2^53: the caller is told, and nothing is issued."""
    college = make_issuer(session)
    token = _registrar_token(session, college)
    session.commit()
    surrogate = json.dumps({"credential": badge(settings, college)}).replace(
        '"name": "Forklift safety"', '"name": "Forklift \\ud800 safety"', 1
    )
    huge = badge(settings, college)
    huge["credentialSubject"]["achievement"]["creditsAvailable"] = 2**60
    headers = {**bearer(token), "Content-Type": "application/json"}

    for content, why in (
        (surrogate, "surrogate"),
        (
            json.dumps({"credential": huge, "options": {"cryptosuite": "eddsa-jcs-2022"}}),
            "safe integer",
        ),
    ):
        answer = http.post("/credentials/issue", content=content, headers=headers)
        assert answer.status_code == 422, answer.text
        assert [e["pointer"] for e in answer.json()["errors"]] == ["#/body/credential"]
        assert why in answer.json()["detail"]
    assert session.query(IssuedCredential).filter_by(issuer_org_id=college.org.id).count() == 0
    rdfc = http.post("/credentials/issue", json={"credential": huge}, headers=bearer(token))
    assert rdfc.status_code == 201, rdfc.text


def test_a_credential_without_a_name_is_listed_by_its_type(
    http: httpx.Client, session: Session, settings: Settings
) -> None:
    college = make_issuer(session)
    token = _registrar_token(session, college)
    session.commit()
    credential = badge(settings, college, name="   ")

    answer = http.post("/credentials/issue", json={"credential": credential}, headers=bearer(token))

    assert answer.status_code == 201, answer.text
    signed_id = answer.json()["verifiableCredential"]["id"]
    stored = session.get(IssuedCredential, uuid.UUID(signed_id.removeprefix("urn:uuid:")))
    assert stored is not None
    assert stored.title == "OpenBadgeCredential"
