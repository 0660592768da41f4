"""Co-design through the API: a need is posted, proposed to, reviewed, revised and agreed,
with the whole thread and its audit trail in one read; organisations the need does not
reach get 404; networks are started, joined and left."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from cairn.kit.actor import Role, Scope
from cairn.orgs.enums import OrgKind
from tests.factories.auth import make_token
from tests.factories.catalogue import make_network
from tests.factories.orgs import make_member, make_org
from tests.factories.taxonomy import make_framework, make_skill

SCOPES = [Scope.CATALOGUE_READ, Scope.CATALOGUE_WRITE]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_need_is_proposed_to_reviewed_and_agreed_and_outsiders_get_404(
    http: httpx.Client, session: Session
) -> None:
    employer = make_org(session, name="Northwind Health")
    college = make_org(session, name="Lakeshore College", kind=OrgKind.PROVIDER)
    far = make_org(session, name="Far College", kind=OrgKind.PROVIDER)
    network = make_network(session, employer, college)
    hr = bearer(make_token(session, make_member(session, employer, Role.HR_ADMIN), SCOPES))
    educator = bearer(make_token(session, make_member(session, college, Role.EDUCATOR), SCOPES))
    outsider = bearer(make_token(session, make_member(session, far, Role.EDUCATOR), SCOPES))
    learner = bearer(make_token(session, make_member(session, employer), SCOPES))
    skill = make_skill(session, make_framework(session), "keep patient records")
    session.commit()

    need = {
        "title": "Digital documentation for ward clerks",
        "headcount": 40,
        "network_id": str(network.id),
        "skills": [{"skill_id": str(skill.id), "level": 7}],
    }
    refused = http.post(f"/api/v1/orgs/{employer.id}/needs", json=need, headers=hr)
    assert refused.status_code == 422
    assert [e["pointer"] for e in refused.json()["errors"]] == ["#/body/skills/0/level"]
    need["skills"] = [{"skill_id": str(skill.id), "level": 2}]
    posted = http.post(f"/api/v1/orgs/{employer.id}/needs", json=need, headers=hr)
    assert posted.status_code == 201, posted.text
    path = f"/api/v1/needs/{posted.json()['id']}"
    assert posted.json()["skills"][0]["level_label"] == "Practised"

    for stranger in (outsider, learner):
        assert http.get(path, headers=stranger).status_code == 404
    assert http.get("/api/v1/needs", headers=learner).json() == []
    assert (
        http.post(
            f"{path}/proposals", json={"org_id": str(far.id), "title": "Ours"}, headers=outsider
        ).status_code
        == 404
    )

    proposal = http.post(
        f"{path}/proposals",
        json={"org_id": str(college.id), "title": "Ward records"},
        headers=educator,
    ).json()
    at = f"/api/v1/proposals/{proposal['id']}"
    assert http.post(f"{at}/agree", json={}, headers=educator).status_code == 403
    asked = http.post(f"{at}/request-changes", json={"note": "Add nights."}, headers=hr)
    assert asked.json()["status"] == "changes_requested"
    assert http.post(f"{at}/agree", json={}, headers=hr).status_code == 409
    revised = http.post(f"{at}/revise", json={"summary": "Now with nights."}, headers=educator)
    assert (revised.json()["status"], revised.json()["revision"]) == ("submitted", 2)
    assert http.post(f"{at}/agree", json={}, headers=hr).json()["status"] == "agreed"

    thread = http.get(path, headers=educator).json()
    assert thread["status"] == "agreed"
    assert [c["body"] for c in thread["comments"]] == ["Add nights."]
    assert [e["action"] for e in thread["events"]] == [
        "need_posted",
        "proposal_submitted",
        "changes_requested",
        "proposal_revised",
        "proposal_agreed",
    ]
    reply = http.post(
        f"{path}/comments",
        json={"body": "Thank you.", "parent_id": thread["comments"][0]["id"]},
        headers=educator,
    )
    assert reply.status_code == 201
    assert reply.json()["comments"][1]["proposal_id"] == proposal["id"]


def test_networks_are_started_joined_and_left(http: httpx.Client, session: Session) -> None:
    employer = make_org(session, name="Northwind Health")
    college = make_org(session, name="Lakeshore College", kind=OrgKind.PROVIDER)
    hr = bearer(make_token(session, make_member(session, employer, Role.HR_ADMIN), SCOPES))
    registrar = bearer(
        make_token(session, make_member(session, college, Role.ISSUER_ADMIN), SCOPES)
    )
    session.commit()

    made = http.post(
        "/api/v1/networks",
        json={"org_id": str(employer.id), "name": "Health Workforce", "kind": "regional"},
        headers=hr,
    )
    assert made.status_code == 201, made.text
    path = f"/api/v1/networks/{made.json()['id']}"
    joined = http.post(f"{path}/join", json={"org_id": str(college.id)}, headers=registrar)
    assert [m["name"] for m in joined.json()["members"]] == [
        "Lakeshore College",
        "Northwind Health",
    ]
    assert (
        http.post(f"{path}/join", json={"org_id": str(college.id)}, headers=hr).status_code == 404
    )
    left = http.post(f"{path}/leave", json={"org_id": str(college.id)}, headers=registrar)
    assert left.status_code == 204
    listed = http.get("/api/v1/networks", headers=registrar).json()
    assert [(n["name"], len(n["members"])) for n in listed] == [("Health Workforce", 1)]
