"""Suggested skills for a draft's outcomes through the API: read them, keep some through
the ordinary PATCH of the draft; only the issuer's editors, only while it is a draft."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from cairn.kit.actor import Role, Scope
from cairn.orgs.enums import OrgKind
from tests.factories.auth import make_token
from tests.factories.catalogue import WAREHOUSE_OUTCOMES, make_warehouse_draft
from tests.factories.intelligence import make_linkable_framework
from tests.factories.orgs import actor, make_member, make_org

SCOPES = [Scope.CATALOGUE_READ, Scope.CATALOGUE_WRITE]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_suggestions_are_read_and_kept_through_the_draft(
    http: httpx.Client, session: Session
) -> None:
    college = make_org(session, kind=OrgKind.PROVIDER)
    person = make_member(session, college, Role.EDUCATOR)
    educator = make_token(session, person, SCOPES)
    reader = make_token(session, person, [Scope.CATALOGUE_READ])
    linkable = make_linkable_framework(session, slug="everyday")
    forklift = str(linkable.skill_id("forklift operation"))
    draft = make_warehouse_draft(session, actor(session, person), college)
    session.commit()
    path = f"/api/v1/specifications/{draft.id}"

    answer = http.get(
        f"{path}/alignment-suggestions",
        params={"framework": "everyday", "top": 2},
        headers=bearer(educator),
    )

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["version_id"] == str(draft.id)
    assert body["framework"]["slug"] == "everyday"
    assert [level["label"] for level in body["levels"]] == ["Beginner", "Practised", "Expert"]
    first, _, poem = body["outcomes"]
    assert (first["position"], first["statement"]) == (1, WAREHOUSE_OUTCOMES[0])
    assert (first["skill_id"], first["level"]) == (None, None)
    assert 1 <= len(first["suggestions"]) <= 2
    best = first["suggestions"][0]
    assert best["skill_id"] == forklift
    assert first["statement"][best["start"] : best["end"]] == best["quote"]
    assert poem["suggestions"] == []

    outcomes = [
        {"statement": o["statement"], "skill_id": o["skill_id"], "level": o["level"]}
        for o in body["outcomes"]
    ]
    outcomes[0].update(skill_id=best["skill_id"], level=3)
    kept = http.patch(path, json={"outcomes": outcomes}, headers=bearer(educator))
    assert kept.status_code == 200, kept.text
    assert [(o["skill_id"], o["level"]) for o in kept.json()["outcomes"]] == [
        (forklift, 3),
        (None, None),
        (None, None),
    ]
    again = http.get(f"{path}/alignment-suggestions", headers=bearer(educator)).json()
    assert again["framework"]["slug"] == "everyday"  # the framework already in use
    assert (again["outcomes"][0]["skill_id"], again["outcomes"][0]["level"]) == (forklift, 3)

    refused = http.get(f"{path}/alignment-suggestions", headers=bearer(reader))
    assert refused.status_code == 403
    assert refused.json()["type"] == "/api/v1/problems/insufficient_scope"
    too_many = http.get(
        f"{path}/alignment-suggestions", params={"top": 0}, headers=bearer(educator)
    )
    assert too_many.status_code == 422
    assert [e["pointer"] for e in too_many.json()["errors"]] == ["#/query/top"]
    unknown = http.get(
        f"{path}/alignment-suggestions", params={"framework": "nope"}, headers=bearer(educator)
    )
    assert unknown.status_code == 422
    assert [e["pointer"] for e in unknown.json()["errors"]] == ["#/query/framework"]


def test_strangers_learners_and_versions_past_draft_are_refused(
    http: httpx.Client, session: Session
) -> None:
    college = make_org(session, kind=OrgKind.PROVIDER)
    person = make_member(session, college, Role.EDUCATOR)
    educator = make_token(session, person, SCOPES)
    learner = make_token(session, make_member(session, college, Role.LEARNER), SCOPES)
    stranger = make_token(
        session, make_member(session, make_org(session, kind=OrgKind.PROVIDER), Role.EDUCATOR)
    )
    make_linkable_framework(session, slug="everyday")
    draft = make_warehouse_draft(session, actor(session, person), college)
    session.commit()
    path = f"/api/v1/specifications/{draft.id}/alignment-suggestions?framework=everyday"

    assert http.get(path, headers=bearer(stranger)).status_code == 404
    assert http.get(path, headers=bearer(learner)).status_code == 403
    assert http.get(path).status_code == 401

    http.post(f"/api/v1/specifications/{draft.id}/submit-for-review", headers=bearer(educator))
    locked = http.get(path, headers=bearer(educator))
    assert locked.status_code == 409
    assert "Only a draft can be changed" in locked.json()["detail"]
