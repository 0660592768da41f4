"""Structured prerequisites through the API: a PUT of the whole list of clauses on a draft,
read back on the version, refused with the clause at fault, and frozen once published."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from cairn.kit.actor import Role, Scope
from tests.factories.auth import make_token
from tests.factories.catalogue import make_specification
from tests.factories.credentials import make_issuer
from tests.factories.orgs import make_member, make_org

SCOPES = [Scope.CATALOGUE_READ, Scope.CATALOGUE_WRITE]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_draft_takes_its_clauses_whole_and_a_published_version_keeps_them(
    http: httpx.Client, session: Session
) -> None:
    college = make_issuer(session, name="Lakeshore College")
    first_aid = college.publish(session, "first-aid", title="First aid")
    hygiene = college.publish(session, "hand-hygiene", title="Hand hygiene")
    draft = make_specification(session, college.educator, college.org, slug="wound-care")
    educator = make_token(session, make_member(session, college.org, Role.EDUCATOR), SCOPES)
    reader = make_token(session, make_member(session, college.org, Role.EDUCATOR), SCOPES[:1])
    stranger = make_token(session, make_member(session, make_org(session)), SCOPES)
    session.commit()
    path = f"/api/v1/specifications/{draft.id}"
    clauses = [[str(first_aid.specification_id), str(hygiene.specification_id)]]

    put = http.put(f"{path}/prerequisites", json={"clauses": clauses}, headers=bearer(educator))
    again = http.put(f"{path}/prerequisites", json={"clauses": clauses}, headers=bearer(educator))

    assert put.status_code == 200, put.text
    assert sorted(put.json()["prerequisite_clauses"][0]) == sorted(clauses[0])
    assert again.json()["prerequisite_clauses"] == put.json()["prerequisite_clauses"]
    assert (
        http.get(path, headers=bearer(educator)).json()["prerequisite_clauses"]
        == (put.json()["prerequisite_clauses"])
    )

    itself = http.put(
        f"{path}/prerequisites",
        json={"clauses": [*clauses, [str(draft.specification_id)]]},
        headers=bearer(educator),
    )
    assert itself.status_code == 422
    assert [e["pointer"] for e in itself.json()["errors"]] == ["#/body/clauses/1/0"]
    scoped = http.put(f"{path}/prerequisites", json={"clauses": []}, headers=bearer(reader))
    assert scoped.status_code == 403
    unseen = http.put(f"{path}/prerequisites", json={"clauses": []}, headers=bearer(stranger))
    assert unseen.status_code == 404

    http.post(f"{path}/submit-for-review", json={}, headers=bearer(educator))
    frozen = http.put(f"{path}/prerequisites", json={"clauses": []}, headers=bearer(educator))
    assert frozen.status_code == 409
    assert len(http.get(path, headers=bearer(educator)).json()["prerequisite_clauses"]) == 1
