"""Specifications through the API: the check tells what is missing, a registrar
publishes, and a published version answers 409 to any change."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from cairn.kit.actor import Role, Scope
from cairn.orgs.enums import OrgKind
from tests.factories.auth import make_token
from tests.factories.catalogue import complete_fields
from tests.factories.orgs import make_member, make_org

SCOPES = [Scope.CATALOGUE_READ, Scope.CATALOGUE_WRITE]


def test_a_specification_is_drafted_checked_published_and_then_frozen(
    http: httpx.Client, session: Session
) -> None:
    college = make_org(session, kind=OrgKind.PROVIDER)
    educator = make_token(session, make_member(session, college, Role.EDUCATOR), SCOPES)
    registrar = make_token(session, make_member(session, college, Role.ISSUER_ADMIN), SCOPES)
    stranger = make_token(session, make_member(session, make_org(session)), SCOPES)
    session.commit()

    def as_(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    fields = complete_fields(quality_assurance=None)
    fields["profile"], fields["assessment_type"] = "eu_2022", "practical"
    fields["participation"] = "blended"
    created = http.post(
        f"/api/v1/orgs/{college.id}/specifications", json=fields, headers=as_(educator)
    )
    assert created.status_code == 201, created.text
    body = created.json()
    path = f"/api/v1/specifications/{body['id']}"
    assert body["status"] == "draft"
    assert [f["element"] for f in body["check"]["findings"] if not f["passed"]] == [
        "quality_assurance"
    ]
    assert http.get(path, headers=as_(stranger)).status_code == 404

    http.post(f"{path}/submit-for-review", json={}, headers=as_(educator))
    refused = http.post(f"{path}/publish", json={}, headers=as_(registrar))
    assert refused.status_code == 422
    assert [e["pointer"] for e in refused.json()["errors"]] == ["#/body/quality_assurance"]
    http.post(f"{path}/return-to-draft", json={}, headers=as_(educator))
    fixed = http.patch(
        path, json={"quality_assurance": "Annual program review."}, headers=as_(educator)
    )
    assert fixed.json()["check"]["passed"] is True
    http.post(f"{path}/submit-for-review", json={}, headers=as_(educator))
    assert http.post(f"{path}/publish", json={}, headers=as_(educator)).status_code == 403
    published = http.post(f"{path}/publish", json={}, headers=as_(registrar))
    assert published.json()["status"] == "published"

    assert http.patch(path, json={"title": "Changed"}, headers=as_(educator)).status_code == 409
    assert http.get(path, headers=as_(stranger)).json()["title"] == "Wound care essentials"
    second = http.post(f"{path}/new-version", json={}, headers=as_(educator)).json()
    assert (second["number"], second["status"]) == (2, "draft")
