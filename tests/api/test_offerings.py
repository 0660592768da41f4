"""Offerings and enrolments through the API: a provider adds a run, a learner is quoted,
enrols at that split and sees it under their enrolments; other organisations get 404,
missing roles 403, tokens without the scope are refused."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from cairn.kit.actor import Role, Scope
from tests.factories.auth import make_token
from tests.factories.catalogue import make_funded_course
from tests.factories.orgs import make_member, make_org

OFFERING = {
    "provider_org_id": "",
    "code": "DA-2031-09",
    "starts_on": "2031-09-01",
    "ends_on": "2031-10-30",
    "delivery": "online",
    "language": "en",
    "hours": 30,
    "price_minor": 90000,
    "currency": "SGD",
}


def test_a_provider_adds_a_run_and_a_learner_enrols_at_the_split_quoted(
    http: httpx.Client, session: Session
) -> None:
    course = make_funded_course(session)
    tokens = {
        "educator": make_token(session, course.educator),
        "learner": make_token(session, course.learner),
        "college learner": make_token(session, make_member(session, course.college, Role.LEARNER)),
        "outsider": make_token(session, make_member(session, make_org(session), Role.EDUCATOR)),
        "reader": make_token(session, course.learner, [Scope.ACCOUNTS_READ]),
        "no catalogue": make_token(session, course.educator, [Scope.CATALOGUE_READ]),
    }
    session.commit()

    def as_(who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[who]}"}

    path = f"/api/v1/specifications/{course.version.id}/offerings"
    body = {**OFFERING, "provider_org_id": str(course.college.id)}
    assert http.post(path, json=body, headers=as_("outsider")).status_code == 404
    assert http.post(path, json=body, headers=as_("college learner")).status_code == 403
    refused = http.post(path, json=body, headers=as_("no catalogue"))
    assert refused.json()["type"] == "/api/v1/problems/insufficient_scope"
    bad = http.post(path, json={**body, "price_minor": -5}, headers=as_("educator"))
    assert bad.status_code == 422
    assert [e["pointer"] for e in bad.json()["errors"]] == ["#/body/price_minor"]
    created = http.post(path, json=body, headers=as_("educator"))
    assert created.status_code == 201, created.text
    assert [o["code"] for o in http.get(path).json()] == ["DA-2031-03", "DA-2031-09"]

    offering = f"/api/v1/offerings/{course.offering.id}"
    assert http.get(offering).json()["price_minor"] == 100000
    quote = http.post(f"{offering}/quote", headers=as_("reader"))
    assert quote.status_code == 200
    assert quote.json()["copay_minor"] == 10000
    expected = quote.json()
    refused = http.post(
        f"{offering}/enrolments", json={"expected": expected}, headers=as_("reader")
    )
    assert refused.status_code == 403
    changed = {**expected, "copay_minor": 0}
    conflict = http.post(
        f"{offering}/enrolments", json={"expected": changed}, headers=as_("learner")
    )
    assert conflict.status_code == 409
    assert conflict.json()["type"] == "/api/v1/problems/quote_changed"
    enrolled = http.post(
        f"{offering}/enrolments", json={"expected": expected}, headers=as_("learner")
    )
    assert enrolled.status_code == 201, enrolled.text
    enrolment = enrolled.json()
    assert (enrolment["subsidy_minor"], enrolment["credit_minor"]) == (50000, 30000)
    mine = http.get("/api/v1/me/enrolments", headers=as_("reader")).json()
    assert [e["id"] for e in mine] == [enrolment["id"]]

    complete = f"/api/v1/enrolments/{enrolment['id']}/complete"
    assert http.post(complete, headers=as_("outsider")).status_code == 404
    assert http.post(complete, headers=as_("college learner")).status_code == 403
    assert http.post(complete, headers=as_("learner")).status_code == 403
    done = http.post(complete, headers=as_("educator"))
    assert done.json()["status"] == "completed"
    late = http.post(f"/api/v1/enrolments/{enrolment['id']}/withdraw", headers=as_("learner"))
    assert late.status_code == 409


def test_a_learner_withdraws_and_a_provider_cancels(http: httpx.Client, session: Session) -> None:
    course = make_funded_course(session)
    learner, educator = make_token(session, course.learner), make_token(session, course.educator)
    session.commit()
    offering = f"/api/v1/offerings/{course.offering.id}"
    as_learner = {"Authorization": f"Bearer {learner}"}
    expected = http.post(f"{offering}/quote", headers=as_learner).json()
    enrolment = http.post(
        f"{offering}/enrolments", json={"expected": expected}, headers=as_learner
    ).json()
    withdrawn = http.post(f"/api/v1/enrolments/{enrolment['id']}/withdraw", headers=as_learner)
    assert withdrawn.json()["status"] == "withdrawn"
    as_educator = {"Authorization": f"Bearer {educator}"}
    assert http.post(f"{offering}/cancel", headers=as_learner).status_code == 404
    cancelled = http.post(f"{offering}/cancel", headers=as_educator)
    assert cancelled.json()["status"] == "cancelled"
    assert http.post(f"{offering}/quote", headers=as_learner).status_code == 409
