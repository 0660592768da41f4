"""Background jobs on the web: a job's status page, which follows it while it runs (a
small script polls its JSON; without it, a Refresh link), and the jobs one has asked for."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from cairn.auth.dependencies import DbSession
from cairn.kit import jobs
from cairn.kit.i18n import lazy_gettext
from cairn.kit.jobs_models import Job, JobStatus
from cairn.kit.jobs_schemas import JobRead
from cairn.web.deps import WebActor
from cairn.web.templating import render

router = APIRouter()
STATUSES = {
    JobStatus.QUEUED: lazy_gettext("Waiting to start"),
    JobStatus.RUNNING: lazy_gettext("Running"),
    JobStatus.SUCCEEDED: lazy_gettext("Done"),
    JobStatus.FAILED: lazy_gettext("Failed"),
}


def _result_href(job: Job) -> str | None:
    """Where to see what the job made: a path on this site, never another site."""
    href = (job.result or {}).get("href")
    if isinstance(href, str) and href.startswith("/") and not href.startswith("//"):
        return href
    return None


@router.get("/jobs")
def my_jobs(request: Request, session: DbSession, actor: WebActor) -> Response:
    context = {
        "jobs": [(job, jobs.title_of(job)) for job in jobs.recent_jobs(session, actor)],
        "statuses": {status.value: str(text) for status, text in STATUSES.items()},
    }
    return render(request, "jobs/list.html", context, actor=actor)


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: uuid.UUID, session: DbSession, actor: WebActor) -> Response:
    job = jobs.get_job(session, actor, job_id)
    kind = jobs.kind_of(job)
    context = {
        "job": job,
        "progress": jobs.progress_of(job),
        "finished": job.status.finished,
        "title": jobs.title_of(job),
        "statuses": {status.value: str(text) for status, text in STATUSES.items()},
        "result_href": _result_href(job),
        "result_label": kind.result_label if kind is not None else lazy_gettext("See the result"),
    }
    return render(request, "jobs/status.html", context, actor=actor)


@router.get("/jobs/{job_id}/status")
def job_status(job_id: uuid.UUID, session: DbSession, actor: WebActor) -> Response:
    """What the status page's script polls: the API's shape, for a signed-in browser."""
    job = jobs.get_job(session, actor, job_id)
    return JSONResponse(
        JobRead.of(job).model_dump(mode="json"), headers={"Cache-Control": "no-store"}
    )
