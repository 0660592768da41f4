"""A background job through the API: its asker reads its status, progress and result;
another organisation's token finds nothing, and a token needs the scope of the job's work."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session, sessionmaker

from cairn.kit.actor import Role, Scope
from tests.factories.auth import make_token
from tests.factories.jobs import queue_job, run_jobs
from tests.factories.orgs import make_member, make_org


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_job_is_read_by_its_asker_only(
    http: httpx.Client, session: Session, session_factory: sessionmaker[Session]
) -> None:
    org = make_org(session)
    asker = make_member(session, org, Role.HR_ADMIN)
    job = queue_job(session, asker, org_id=org.id, name="Via the API", count=1)
    owner = bearer(make_token(session, asker, [Scope.ORGS_WRITE]))
    outsider = bearer(make_token(session, make_member(session, make_org(session), Role.HR_ADMIN)))
    read_only = bearer(make_token(session, asker, [Scope.ORGS_READ]))
    session.commit()
    path = f"/api/v1/jobs/{job.id}"

    queued = http.get(path, headers=owner)
    assert queued.status_code == 200
    assert {key: queued.json()[key] for key in ("kind", "title", "status", "result")} == {
        "kind": "tests.make_org",
        "title": "Test job",
        "status": "queued",
        "result": None,
    }
    run_jobs(session_factory)
    done = http.get(path, headers=owner).json()
    assert done["status"] == "succeeded"
    assert done["progress"] == {"description": "Counting", "done": 1, "total": 1}
    assert set(done["result"]) == {"href", "org_id", "asker"}
    assert done["error"] is None
    assert done["error_details"] == []

    missing = http.get(path, headers=outsider)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert http.get(path, headers=read_only).status_code == 403
