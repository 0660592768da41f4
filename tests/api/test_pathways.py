"""Pathways through the API: plan, save, show and re-plan one's own; nobody else's."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from cairn.kit.actor import Scope
from tests.factories.auth import make_token
from tests.factories.orgs import make_member
from tests.factories.pathways import make_world


def test_a_learner_plans_saves_and_replans_their_pathway(
    http: httpx.Client, session: Session
) -> None:
    world = make_world(session)
    tokens = {
        "learner": make_token(session, world.learner),
        "reader": make_token(session, world.learner, [Scope.PATHWAYS_READ]),
        "profile_only": make_token(session, world.learner, [Scope.PROFILE_READ]),
        "colleague": make_token(session, make_member(session, world.employer)),
        "outsider": make_token(session, make_member(session, world.college.org)),
    }
    session.commit()

    def as_(who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[who]}"}

    body = {"target_profile_id": str(world.profile.id), "budget_minor": 150_000}
    planned = http.post("/api/v1/me/pathways/plan", json=body, headers=as_("reader"))
    assert planned.status_code == 200, planned.text
    assert planned.json()["feasible"] is True
    assert planned.json()["out_of_pocket_minor"] == 100_000
    refused = http.post("/api/v1/me/pathways/plan", json=body, headers=as_("profile_only"))
    assert refused.status_code == 403
    assert refused.json()["type"] == "/api/v1/problems/insufficient_scope"
    assert (
        http.post("/api/v1/me/pathways/plan", json=body, headers=as_("outsider")).status_code == 404
    )
    assert http.post("/api/v1/me/pathways", json=body, headers=as_("reader")).status_code == 403

    short = http.post(
        "/api/v1/me/pathways", json={**body, "budget_minor": 90_000}, headers=as_("learner")
    )
    assert short.status_code == 422
    assert "Budget short by CA$100.00." in short.json()["detail"]

    saved = http.post("/api/v1/me/pathways", json=body, headers=as_("learner"))
    assert saved.status_code == 201, saved.text
    path = f"/api/v1/me/pathways/{saved.json()['id']}"
    assert [s["status"] for s in saved.json()["steps"]] == ["planned", "planned"]
    assert http.get(path, headers=as_("reader")).json()["title"] == saved.json()["title"]
    assert http.get(path, headers=as_("colleague")).status_code == 404
    assert http.post(f"{path}/replan", headers=as_("colleague")).status_code == 404
    assert http.post(f"{path}/replan", headers=as_("reader")).status_code == 403
    replanned = http.post(f"{path}/replan", headers=as_("learner"))
    assert replanned.status_code == 200, replanned.text
    assert replanned.json()["dropped"] == 2
    assert [p["id"] for p in http.get("/api/v1/me/pathways", headers=as_("learner")).json()] == [
        saved.json()["id"]
    ]
    assert http.post(f"{path}/archive", headers=as_("learner")).json()["status"] == "archived"
