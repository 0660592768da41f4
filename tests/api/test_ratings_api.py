"""The ratings API as a script meets it: self-assessments, peer rating requests answered or
declined once, and manager's ratings, with problem details for every refusal."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from cairn.kit.actor import Role, Scope
from tests.api.test_api_contract import assert_problem, bearer
from tests.factories.auth import make_token
from tests.factories.orgs import make_member, make_org
from tests.factories.taxonomy import make_small_framework

RATING_SCOPES = [Scope.ASSESSMENT_READ, Scope.ASSESSMENT_WRITE]


def test_a_self_assessment_comes_back_as_recorded_evidence(
    http: httpx.Client, session: Session
) -> None:
    skill = make_small_framework(session).skill
    learner = make_member(session, make_org(session))
    token = make_token(session, learner, RATING_SCOPES)

    invalid = http.post(
        "/api/v1/me/self-assessments",
        json={"ratings": [{"skill_id": str(skill.id), "level": 8}]},
        headers=bearer(token),
    )
    body = assert_problem(invalid, 422, "invalid_input")
    assert [e["pointer"] for e in body["errors"]] == ["#/body/ratings/0/level"]  # type: ignore[attr-defined]

    answer = http.post(
        "/api/v1/me/self-assessments",
        json={"ratings": [{"skill_id": str(skill.id), "level": 2}], "comment": "Practised"},
        headers=bearer(token),
    )
    assert answer.status_code == 201
    [rating] = answer.json()
    assert rating["source"] == "self_assessment"
    assert (rating["level"], rating["confidence"], rating["recorded_by_id"]) == (2, 0.5, None)
    assert rating["comment"] == "Practised"

    read_only = make_token(session, learner, [Scope.ASSESSMENT_READ])
    refused = http.post(
        "/api/v1/me/self-assessments",
        json={"ratings": [{"skill_id": str(skill.id), "level": 2}]},
        headers=bearer(read_only),
    )
    assert_problem(refused, 403, "insufficient_scope")


def test_a_peer_rating_request_is_asked_listed_and_answered_once(
    http: httpx.Client, session: Session
) -> None:
    skill = make_small_framework(session).skill
    org = make_org(session)
    learner, colleague = make_member(session, org), make_member(session, org)
    mine = bearer(make_token(session, learner, RATING_SCOPES))
    theirs = bearer(make_token(session, colleague, RATING_SCOPES))

    created = http.post(
        "/api/v1/me/rating-requests",
        json={"rater_email": colleague.email, "skill_ids": [str(skill.id)]},
        headers=mine,
    )
    assert created.status_code == 201, created.text
    request = created.json()
    assert (request["status"], request["other_name"]) == ("open", colleague.display_name)
    waiting = http.get("/api/v1/me/rating-requests", headers=theirs).json()
    assert [r["id"] for r in waiting["received"]] == [request["id"]]
    assert waiting["sent"] == []

    answer_url = f"/api/v1/me/rating-requests/{request['id']}/answer"
    rating = {"ratings": [{"skill_id": str(skill.id), "level": 3}]}
    assert_problem(http.post(answer_url, json=rating, headers=mine), 403, "permission_denied")
    answered = http.post(answer_url, json=rating, headers=theirs)
    assert answered.status_code == 201
    assert answered.json()[0]["source"] == "peer_rating"
    assert answered.json()[0]["recorded_by_id"] == str(colleague.id)
    assert_problem(http.post(answer_url, json=rating, headers=theirs), 409, "conflict")
    declined = http.post(
        f"/api/v1/me/rating-requests/{request['id']}/decline", json={}, headers=theirs
    )
    assert_problem(declined, 409, "conflict")
    sent = http.get("/api/v1/me/rating-requests", headers=mine).json()["sent"]
    assert [r["status"] for r in sent] == ["answered"]


def test_a_manager_rates_a_member_of_their_organisation_only(
    http: httpx.Client, session: Session
) -> None:
    skill = make_small_framework(session).skill
    org = make_org(session)
    learner = make_member(session, org)
    manager = bearer(make_token(session, make_member(session, org, Role.MANAGER), RATING_SCOPES))
    peer = bearer(make_token(session, make_member(session, org), RATING_SCOPES))
    outsider = bearer(
        make_token(session, make_member(session, make_org(session), Role.HR_ADMIN), RATING_SCOPES)
    )
    url = f"/api/v1/orgs/{org.id}/people/{learner.id}/ratings"
    body = {"ratings": [{"skill_id": str(skill.id), "level": 1}], "comment": "New starter"}

    assert_problem(http.post(url, json=body, headers=outsider), 404, "not_found")
    assert_problem(http.post(url, json=body, headers=peer), 403, "permission_denied")
    answer = http.post(url, json=body, headers=manager)

    assert answer.status_code == 201
    [rating] = answer.json()
    assert (rating["source"], rating["org_id"], rating["confidence"]) == (
        "manager_rating",
        str(org.id),
        0.7,
    )
