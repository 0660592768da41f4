"""``POST .../skill-profile/suggestions``: skills a job description names, with proposed
levels; kept by putting the profile back with the chosen items."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from cairn.kit.actor import Role, Scope
from tests.factories.auth import make_token
from tests.factories.intelligence import make_linkable_framework
from tests.factories.orgs import make_department, make_member, make_org, make_position
from tests.factories.taxonomy import make_framework, make_skill

AD = "- Extensive experience with forklift operation\n- Basic data analysis is nice to have\n"
EDITING = [Scope.ORGS_READ, Scope.ORGS_WRITE]


def test_suggestions_with_levels_are_kept_through_the_profile(
    http: httpx.Client, session: Session
) -> None:
    linkable = make_linkable_framework(session)
    org = make_org(session)
    role = make_position(session, org, title="Warehouse lead")
    token = make_token(session, make_member(session, org, Role.HR_ADMIN), EDITING)
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/orgs/{org.id}/positions/{role.id}/skill-profile"

    answer = http.post(
        f"{url}/suggestions",
        json={"text": AD, "framework": linkable.framework.slug, "top": 5},
        headers=headers,
    )

    assert answer.status_code == 200, answer.text
    items = {item["label"]: item for item in answer.json()["items"]}
    forklift = items["forklift operation"]
    assert {
        key: forklift[key]
        for key in ("target_level", "target_label", "cue", "level_reason", "in_profile")
    } == {
        "target_level": 3,
        "target_label": "Expert",
        "cue": "top",
        "level_reason": "Extensive experience with",
        "in_profile": False,
    }
    assert AD[forklift["start"] : forklift["end"]] == forklift["quote"]
    assert (items["data analysis"]["target_level"], items["data analysis"]["cue"]) == (1, "lowest")
    assert http.get(url, headers=headers).json()["items"] == []  # nothing stored

    kept = http.put(
        url,
        json={"items": [{"skill_id": forklift["skill_id"], "target_level": 3}]},
        headers=headers,
    )
    assert kept.status_code == 200
    again = http.post(
        f"{url}/suggestions",
        json={"text": AD, "framework": linkable.framework.slug},
        headers=headers,
    )
    marked = {item["label"]: item for item in again.json()["items"]}["forklift operation"]
    assert (marked["in_profile"], marked["current_level"]) == (True, 3)


def test_a_department_is_refused_to_learners_and_unknown_to_outsiders(
    http: httpx.Client, session: Session
) -> None:
    linkable = make_linkable_framework(session)
    org = make_org(session)
    department = make_department(session, org, name="Warehouse")
    url = f"/api/v1/orgs/{org.id}/departments/{department.id}/skill-profile/suggestions"
    body = {"text": AD, "framework": linkable.framework.slug}
    learner = make_token(session, make_member(session, org, Role.LEARNER), EDITING)
    outsider = make_token(session, make_member(session, make_org(session), Role.HR_ADMIN), EDITING)
    admin = make_token(session, make_member(session, org, Role.HR_ADMIN), EDITING)

    refused = http.post(url, json=body, headers={"Authorization": f"Bearer {learner}"})
    assert refused.status_code == 403
    unknown = http.post(url, json=body, headers={"Authorization": f"Bearer {outsider}"})
    assert unknown.status_code == 404
    allowed = http.post(url, json=body, headers={"Authorization": f"Bearer {admin}"})
    assert allowed.status_code == 200


def test_bad_input_and_missing_embeddings_are_problems(
    http: httpx.Client, session: Session
) -> None:
    org = make_org(session)
    role = make_position(session, org)
    fresh = make_framework(session, slug="fresh-skills")
    make_skill(session, fresh, "cook meals")
    token = make_token(session, make_member(session, org, Role.HR_ADMIN), EDITING)
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/orgs/{org.id}/positions/{role.id}/skill-profile/suggestions"

    empty = http.post(url, json={"text": "!!!", "framework": "fresh-skills"}, headers=headers)
    assert empty.status_code == 422
    assert [error["pointer"] for error in empty.json()["errors"]] == ["#/body/text"]

    too_many = http.post(url, json={"text": AD, "top": 101}, headers=headers)
    assert too_many.status_code == 422
    assert [error["pointer"] for error in too_many.json()["errors"]] == ["#/body/top"]

    missing = http.post(url, json={"text": AD, "framework": "fresh-skills"}, headers=headers)
    assert missing.status_code == 409
    assert missing.json()["type"] == "/api/v1/problems/conflict"
    assert "cairn skills index --framework fresh-skills@1.0" in missing.json()["detail"]
