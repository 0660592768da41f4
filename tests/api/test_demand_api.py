"""Skills demand through the API: postings imported as JSON or as a file, bad rows pointed
at, the signals read back, a specification's coverage, and a batch deleted by its owner."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy.orm import Session

from cairn.kit.actor import Role, Scope
from cairn.kit.clock import utcnow
from cairn.orgs.enums import OrgKind
from tests.factories.auth import make_token
from tests.factories.catalogue import make_specification
from tests.factories.demand import make_importer, postings_csv
from tests.factories.orgs import actor, make_member, make_org
from tests.factories.taxonomy import make_framework, make_skill

SCOPES = [Scope.CATALOGUE_READ, Scope.CATALOGUE_WRITE]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_postings_are_imported_counted_and_deleted(http: httpx.Client, session: Session) -> None:
    framework = make_framework(session)
    triage = make_skill(session, framework, "triage")
    importer = make_importer(session)
    owner = bearer(make_token(session, importer.person, SCOPES))
    rival = bearer(make_token(session, make_importer(session).person, SCOPES))
    college = make_org(session, kind=OrgKind.PROVIDER)
    educator = make_member(session, college, Role.EDUCATOR)
    version = make_specification(
        session,
        actor(session, educator),
        college,
        outcomes=[{"statement": "Triage patients.", "skill_id": triage.id}],
    )
    reader = bearer(make_token(session, educator, [Scope.CATALOGUE_READ]))
    session.commit()
    recent = (utcnow().date() - timedelta(days=20)).isoformat()
    body = {
        "source": "Job board",
        "framework": f"{framework.slug}@{framework.version}",
        "org_id": str(importer.authority.id),
        "postings": [
            {"title": "Nurse", "text": "Triage.", "region": "Sudbury", "date": recent},
            {"title": "Nurse", "text": "Triage.", "date": "2026-13-01"},
            {"title": "Nurse", "date": recent},
            {"title": "Nurse", "text": "Lifting.", "date": recent, "skills": ["juggling"]},
        ],
    }

    refused = http.post("/api/v1/demand/batches", json=body, headers=owner)
    assert refused.status_code == 422
    assert [e["pointer"] for e in refused.json()["errors"]] == [
        "#/body/postings/1/date",
        "#/body/postings/2/text",
        "#/body/postings/3/skills",
    ]
    assert "postings:2: date:" in refused.json()["errors"][0]["detail"]
    assert http.get("/api/v1/demand/batches", headers=owner).json() == []

    body["postings"] = body["postings"][:1]
    created = http.post("/api/v1/demand/batches", json=body, headers=owner)
    assert created.status_code == 201, created.text
    assert (created.json()["postings"], created.json()["mentions"]) == (1, 1)
    wrong = postings_csv([("Nurse", "Triage.", "Sudbury", "31/01/2026")])
    upload = http.post(
        "/api/v1/demand/batches/file",
        data={
            "source": "File",
            "framework": f"{framework.slug}@{framework.version}",
            "org_id": str(importer.authority.id),
        },
        files={"file": ("jobs.csv", wrong, "text/csv")},
        headers=owner,
    )
    assert upload.status_code == 422
    assert [(e["pointer"], e["detail"][:15]) for e in upload.json()["errors"]] == [
        ("#/body/file", "jobs.csv:2: dat")
    ]

    skills = http.get(
        "/api/v1/demand/skills", params={"region": "Sudbury", "period": "year"}, headers=reader
    )
    assert skills.status_code == 200
    assert [(s["skill_label"], s["postings"]) for s in skills.json()["skills"]] == [("triage", 1)]
    coverage = http.get(f"/api/v1/specifications/{version.id}/demand", headers=reader).json()
    assert (coverage["outcomes_in_demand"], coverage["outcomes"]) == (1, 1)
    assert http.get(f"/api/v1/specifications/{version.id}/demand", headers=rival).status_code == 404

    batch = f"/api/v1/demand/batches/{created.json()['id']}"
    assert http.delete(batch, headers=rival).status_code == 404
    assert http.delete(batch, headers=reader).status_code == 403  # no catalogue:write
    assert http.delete(batch, headers=owner).status_code == 204
    assert http.get("/api/v1/demand/skills", headers=reader).json()["skills"] == []
