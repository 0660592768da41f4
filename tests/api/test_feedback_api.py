"""Surveys through the API: a learner finds the survey an award brought, an answer off
the scale points at its field, answering twice conflicts, and results come per version."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from cairn.kit.actor import Role
from cairn.orgs.models import Person
from tests.factories.auth import make_token
from tests.factories.credentials import answer, make_award, make_issuer
from tests.factories.orgs import make_member, make_person


def test_a_learner_answers_a_survey_and_the_issuer_reads_the_results(
    http: httpx.Client, session: Session
) -> None:
    college = make_issuer(session)
    version = college.publish(session, "wound-care")
    others = [make_person(session) for _ in range(4)]
    for person in others:
        make_award(session, college, version, person)
        answer(session, person, version, relevance=3, quality=5, comment="Hands-on")
    learner = make_person(session)
    make_award(session, college, version, learner)
    educator = session.get(Person, college.educator.person_id)
    assert educator is not None
    tokens = {
        "learner": make_token(session, learner),
        "other": make_token(session, others[0]),
        "educator": make_token(session, educator),
        "college learner": make_token(session, make_member(session, college.org, Role.LEARNER)),
    }
    session.commit()

    def as_(who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[who]}"}

    [survey] = http.get("/api/v1/me/surveys", headers=as_("learner")).json()
    assert (survey["kind"], survey["questions"]) == (
        "learner_completion",
        ["relevance", "quality", "employer_may_be_asked", "comment"],
    )
    path = f"/api/v1/surveys/{survey['token']}"
    assert http.get(path, headers=as_("other")).status_code == 404
    off_scale = http.post(
        f"{path}/answer", json={"relevance": 0, "quality": 4}, headers=as_("learner")
    )
    assert off_scale.status_code == 422
    assert [e["pointer"] for e in off_scale.json()["errors"]] == ["#/body/relevance"]
    answered = http.post(
        f"{path}/answer", json={"relevance": 5, "quality": 5}, headers=as_("learner")
    )
    assert answered.status_code == 201
    assert answered.json()["answered"] is True
    again = http.post(f"{path}/answer", json={"relevance": 5, "quality": 5}, headers=as_("learner"))
    assert again.status_code == 409

    public = http.get(f"/api/v1/specifications/{version.id}/feedback", headers=as_("learner"))
    completion = public.json()["surveys"][0]
    assert (completion["responses"], completion["shown"], completion["comments"]) == (5, True, None)
    assert completion["mean_relevance"] == 3.4
    dashboard = http.get(f"/api/v1/orgs/{college.org.id}/feedback", headers=as_("educator"))
    assert dashboard.json()["specifications"][0]["surveys"][0]["comments"] == ["Hands-on"] * 4
    refused = http.get(f"/api/v1/orgs/{college.org.id}/feedback", headers=as_("college learner"))
    assert refused.status_code == 403
