"""Background jobs: how one asked for through the API is going, and what it made."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from cairn.api.v1.common import ERROR_RESPONSES
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.kit import jobs
from cairn.kit.jobs_schemas import JobRead

router = APIRouter(tags=["jobs"], responses=ERROR_RESPONSES)


@router.get(
    "/jobs/{job_id}",
    response_model=JobRead,
    summary="A background job: its status, progress, and result or error",
    description=(
        "Seen by whoever asked for it and by those who may see what it makes. Poll it until "
        "`status` is `succeeded` (then `result` says what was made) or `failed` (then "
        "`error` and `error_details` say why; nothing was kept). The token needs the scope "
        "the job's work needs."
    ),
)
def get_job(job_id: uuid.UUID, session: DbSession, actor: ApiActor) -> JobRead:
    return JobRead.of(jobs.get_job(session, actor, job_id))
