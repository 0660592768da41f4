"""The wallet through the API: a learner lists, reads and imports credentials, shares one
with consent and revokes the link, and presents; nobody else reaches any of it."""

from __future__ import annotations

import json

import httpx
from sqlalchemy.orm import Session

from cairn.credentials import verifying
from cairn.credentials.verification import Verdict
from cairn.kit.actor import Role, Scope
from cairn.orgs.models import Person
from tests.factories.auth import make_token
from tests.factories.credentials import make_issued, make_issuer
from tests.factories.orgs import make_member, make_org, make_person
from tests.factories.wallet import make_foreign_credential


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_learner_imports_shares_revokes_and_presents(
    http: httpx.Client, session: Session
) -> None:
    college = make_issuer(session, name="Lakeshore College")
    learner = make_person(session, name="Lena Whitford")
    make_issued(session, college, college.publish(session, "wound-care"), learner)
    me = _bearer(make_token(session, learner))
    session.commit()

    [issued] = http.get("/api/v1/wallet/items", headers=me).json()
    assert (issued["title"], issued["source"]) == ("Wound care essentials", "issued")
    assert issued["verification"]["verdict"] == "verified"

    foreign = json.loads(make_foreign_credential("Forklift safety"))
    created = http.post("/api/v1/wallet/items", json={"credential": foreign}, headers=me)
    assert created.status_code == 201, created.text
    item = created.json()
    assert (item["title"], item["source"]) == ("Forklift safety", "json")
    assert item["verification"]["verified"] is True
    assert item["credential"]["issuer"]["name"] == "Harbour Training Co"
    again = http.post("/api/v1/wallet/items", json={"credential": foreign}, headers=me)
    assert again.status_code == 409

    read = http.get(f"/api/v1/wallet/items/{issued['id']}", headers=me).json()
    assert [check["check"] for check in read["verification"]["checks"]][:3] == [
        "format",
        "context",
        "schema",
    ]

    shares = f"/api/v1/wallet/items/{issued['id']}/shares"
    refused = http.post(shares, json={"expires_in_days": 7}, headers=me)
    assert refused.status_code == 422
    assert [error["pointer"] for error in refused.json()["errors"]] == ["#/body/consent"]
    too_long = http.post(shares, json={"consent": True, "expires_in_days": 400}, headers=me)
    assert too_long.status_code == 422
    made = http.post(shares, json={"consent": True, "audience": "Northwind HR"}, headers=me)
    assert made.status_code == 201, made.text
    link = made.json()
    assert link["state"] == "live"
    assert link["consent_text"].startswith("I agree that anyone with this link")
    public = link["url"].removeprefix("http://testserver.example")
    assert http.get(public).status_code == 200
    assert [s["views"] for s in http.get(shares, headers=me).json()] == [1]

    revoked = http.post(f"/api/v1/wallet/shares/{link['id']}/revoke", headers=me)
    assert revoked.json()["state"] == "revoked"
    assert http.get(public).status_code == 410

    presentation = http.post(
        "/api/v1/wallet/presentations",
        json={"item_ids": [issued["id"]], "challenge": "8d2f", "domain": "jobs.example"},
        headers=me,
    )
    assert presentation.status_code == 200, presentation.text
    report = verifying.verifier(session).verify_presentation(
        presentation.json(), challenge="8d2f", domain="jobs.example"
    )
    assert report.verdict is Verdict.VERIFIED, report.as_json()

    assert http.delete(f"/api/v1/wallet/items/{item['id']}", headers=me).status_code == 204
    assert [i["id"] for i in http.get("/api/v1/wallet/items", headers=me).json()] == [issued["id"]]


def test_a_jwt_is_imported_as_text_and_malformed_input_names_the_field(
    http: httpx.Client, session: Session
) -> None:
    learner = make_person(session)
    me = _bearer(make_token(session, learner))
    session.commit()

    not_json = http.post("/api/v1/wallet/items", json={"credential": "{oops"}, headers=me)
    not_a_credential = http.post(
        "/api/v1/wallet/items", json={"credential": {"hello": "world"}}, headers=me
    )

    for refused in (not_json, not_a_credential):
        assert refused.status_code == 422
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert [error["pointer"] for error in refused.json()["errors"]] == ["#/body/credential"]
    assert http.get("/api/v1/wallet/items", headers=me).json() == []


def test_nobody_else_reaches_a_learners_wallet_through_the_api(
    http: httpx.Client, session: Session
) -> None:
    college = make_issuer(session, name="Lakeshore College")
    learner = make_person(session)
    make_issued(session, college, college.publish(session, "wound-care"), learner)
    employer = make_org(session)
    make_member(session, employer, Role.LEARNER, person=learner)
    owner = _bearer(make_token(session, learner))
    reader = _bearer(make_token(session, learner, [Scope.PROFILE_READ]))
    others = {
        "another learner": make_person(session),
        "the issuer's registrar": session.get_one(Person, college.registrar.person_id),
        "the learner's employer's HR": make_member(session, employer, Role.HR_ADMIN),
    }
    tokens = {who: _bearer(make_token(session, person)) for who, person in others.items()}
    session.commit()
    [item] = http.get("/api/v1/wallet/items", headers=owner).json()
    link = http.post(
        f"/api/v1/wallet/items/{item['id']}/shares", json={"consent": True}, headers=owner
    ).json()

    for who, token in tokens.items():
        assert http.get("/api/v1/wallet/items", headers=token).json() == [], who
        for method, path, body in (
            ("GET", f"/api/v1/wallet/items/{item['id']}", None),
            ("GET", f"/api/v1/wallet/items/{item['id']}/shares", None),
            ("POST", f"/api/v1/wallet/items/{item['id']}/shares", {"consent": True}),
            ("POST", f"/api/v1/wallet/shares/{link['id']}/revoke", None),
            ("DELETE", f"/api/v1/wallet/items/{item['id']}", None),
            (
                "POST",
                "/api/v1/wallet/presentations",
                {"item_ids": [item["id"]], "challenge": "c", "domain": "d"},
            ),
        ):
            response = http.request(method, path, json=body, headers=token)
            assert response.status_code == 404, (who, method, path, response.status_code)

    assert http.get("/api/v1/wallet/items").status_code == 401
    scoped = http.post(
        f"/api/v1/wallet/items/{item['id']}/shares", json={"consent": True}, headers=reader
    )
    assert scoped.status_code == 403
    assert scoped.json()["type"].endswith("/insufficient_scope")
    [still] = http.get(f"/api/v1/wallet/items/{item['id']}/shares", headers=owner).json()
    assert still["state"] == "live"
