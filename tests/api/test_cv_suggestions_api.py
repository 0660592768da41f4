"""Skills from my CV over the API: suggestions that store nothing, and claims recorded as
the caller's own self-reported evidence, for "me" only."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.assessment.models import Evidence
from cairn.kit.actor import Scope
from tests.api.test_api_contract import assert_problem, bearer
from tests.factories.auth import make_token
from tests.factories.intelligence import make_linkable_framework
from tests.factories.orgs import make_member, make_org
from tests.profiles.test_cv_suggestions import CV, assert_cv_not_stored

SCOPES = [Scope.ASSESSMENT_READ, Scope.ASSESSMENT_WRITE, Scope.PROFILE_READ]


def test_suggestions_then_claims_show_in_my_profile_as_self_reported(
    http: httpx.Client, session: Session
) -> None:
    linkable = make_linkable_framework(session)
    learner = make_member(session, make_org(session))
    headers = bearer(make_token(session, learner, SCOPES))

    answer = http.post(
        "/api/v1/me/skills/suggestions",
        json={"text": CV, "framework": linkable.framework.slug, "top": 10},
        headers=headers,
    )

    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["framework"] == {"slug": linkable.framework.slug, "version": "1.0"}
    by_label = {item["label"]: item for item in found["items"]}
    assert {"cook meals", "customer service", "use spreadsheets software"} <= set(by_label)
    spreadsheets = by_label["use spreadsheets software"]
    assert CV[spreadsheets["start"] : spreadsheets["end"]] == spreadsheets["quote"]
    assert (spreadsheets["has_evidence"], spreadsheets["current"]) == (False, None)
    assert spreadsheets["default_level"] == 1
    assert [level["label"] for level in spreadsheets["levels"]] == [
        "Beginner",
        "Practised",
        "Expert",
    ]

    claimed = http.post(
        "/api/v1/me/skills/claims",
        json={
            "items": [
                {"skill_id": spreadsheets["skill_id"]},
                {"skill_id": by_label["cook meals"]["skill_id"], "level": 3},
            ]
        },
        headers=headers,
    )

    assert claimed.status_code == 201, claimed.text
    assert [(c["level"], c["source"], c["comment"]) for c in claimed.json()] == [
        (1, "self_assessment", "From my CV"),
        (3, "self_assessment", "From my CV"),
    ]
    skills = http.get("/api/v1/me/skills", headers=headers).json()
    assert sorted((s["label"], s["level"], s["source"]) for s in skills) == [
        ("cook meals", 3, "self_assessment"),
        ("use spreadsheets software", 1, "self_assessment"),
    ]
    again = http.post(
        "/api/v1/me/skills/suggestions",
        json={"text": CV, "framework": linkable.framework.slug},
        headers=headers,
    ).json()
    cooking = next(item for item in again["items"] if item["label"] == "cook meals")
    assert cooking["has_evidence"] is True
    assert cooking["current"] == {"level": 3, "source": "self_assessment"}
    assert_cv_not_stored(session)


def test_claims_are_only_ever_for_the_caller(http: httpx.Client, session: Session) -> None:
    linkable = make_linkable_framework(session)
    org = make_org(session)
    learner, other = make_member(session, org), make_member(session, org)
    skill = linkable.skill_id("cook meals")

    answer = http.post(
        "/api/v1/me/skills/claims",
        json={"person_id": str(learner.id), "items": [{"skill_id": str(skill), "level": 2}]},
        headers=bearer(make_token(session, other, SCOPES)),
    )

    assert answer.status_code == 201
    session.expire_all()
    owners = session.scalars(select(Evidence.person_id).where(Evidence.skill_id == skill)).all()
    assert owners == [other.id]


def test_refusals_are_problem_details_naming_the_item(http: httpx.Client, session: Session) -> None:
    linkable = make_linkable_framework(session)
    private = make_linkable_framework(session, owner_org_id=make_org(session).id)
    learner = make_member(session, make_org(session))
    headers = bearer(make_token(session, learner, SCOPES))

    unseen = http.post(
        "/api/v1/me/skills/claims",
        json={
            "items": [
                {"skill_id": str(linkable.skill_id("SQL"))},
                {"skill_id": str(private.skill_id("SQL"))},
            ]
        },
        headers=headers,
    )
    body = assert_problem(unseen, 422, "invalid_input")
    assert [e["pointer"] for e in body["errors"]] == ["#/body/items/1/skill_id"]  # type: ignore[attr-defined]

    empty = http.post(
        "/api/v1/me/skills/suggestions",
        json={"text": "   ", "framework": linkable.framework.slug},
        headers=headers,
    )
    body = assert_problem(empty, 422, "invalid_input")
    assert [e["pointer"] for e in body["errors"]] == ["#/body/text"]  # type: ignore[attr-defined]

    profile_only = bearer(make_token(session, learner, [Scope.PROFILE_READ]))
    refused = http.post("/api/v1/me/skills/suggestions", json={"text": CV}, headers=profile_only)
    assert_problem(refused, 403, "insufficient_scope")
    session.expire_all()
    assert session.scalars(select(Evidence).where(Evidence.person_id == learner.id)).all() == []
