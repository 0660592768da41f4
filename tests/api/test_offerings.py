"""Offerings and enrolments through the API: a provider adds a run, a learner is quoted,
enrols at that split and sees it under their enrolments; a split that changed meanwhile is
answered with the new one to confirm; other organisations get 404, missing roles 403,
tokens without the scope are refused."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.accounts.models import Participant
from cairn.kit.actor import Role, Scope
from tests.factories.accounts import make_credit
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


def test_a_changed_split_answers_the_new_one_to_confirm_instead(
    http: httpx.Client, session: Session
) -> None:
    course = make_funded_course(session)
    token = make_token(session, course.learner)
    session.commit()
    as_learner = {"Authorization": f"Bearer {token}"}
    offering = f"/api/v1/offerings/{course.offering.id}"
    seen = http.post(f"{offering}/quote", headers=as_learner).json()
    # More allowance arrives between the quote and the confirmation.
    participant = session.scalars(
        select(Participant).where(
            Participant.program_id == course.employer_program.id,
            Participant.person_id == course.learner.id,
        )
    ).one()
    make_credit(session, participant, 4000, tier="allowance")
    session.commit()

    conflict = http.post(f"{offering}/enrolments", json={"expected": seen}, headers=as_learner)

    assert conflict.status_code == 409
    assert conflict.headers["content-type"] == "application/problem+json"
    problem = conflict.json()
    assert problem["type"] == "/api/v1/problems/quote_changed"
    assert problem["quote"] == http.post(f"{offering}/quote", headers=as_learner).json()
    assert (seen["copay_minor"], problem["quote"]["copay_minor"]) == (10000, 8000)
    assert http.get("/api/v1/me/enrolments", headers=as_learner).json() == []
    enrolled = http.post(
        f"{offering}/enrolments", json={"expected": problem["quote"]}, headers=as_learner
    )
    assert enrolled.status_code == 201, enrolled.text
    assert enrolled.json()["quote"] == problem["quote"]
    assert enrolled.json()["copay_minor"] == 8000


def test_the_reference_documents_the_new_split_of_quote_changed(http: httpx.Client) -> None:
    page = http.get("/api/v1/docs").text
    row = page[page.index('id="problem-quote_changed"') :]
    assert "The quote member holds the new split" in row[: row.index("</tr>")]
    spec = http.get("/api/v1/openapi.json").json()
    enrol = spec["paths"]["/api/v1/offerings/{offering_id}/enrolments"]["post"]
    [schema] = [body["schema"] for body in enrol["responses"]["409"]["content"].values() if body]
    problem = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    assert "quote" in problem["properties"]
