"""Learning accounts through the API: an administrator creates and opens a program from
its rules, a learner declares facts, joins with consent and reads balances and a statement;
other organisations get 404, learners 403, and tokens without the scope are refused."""

from __future__ import annotations

import csv
import io

import httpx
from sqlalchemy.orm import Session

from cairn.kit.actor import Role, Scope
from cairn.kit.clock import utcnow
from cairn.orgs.enums import OrgKind
from tests.factories.accounts import example_document, simple_rules
from tests.factories.auth import make_token
from tests.factories.orgs import make_member, make_org, make_person


def test_a_program_is_run_and_joined_through_the_api(http: httpx.Client, session: Session) -> None:
    authority = make_org(session, kind=OrgKind.PROGRAM_AUTHORITY)
    tokens = {
        "admin": make_token(session, make_member(session, authority, Role.PROGRAM_ADMIN)),
        "learner": make_token(session, make_person(session)),
        "stranger": make_token(
            session, make_member(session, make_org(session), Role.PROGRAM_ADMIN)
        ),
        "authority learner": make_token(session, make_member(session, authority, Role.LEARNER)),
        "read only": make_token(
            session,
            make_member(session, authority, Role.PROGRAM_ADMIN),
            [Scope.ACCOUNTS_READ],
        ),
    }
    session.commit()

    def as_(who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[who]}"}

    programs = f"/api/v1/orgs/{authority.id}/programs"
    bad = simple_rules()
    bad["deduction_order"] = ["nowhere"]
    refused = http.post(
        programs, json={"slug": "sf", "name": "SF", "rules": bad}, headers=as_("admin")
    )
    assert refused.status_code == 422
    assert [e["pointer"] for e in refused.json()["errors"]] == ["#/body/rules/deduction_order"]
    body = {"slug": "sf", "name": "SkillsFuture", "rules": example_document("skillsfuture")}
    assert http.post(programs, json=body, headers=as_("stranger")).status_code == 404
    assert http.post(programs, json=body, headers=as_("authority learner")).status_code == 403
    scoped = http.post(programs, json=body, headers=as_("read only"))
    assert (scoped.status_code, scoped.json()["type"]) == (
        403,
        "/api/v1/problems/insufficient_scope",
    )
    created = http.post(programs, json={**body, "budget_minor": 10_000_000}, headers=as_("admin"))
    assert created.status_code == 201, created.text
    program = f"/api/v1/programs/{created.json()['id']}"
    assert http.post(f"{program}/open", headers=as_("admin")).json()["status"] == "open"

    facts = {"birth_date": "1990-05-01", "residency": "citizen"}
    assert http.put("/api/v1/me/learning-account/facts", json=facts, headers=as_("learner")).json()[
        "residency"
    ] == ("citizen")
    [offer] = http.get("/api/v1/me/learning-account/programs", headers=as_("learner")).json()
    assert (offer["eligible"], offer["participating_since"]) == (True, None)
    join = f"/api/v1/me/learning-account/programs/{created.json()['id']}/join"
    no_consent = http.post(join, json={}, headers=as_("learner"))
    assert [e["pointer"] for e in no_consent.json()["errors"]] == ["#/body/consent"]
    joined = http.post(join, json={"consent": True}, headers=as_("learner"))
    assert joined.status_code == 201, joined.text
    assert http.post(join, json={"consent": True}, headers=as_("learner")).status_code == 409
    [balances] = http.get("/api/v1/me/learning-account/balances", headers=as_("learner")).json()
    assert balances["total"]["amount_minor"] == 50_000
    month = utcnow().strftime("%Y-%m")
    statement = http.get(
        "/api/v1/me/learning-account/statement", params={"month": month}, headers=as_("learner")
    )
    assert statement.json()["empty"] is False
    wrong = http.get(
        "/api/v1/me/learning-account/statement", params={"month": "2026-13"}, headers=as_("learner")
    )
    assert [e["pointer"] for e in wrong.json()["errors"]] == ["#/query/month"]

    board = http.get(f"{program}/dashboard", headers=as_("admin")).json()
    assert (board["participants"], board["credit_outstanding"]["amount_minor"]) == (1, 50_000)
    [participant] = http.get(f"{program}/participants", headers=as_("admin")).json()
    seen = http.get(
        f"{program}/participants/{participant['person_id']}/facts", headers=as_("admin")
    )
    assert seen.json()["birth_date"] == "1990-05-01"
    export = http.get(
        f"{program}/transfers.csv",
        params={"from": "2000-01-01", "to": "2100-01-01"},
        headers=as_("admin"),
    )
    assert export.headers["content-type"] == "text/csv; charset=utf-8"
    assert export.headers["content-disposition"] == (
        'attachment; filename="transfers-2000-01-01-2100-01-01.csv"'
    )
    assert len(list(csv.DictReader(io.StringIO(export.text)))) == 2
    assert http.post(f"{program}/run", headers=as_("admin")).json()["grants"] == 0
    for who, code in (("stranger", 404), ("authority learner", 403), ("learner", 404)):
        assert http.get(f"{program}/dashboard", headers=as_(who)).status_code == code
    assert http.post(f"{program}/close", headers=as_("read only")).status_code == 403
