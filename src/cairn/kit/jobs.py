"""Background jobs as outbox rows: work too long for a request, queued in the asker's
transaction and run later by a worker (decision 0039).

A job is a row written in the same transaction as whatever asked for it, so a request
that rolls back leaves no job behind. The kit knows no domain: the domains declare their
kinds of job (``JobKind``), higher layers register the function that does each one, and
the worker (``cairn.worker``) claims queued rows, runs them and records how they ended.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from cairn.kit import jobs_repository as repo
from cairn.kit.actor import Actor, Role, Scope, require_person, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.db import writes_one_at_a_time
from cairn.kit.errors import NotFound
from cairn.kit.i18n import LazyString, get_locale, lazy_gettext
from cairn.kit.jobs_models import Job, JobStatus
from cairn.kit.progress import Progress

RECENT_JOBS = 20
"""How many of a person's jobs their list shows."""


# --- kinds and the functions that do them ---------------------------------------------------


@dataclass(frozen=True)
class JobKind:
    """A kind of job, declared by the domain whose work it is."""

    name: str
    title: LazyString
    """What the job does, as a heading: "Import of job postings"."""
    scope: Scope
    """What an API token needs to ask for it and to read it."""
    result_label: LazyString
    """The words of the link to what a finished job made."""
    viewer_roles: frozenset[Role] = frozenset()
    """Roles in the job's organisation that see it besides its asker (and platform
    administrators): those who may see or undo what it makes."""


@dataclass(frozen=True)
class JobInput:
    """What a job's function receives besides the session: who asked, and the arguments."""

    actor: Actor
    payload: dict[str, Any]
    file: bytes | None
    filename: str | None


Handler = Callable[[Session, JobInput, Progress], dict[str, Any]]
"""Does one kind of job inside the worker's transaction and returns its ``result``."""

_KINDS: dict[str, JobKind] = {}
_HANDLERS: dict[str, Handler] = {}


def declare(name: str, **details: Any) -> JobKind:
    """Make a kind of job known, so that its jobs can be queued and shown."""
    kind = JobKind(name, **details)
    if _KINDS.setdefault(name, kind) != kind:
        raise ValueError(f"job kind {name!r} is declared twice")
    return kind


def register(kind: JobKind, handler: Handler) -> None:
    """Name the function that does ``kind``'s jobs (from a layer that may call it)."""
    if _HANDLERS.setdefault(kind.name, handler) is not handler:
        raise ValueError(f"job kind {kind.name!r} already has a handler")


def kind_of(job: Job) -> JobKind | None:
    return _KINDS.get(job.kind)


def handler_of(job: Job) -> Handler | None:
    return _HANDLERS.get(job.kind)


def title_of(job: Job) -> str:
    kind = kind_of(job)
    return str(kind.title) if kind is not None else job.kind


# --- queueing and reading -------------------------------------------------------------------


def enqueue(
    session: Session,
    actor: Actor,
    kind: JobKind,
    *,
    org_id: uuid.UUID | None,
    payload: dict[str, Any],
    file: bytes | None = None,
    filename: str | None = None,
) -> Job:
    """Queue a job in the caller's transaction: it runs only if that transaction commits.
    The caller has checked the request; the work checks it again when it runs."""
    require_person(actor)
    require_scope(actor, kind.scope)
    job = Job(
        kind=kind.name,
        org_id=org_id,
        requested_by_id=actor.person_id,
        scopes=None if actor.scopes is None else sorted(scope.value for scope in actor.scopes),
        locale=get_locale(),
        status=JobStatus.QUEUED,
        payload=payload,
        payload_file=file,
        payload_filename=filename[:300] if filename else None,
    )
    session.add(job)
    session.flush()
    return job


def can_see(actor: Actor, job: Job) -> bool:
    """Its asker, platform administrators, and the kind's viewer roles in its organisation."""
    if actor.is_platform_admin or (not actor.system and job.requested_by_id == actor.person_id):
        return True
    kind = kind_of(job)
    return (
        kind is not None
        and job.org_id is not None
        and actor.has_any_role(job.org_id, kind.viewer_roles)
    )


def get_job(session: Session, actor: Actor, job_id: uuid.UUID) -> Job:
    """A job for its status page; anyone else's is not found."""
    job = repo.get_job(session, job_id)
    if job is None or not can_see(actor, job):
        raise NotFound(lazy_gettext("Job not found."))
    kind = kind_of(job)
    if kind is not None:
        require_scope(actor, kind.scope)
    return job


def recent_jobs(session: Session, actor: Actor) -> Sequence[Job]:
    """The jobs the actor asked for, newest first."""
    return repo.jobs_requested_by(session, actor.person_id, limit=RECENT_JOBS)


# --- what the worker does with them ---------------------------------------------------------


@dataclass(frozen=True)
class ProgressReport:
    """Where a running job has got to."""

    description: str | None = None
    done: int = 0
    total: int | None = None


def claim_next(session: Session) -> uuid.UUID | None:
    """Take the oldest queued job for this worker, or None when there is none; a job is
    only ever claimed once."""
    return repo.claim_next(session, utcnow())


def running_job(session: Session, job_id: uuid.UUID) -> Job:
    """A job this worker has claimed (so it exists, and nobody else runs it)."""
    job = repo.get_job(session, job_id)
    if job is None or job.status is not JobStatus.RUNNING:
        raise LookupError(f"job {job_id} is not running")
    return job


def start_work(session: Session, job_id: uuid.UUID) -> Job:
    """A claimed job, read in the transaction that will do its work. Where the database
    writes one transaction at a time (SQLite), that transaction first takes the write lock,
    so that no write committed meanwhile can stop it writing at the end; its progress is
    then shared in memory only (``share_progress``)."""
    if writes_one_at_a_time(session):
        repo.take_write_lock(session, job_id)
    return running_job(session, job_id)


def progress_in_rows(session: Session) -> bool:
    """Whether a job's progress can be written to its row while its work runs."""
    return not writes_one_at_a_time(session)


_LIVE: dict[uuid.UUID, ProgressReport] = {}
"""The progress of the jobs this process runs: fresher than their rows, and on SQLite the
only record of it until the job ends."""


def share_progress(job_id: uuid.UUID, report: ProgressReport | None) -> None:
    """Show ``report`` to this process's status pages; None once the job has ended."""
    if report is None:
        _LIVE.pop(job_id, None)
    else:
        _LIVE[job_id] = report


def progress_of(job: Job) -> ProgressReport:
    """Where a job has got to: this process's own report while it runs here, else its row."""
    live = _LIVE.get(job.id) if job.status is JobStatus.RUNNING else None
    return live or ProgressReport(job.progress_description, job.progress_done, job.progress_total)


def record_progress(session: Session, job_id: uuid.UUID, report: ProgressReport) -> None:
    repo.record_progress(
        session,
        job_id,
        description=report.description[:300] if report.description else None,
        done=report.done,
        total=report.total,
    )


def succeed(session: Session, job: Job, result: dict[str, Any], report: ProgressReport) -> None:
    """Record the outcome in the work's own transaction, so it commits with what the work
    made or not at all."""
    _finish(job, JobStatus.SUCCEEDED, report)
    job.result = result
    session.flush()


def fail(
    session: Session,
    job_id: uuid.UUID,
    error: str,
    details: Sequence[str],
    report: ProgressReport,
) -> None:
    """Record why a job failed, after its work was rolled back."""
    job = repo.get_job(session, job_id)
    if job is None:  # its organisation or asker was deleted meanwhile: nobody to tell
        return
    _finish(job, JobStatus.FAILED, report)
    job.error = error
    job.error_details = list(details)
    session.flush()


def _finish(job: Job, status: JobStatus, report: ProgressReport) -> None:
    job.status = status
    job.finished_at = utcnow()
    job.progress_description = report.description[:300] if report.description else None
    job.progress_done = report.done
    job.progress_total = report.total
    job.payload_file = None  # the file served its purpose: keep no copy of it
