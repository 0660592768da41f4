"""Campaigns through the JSON API: a script drafts, launches, reminds, reads progress and
closes, with the assessment scopes; outsiders and learners are refused."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.assessment.enums import CampaignStatus
from cairn.assessment.models import Campaign
from cairn.kit.actor import Role, Scope
from cairn.kit.clock import utcnow
from cairn.kit.mail import OutboxMessage
from tests.api.test_api_contract import assert_problem, bearer
from tests.factories.assessment import make_attempt, make_bank, make_campaign
from tests.factories.auth import make_token
from tests.factories.orgs import make_department, make_member, make_org


def test_a_script_runs_a_campaign_from_draft_to_close(http: httpx.Client, session: Session) -> None:
    org = make_org(session)
    docks = make_department(session, org, name="Docks")
    cranes = make_department(session, org, name="Cranes", parent=docks)
    people = [make_member(session, org, department=cranes) for _ in range(2)]
    bank = make_bank(session)
    admin = make_member(session, org, Role.HR_ADMIN)
    token = bearer(make_token(session, admin, [Scope.ASSESSMENT_READ, Scope.ASSESSMENT_WRITE]))
    session.commit()
    base = f"/api/v1/orgs/{org.id}/campaigns"

    created = http.post(
        base,
        headers=token,
        json={
            "title": "Safety basics",
            "bank_id": str(bank.id),
            "deadline": (utcnow() + timedelta(days=7)).isoformat(),
            "department_ids": [str(docks.id)],
        },
    )
    assert created.status_code == 201, created.text
    campaign = created.json()
    assert (campaign["status"], campaign["department_ids"]) == ("draft", [str(docks.id)])
    path = f"{base}/{campaign['id']}"

    patched = http.patch(path, headers=token, json={"title": "Safety basics 2027"})
    assert patched.json()["title"] == "Safety basics 2027"
    assert [c["id"] for c in http.get(base, headers=token).json()] == [campaign["id"]]

    launched = http.post(f"{path}/launch", headers=token)
    assert launched.json() == {"mailed": 2}
    assert sorted(session.scalars(select(OutboxMessage.recipient))) == sorted(
        p.email for p in people
    )
    assert http.post(f"{path}/remind", headers=token).json() == {"mailed": 0}
    assert http.post(f"{path}/invite-new", headers=token).json() == {"mailed": 0}
    assert_problem(http.patch(path, headers=token, json={"title": "Late"}), 409, "conflict")

    found = session.get(Campaign, uuid.UUID(campaign["id"]))
    assert found is not None
    make_attempt(session, people[0], campaign=found, level=5)
    session.commit()
    progress = http.get(f"{path}/progress", headers=token).json()
    assert progress["overall"]["completed"] == 1
    assert progress["overall"]["rate"] == 0.5
    assert progress["overall_results"]["distribution"] is None  # one person: hidden
    assert {p["status"] for p in progress["participants"]} == {"completed", "invited"}
    assert all(p["level"] is None for p in progress["participants"])

    closed = http.post(f"{path}/close", headers=token)
    assert closed.json()["status"] == "closed"


def test_bad_input_points_at_the_field(http: httpx.Client, session: Session) -> None:
    org = make_org(session)
    admin = make_member(session, org, Role.HR_ADMIN)
    token = bearer(make_token(session, admin))
    other_department = make_department(session, make_org(session))
    bank = make_bank(session)
    session.commit()
    base = f"/api/v1/orgs/{org.id}/campaigns"

    past = http.post(
        base,
        headers=token,
        json={"title": "Late", "bank_id": str(bank.id), "deadline": "2001-01-01"},
    )
    body = assert_problem(past, 422, "invalid_input")
    assert [e["pointer"] for e in body["errors"]] == ["#/body/deadline"]  # type: ignore[attr-defined]

    foreign = http.post(
        base,
        headers=token,
        json={
            "title": "Theirs",
            "bank_id": str(bank.id),
            "deadline": "2099-01-01",
            "department_ids": [str(other_department.id)],
        },
    )
    body = assert_problem(foreign, 422, "invalid_input")
    assert [e["pointer"] for e in body["errors"]] == ["#/body/department_ids"]  # type: ignore[attr-defined]
    assert session.scalars(select(Campaign)).all() == []


def test_scopes_roles_and_organisations_are_enforced(http: httpx.Client, session: Session) -> None:
    org = make_org(session)
    campaign = make_campaign(session, org, status=CampaignStatus.OPEN)
    admin = make_member(session, org, Role.HR_ADMIN)
    reader = bearer(make_token(session, admin, [Scope.ASSESSMENT_READ]))
    learner = bearer(make_token(session, make_member(session, org)))
    outsider = bearer(make_token(session, make_member(session, make_org(session), Role.HR_ADMIN)))
    session.commit()
    path = f"/api/v1/orgs/{org.id}/campaigns/{campaign.id}"

    assert http.get(f"{path}/progress", headers=reader).status_code == 200
    assert_problem(http.post(f"{path}/remind", headers=reader), 403, "insufficient_scope")
    assert_problem(http.get(path, headers=learner), 403, "permission_denied")
    assert_problem(http.post(f"{path}/close", headers=learner), 403, "permission_denied")
    assert_problem(http.get(path, headers=outsider), 404, "not_found")
    assert_problem(http.post(f"{path}/close", headers=outsider), 404, "not_found")
    session.expire_all()
    assert session.get(Campaign, campaign.id).status is CampaignStatus.OPEN  # type: ignore[union-attr]
