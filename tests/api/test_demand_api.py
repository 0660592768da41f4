"""Skills demand through the API: postings imported as JSON or as a file, bad rows pointed
at, the signals read back, a specification's coverage, and a batch deleted by its owner."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy.orm import Session, sessionmaker

from cairn.kit.actor import Role, Scope
from cairn.kit.clock import utcnow
from cairn.orgs.enums import OrgKind
from tests.factories.auth import make_token
from tests.factories.catalogue import make_specification
from tests.factories.demand import make_importer, postings_csv
from tests.factories.intelligence import with_embeddings
from tests.factories.jobs import run_jobs
from tests.factories.orgs import actor, make_member, make_org
from tests.factories.taxonomy import make_framework, make_skill

SCOPES = [Scope.CATALOGUE_READ, Scope.CATALOGUE_WRITE]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_postings_are_imported_counted_and_deleted(
    http: httpx.Client, session: Session, session_factory: sessionmaker[Session]
) -> None:
    framework = make_framework(session)
    triage = make_skill(session, framework, "triage")
    with_embeddings(session, framework)
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
    assert upload.status_code == 202, upload.text
    assert upload.headers["location"] == f"/api/v1/jobs/{upload.json()['id']}"
    assert upload.json()["status"] == "queued"
    assert http.get(upload.headers["location"], headers=rival).status_code == 404
    run_jobs(session_factory)
    failed = http.get(upload.headers["location"], headers=owner).json()
    assert failed["status"] == "failed"
    assert failed["error"] == "1 problem in the postings; nothing was imported."
    assert [line[:15] for line in failed["error_details"]] == ["jobs.csv:2: dat"]
    assert len(http.get("/api/v1/demand/batches", headers=owner).json()) == 1

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


def test_a_file_is_imported_by_a_job_whose_result_names_the_batch(
    http: httpx.Client, session: Session, session_factory: sessionmaker[Session]
) -> None:
    framework = make_framework(session)
    make_skill(session, framework, "triage")
    with_embeddings(session, framework)
    importer = make_importer(session)
    owner = bearer(make_token(session, importer.person, SCOPES))
    session.commit()
    fields = {"source": "File", "framework": f"{framework.slug}@{framework.version}"}
    good = postings_csv([("Nurse", "Triage.", "Sudbury", "2026-01-10")])

    platform = http.post(
        "/api/v1/demand/batches/file",
        data=fields,
        files={"file": ("jobs.csv", good, "text/csv")},
        headers=owner,
    )
    assert platform.status_code == 403  # only platform administrators import for the platform
    upload = http.post(
        "/api/v1/demand/batches/file",
        data={**fields, "org_id": str(importer.authority.id)},
        files={"file": ("jobs.csv", good, "text/csv")},
        headers=owner,
    )
    assert upload.status_code == 202
    assert http.get("/api/v1/demand/batches", headers=owner).json() == []

    run_jobs(session_factory)

    job = http.get(upload.headers["location"], headers=owner).json()
    assert job["status"] == "succeeded"
    [batch] = http.get("/api/v1/demand/batches", headers=owner).json()
    assert job["result"]["batch_id"] == batch["id"]
    assert (job["result"]["postings"], job["result"]["skills"]) == (1, 1)
    assert (batch["filename"], batch["postings"], batch["mentions"]) == ("jobs.csv", 1, 1)
