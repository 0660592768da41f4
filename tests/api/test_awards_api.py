"""Awards through the API: a registrar records one, the learner reads it and what it
counts toward, and nobody else records or lists them."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from cairn.catalogue import stacking_service
from cairn.catalogue.stacking_schemas import StackRuleCreate
from cairn.kit.actor import Role
from cairn.orgs.models import Person
from tests.factories.auth import make_token
from tests.factories.credentials import make_issuer
from tests.factories.orgs import make_member, make_org, make_person


def test_a_registrar_records_an_award_and_the_learner_sees_what_it_counts_toward(
    http: httpx.Client, session: Session
) -> None:
    college = make_issuer(session, name="Lakeshore College")
    wounds = college.publish(session, "wounds")
    meds = college.publish(session, "meds", title="Safe medication")
    rule = stacking_service.create_rule(
        session,
        college.educator,
        college.org.id,
        StackRuleCreate.model_validate(
            {
                "slug": "care",
                "title": "Community care",
                "kind": "all_of",
                "program_name": "Community care diploma",
                "specification_ids": [str(wounds.specification_id), str(meds.specification_id)],
            }
        ),
    )
    registrar = session.get(Person, college.registrar.person_id)
    educator = session.get(Person, college.educator.person_id)
    assert registrar is not None
    assert educator is not None
    learner = make_person(session)
    tokens = {
        "registrar": make_token(session, registrar),
        "educator": make_token(session, educator),
        "learner": make_token(session, learner),
        "outsider": make_token(session, make_member(session, make_org(session), Role.HR_ADMIN)),
    }
    session.commit()

    def as_(who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[who]}"}

    path = f"/api/v1/orgs/{college.org.id}/awards"
    body = {
        "version_id": str(wounds.id),
        "learner_email": learner.email,
        "awarded_on": "2026-01-15",
    }
    created = http.post(path, json={**body, "grade": "A"}, headers=as_("registrar"))
    assert created.status_code == 201, created.text
    assert (created.json()["title"], created.json()["grade"]) == ("Wound care essentials", "A")
    again = http.post(path, json=body, headers=as_("registrar"))
    assert again.status_code == 409
    assert [e["pointer"] for e in again.json()["errors"]] == ["#/body/learner_email"]
    assert http.post(path, json=body, headers=as_("educator")).status_code == 403
    assert http.get(path, headers=as_("outsider")).status_code == 404
    assert [a["learner_id"] for a in http.get(path, headers=as_("registrar")).json()] == [
        str(learner.id)
    ]

    mine = http.get("/api/v1/me/awards", headers=as_("learner")).json()
    assert [a["issuer_name"] for a in mine] == ["Lakeshore College"]
    [standing] = http.get("/api/v1/me/counts-toward", headers=as_("learner")).json()
    assert (standing["rule_id"], standing["met"], standing["required"]) == (str(rule.id), 1, 2)
    assert standing["missing_specification_ids"] == [str(meds.specification_id)]
