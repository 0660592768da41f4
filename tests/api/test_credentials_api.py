"""Issued credentials through the API: a registrar issues one for an award, lists and reads
them, and suspends, reinstates and revokes with a reason; nobody else reaches them."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy.orm import Session

from cairn.credentials import jose, verifying
from cairn.credentials.verification import Problem, Verdict
from cairn.kit.actor import Role, Scope
from cairn.kit.clock import utcnow
from cairn.orgs.models import Person
from tests.factories.auth import make_token
from tests.factories.credentials import Issuer, make_award, make_issuer
from tests.factories.orgs import make_member, make_org, make_person


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _token(session: Session, actor_of: Issuer, who: str, scopes: list[Scope] | None = None) -> str:
    person = session.get(Person, getattr(actor_of, who).person_id)
    assert person is not None
    return make_token(session, person, scopes) if scopes else make_token(session, person)


def test_a_registrar_issues_reads_and_lists_a_credential(
    http: httpx.Client, session: Session
) -> None:
    college = make_issuer(session, name="Lakeshore College")
    version = college.publish(session, "wound-care")
    learner = make_person(session, name="Lena Whitford")
    award = make_award(session, college, version, learner)
    registrar = _token(session, college, "registrar")
    session.commit()
    path = f"/api/v1/orgs/{college.org.id}/credentials"
    until = (utcnow() + timedelta(days=30)).replace(microsecond=0)

    created = http.post(
        path,
        json={
            "award_id": str(award.id),
            "proof_format": "vc+jwt",
            "valid_until": until.isoformat(),
            "evidence": [{"url": "https://example.org/lena/report", "name": "Final report"}],
        },
        headers=bearer(registrar),
    )

    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["learner_name"], body["state"], body["proof_format"]) == (
        "Lena Whitford",
        "active",
        "vc+jwt",
    )
    credential = jose.read(body["credential"]).credential
    assert credential["evidence"][0]["id"] == "https://example.org/lena/report"
    assert credential["validUntil"] == until.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert verifying.verifier(session).verify(body["credential"]).verdict is Verdict.VERIFIED
    listed = http.get(path, headers=bearer(registrar)).json()
    assert [(c["id"], c["title"]) for c in listed] == [(body["id"], "Wound care essentials")]
    assert "credential" not in listed[0]
    one = http.get(f"{path}/{body['id']}", headers=bearer(registrar)).json()
    assert one["credential"] == body["credential"]

    again = http.post(path, json={"award_id": str(award.id)}, headers=bearer(registrar))
    assert again.status_code == 409


def test_suspend_reinstate_and_revoke_with_a_reason(http: httpx.Client, session: Session) -> None:
    college = make_issuer(session)
    learner = make_person(session)
    award = make_award(session, college, college.publish(session, "wound-care"), learner)
    registrar = _token(session, college, "registrar")
    session.commit()
    path = f"/api/v1/orgs/{college.org.id}/credentials"
    issued = http.post(path, json={"award_id": str(award.id)}, headers=bearer(registrar)).json()
    one = f"{path}/{issued['id']}"

    no_reason = http.post(f"{one}/suspend", json={"reason": "  "}, headers=bearer(registrar))
    assert no_reason.status_code == 422
    assert [e["pointer"] for e in no_reason.json()["errors"]] == ["#/body/reason"]
    suspended = http.post(f"{one}/suspend", json={"reason": "Appeal"}, headers=bearer(registrar))
    assert (suspended.json()["state"], suspended.json()["suspension_reason"]) == (
        "suspended",
        "Appeal",
    )
    report = verifying.verifier(session).verify(issued["credential"])
    assert report.problems == [Problem.SUSPENDED]
    assert http.post(f"{one}/reinstate", headers=bearer(registrar)).json()["state"] == "active"
    assert http.post(f"{one}/reinstate", headers=bearer(registrar)).status_code == 409

    revoked = http.post(f"{one}/revoke", json={"reason": "Wrong grade."}, headers=bearer(registrar))
    assert (revoked.json()["state"], revoked.json()["revocation_reason"]) == (
        "revoked",
        "Wrong grade.",
    )
    assert verifying.verifier(session).verify(issued["credential"]).problems == [Problem.REVOKED]
    assert (
        http.post(f"{one}/revoke", json={"reason": "Again"}, headers=bearer(registrar)).status_code
        == 409
    )
    assert (
        http.post(f"{one}/suspend", json={"reason": "Again"}, headers=bearer(registrar)).status_code
        == 409
    )


def test_bad_input_points_at_the_field(http: httpx.Client, session: Session) -> None:
    college = make_issuer(session)
    version = college.publish(session, "wound-care")
    award = make_award(session, college, version, make_person(session))
    other = make_issuer(session)
    foreign = make_award(session, other, other.publish(session, "wound-care"), make_person(session))
    registrar = _token(session, college, "registrar")
    session.commit()
    path = f"/api/v1/orgs/{college.org.id}/credentials"
    yesterday = (utcnow() - timedelta(days=1)).isoformat()

    for body, pointer in (
        ({"award_id": str(foreign.id)}, "#/body/award_id"),
        ({"award_id": str(award.id), "proof_format": "rsa"}, "#/body/proof_format"),
        ({"award_id": str(award.id), "valid_until": yesterday}, "#/body/valid_until"),
        ({"award_id": str(award.id), "valid_until": "2030-01-01T00:00:00"}, "#/body/valid_until"),
        (
            {"award_id": str(award.id), "evidence": [{"url": "ftp://example.org", "name": "x"}]},
            "#/body/evidence",
        ),
    ):
        answer = http.post(path, json=body, headers=bearer(registrar))
        assert answer.status_code == 422, body
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert [e["pointer"] for e in answer.json()["errors"]] == [pointer], body
    assert http.get(path, headers=bearer(registrar)).json() == []


def test_only_the_issuers_registrars_with_the_right_scopes(
    http: httpx.Client, session: Session
) -> None:
    college = make_issuer(session)
    award = make_award(
        session, college, college.publish(session, "wound-care"), make_person(session)
    )
    learner = make_member(session, college.org, Role.LEARNER)
    tokens = {
        "registrar": _token(session, college, "registrar"),
        "reader": _token(session, college, "registrar", [Scope.CATALOGUE_READ]),
        "educator": _token(session, college, "educator"),
        "learner": make_token(session, learner),
        "outsider": make_token(session, make_member(session, make_org(session), Role.HR_ADMIN)),
    }
    session.commit()
    path = f"/api/v1/orgs/{college.org.id}/credentials"
    body = {"award_id": str(award.id)}

    assert http.post(path, json=body, headers=bearer(tokens["reader"])).status_code == 403
    for who, status in (("educator", 403), ("learner", 403), ("outsider", 404)):
        assert http.post(path, json=body, headers=bearer(tokens[who])).status_code == status, who
        assert http.get(path, headers=bearer(tokens[who])).status_code == status, who
    issued = http.post(path, json=body, headers=bearer(tokens["registrar"])).json()
    one = f"{path}/{issued['id']}"
    assert http.get(one, headers=bearer(tokens["reader"])).status_code == 200
    for who, status in (("educator", 403), ("outsider", 404)):
        assert http.get(one, headers=bearer(tokens[who])).status_code == status, who
        revoke = http.post(f"{one}/revoke", json={"reason": "No"}, headers=bearer(tokens[who]))
        assert revoke.status_code == status, who
    # a credential is read under its own issuer only
    elsewhere = make_issuer(session)
    person = session.get(Person, elsewhere.registrar.person_id)
    assert person is not None
    theirs = make_token(session, person)
    session.commit()
    assert (
        http.get(
            f"/api/v1/orgs/{elsewhere.org.id}/credentials/{issued['id']}", headers=bearer(theirs)
        ).status_code
        == 404
    )
    assert http.get(one, headers=bearer(tokens["registrar"])).json()["state"] == "active"
