"""Queries of the jobs table: reading jobs, claiming the next queued one, and progress."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cairn.kit.jobs_models import Job, JobStatus


def get_job(session: Session, job_id: uuid.UUID) -> Job | None:
    return session.get(Job, job_id)


def jobs_requested_by(session: Session, person_id: uuid.UUID, *, limit: int) -> Sequence[Job]:
    return session.scalars(
        select(Job)
        .where(Job.requested_by_id == person_id)
        .order_by(Job.created_at.desc(), Job.id)
        .limit(limit)
    ).all()


def claim_next(session: Session, now: datetime) -> uuid.UUID | None:
    """Mark the oldest queued job running and return its id, in one statement, so that two
    workers never both claim it: PostgreSQL skips rows another worker has locked, SQLite
    (which ignores ``FOR UPDATE``) lets one writer at a time run the conditional update."""
    oldest = (
        select(Job.id)
        .where(Job.status == JobStatus.QUEUED)
        .order_by(Job.created_at, Job.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    claimed: uuid.UUID | None = session.execute(
        update(Job)
        .where(Job.id == oldest, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=now)
        .returning(Job.id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    return claimed


def record_progress(
    session: Session, job_id: uuid.UUID, *, description: str | None, done: int, total: int | None
) -> None:
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.RUNNING)
        .values(progress_description=description, progress_done=done, progress_total=total)
        .execution_options(synchronize_session=False)
    )


def take_write_lock(session: Session, job_id: uuid.UUID) -> None:
    """A write that changes nothing, made only to hold SQLite's write lock from now on."""
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(status=Job.status)
        .execution_options(synchronize_session=False)
    )
