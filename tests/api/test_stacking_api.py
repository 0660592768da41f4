"""Stacking through the API: an issuer writes rules from published specifications of any
issuer, recognises another issuer's credential and describes assessment-only routes;
everyone reads them; nobody else changes them, and a circular rule is a 409 naming the
cycle."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy.orm import Session

from cairn.kit.actor import Role, Scope
from cairn.orgs.enums import OrgKind
from tests.factories.auth import make_token
from tests.factories.catalogue import make_published, make_specification
from tests.factories.orgs import actor, make_member, make_org

SCOPES = [Scope.CATALOGUE_READ, Scope.CATALOGUE_WRITE]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_rules_equivalences_and_routes_are_written_by_the_issuer_and_read_by_all(
    http: httpx.Client, session: Session
) -> None:
    college = make_org(session, name="Lakeshore College", kind=OrgKind.PROVIDER)
    institute = make_org(session, name="Harbour Institute", kind=OrgKind.PROVIDER)
    educator = make_member(session, college, Role.EDUCATOR)
    registrar = make_member(session, college, Role.ISSUER_ADMIN)
    their_educator = make_member(session, institute, Role.EDUCATOR)
    their_registrar = make_member(session, institute, Role.ISSUER_ADMIN)
    ours, registrar_actor = actor(session, educator), actor(session, registrar)
    theirs = actor(session, their_educator), actor(session, their_registrar)
    safety = make_published(session, ours, registrar_actor, college, slug="safety", ects=2)
    sheets = make_published(session, ours, registrar_actor, college, slug="sheets", ects=2)
    online = make_published(session, ours, registrar_actor, college, slug="online", ects=2)
    securite = make_published(session, *theirs, institute, slug="securite", ects=2)
    draft = make_specification(session, ours, college, slug="draft-only")
    token = make_token(session, educator, SCOPES)
    stranger = make_token(session, their_educator, SCOPES)
    learner = make_token(session, make_member(session, college, Role.LEARNER), SCOPES)
    session.commit()

    created = http.post(
        f"/api/v1/orgs/{college.id}/stacking-rules",
        json={
            "slug": "digital-workplace",
            "title": "Digital Workplace Certificate",
            "kind": "n_of",
            "n": 2,
            "program_name": "Office Administration diploma",
            "specification_ids": [
                str(safety.specification_id),
                str(sheets.specification_id),
                str(online.specification_id),
            ],
        },
        headers=bearer(token),
    )
    assert created.status_code == 201, created.text
    rule = created.json()
    path = f"/api/v1/stacking-rules/{rule['id']}"
    assert (rule["kind"], rule["n"], len(rule["specification_ids"])) == ("n_of", 2, 3)

    listed = http.get(f"/api/v1/stacking-rules?org_id={college.id}", headers=bearer(stranger))
    assert [r["title"] for r in listed.json()] == ["Digital Workplace Certificate"]
    assert http.get(path, headers=bearer(stranger)).status_code == 200  # rules are public

    renamed = {**rule, "title": "Stolen"}
    for key in ("id", "owner_org_id", "slug"):
        renamed.pop(key)
    assert http.put(path, json=renamed, headers=bearer(stranger)).status_code == 404
    assert http.delete(path, headers=bearer(stranger)).status_code == 404
    assert http.put(path, json=renamed, headers=bearer(learner)).status_code == 403
    refused = http.post(
        f"/api/v1/orgs/{college.id}/stacking-rules",
        json={"slug": "mine", "title": "Mine", "kind": "all_of", "program_name": "Mine"},
        headers=bearer(learner),
    )
    assert refused.status_code == 403
    assert http.get(path, headers=bearer(token)).json()["title"] == "Digital Workplace Certificate"

    recognised = http.post(
        "/api/v1/equivalences",
        json={
            "specification_id": str(safety.specification_id),
            "equivalent_specification_id": str(securite.specification_id),
            "note": "Same outcomes, in French.",
        },
        headers=bearer(token),
    )
    assert recognised.status_code == 201, recognised.text
    equivalence = recognised.json()
    listed = http.get(f"/api/v1/equivalences?org_id={college.id}", headers=bearer(stranger))
    assert [e["id"] for e in listed.json()] == [equivalence["id"]]
    withdraw = f"/api/v1/equivalences/{equivalence['id']}"
    assert http.delete(withdraw, headers=bearer(stranger)).status_code == 404
    assert http.delete(withdraw, headers=bearer(token)).status_code == 204
    assert http.get(f"/api/v1/equivalences?org_id={college.id}", headers=bearer(token)).json() == []

    for specification in (safety, draft):
        added = http.post(
            "/api/v1/rpl-routes",
            json={
                "specification_id": str(specification.specification_id),
                "description": "A practical assessment for people already doing the work.",
            },
            headers=bearer(token),
        )
        assert added.status_code == 201, added.text
    routes = f"/api/v1/rpl-routes?specification_id={safety.specification_id}"
    assert len(http.get(routes, headers=bearer(stranger)).json()) == 1
    hidden = f"/api/v1/rpl-routes?specification_id={draft.specification_id}"
    assert http.get(hidden, headers=bearer(stranger)).status_code == 404  # a draft's, inside
    assert len(http.get(hidden, headers=bearer(token)).json()) == 1

    assert http.delete(path, headers=bearer(token)).status_code == 204
    assert http.get(path, headers=bearer(token)).status_code == 404


def test_a_circular_rule_is_a_409_naming_the_cycle_and_changes_nothing(
    http: httpx.Client, session: Session
) -> None:
    college = make_org(session, kind=OrgKind.PROVIDER)
    educator = make_member(session, college, Role.EDUCATOR)
    designer = actor(session, educator)
    registrar = actor(session, make_member(session, college, Role.ISSUER_ADMIN))
    safety = make_published(session, designer, registrar, college, slug="safety")
    token = make_token(session, educator, SCOPES)
    session.commit()

    def create(slug: str, title: str, rule_ids: list[str]) -> dict[str, object]:
        answer = http.post(
            f"/api/v1/orgs/{college.id}/stacking-rules",
            json={
                "slug": slug,
                "title": title,
                "kind": "all_of",
                "program_name": "Program",
                "specification_ids": [str(safety.specification_id)],
                "rule_ids": rule_ids,
            },
            headers=bearer(token),
        )
        assert answer.status_code == 201, answer.text
        body: dict[str, object] = answer.json()
        return body

    core = create("core", "Core", [])
    diploma = create("diploma", "Diploma", [str(core["id"])])
    circular = http.put(
        f"/api/v1/stacking-rules/{core['id']}",
        json={
            "title": "Core",
            "kind": "all_of",
            "program_name": "Program",
            "rule_ids": [str(diploma["id"])],
        },
        headers=bearer(token),
    )
    assert circular.status_code == 409
    problem = circular.json()
    assert problem["detail"] == "These rules would depend on themselves: Core → Diploma → Core."
    assert [e["pointer"] for e in problem["errors"]] == ["#/body/rule_ids"]
    unchanged = http.get(f"/api/v1/stacking-rules/{core['id']}", headers=bearer(token)).json()
    assert unchanged["rule_ids"] == []
    assert (
        http.delete(f"/api/v1/stacking-rules/{core['id']}", headers=bearer(token)).status_code
        == 409
    )
    assert (
        http.get(f"/api/v1/stacking-rules/{uuid.uuid4()}", headers=bearer(token)).status_code == 404
    )
