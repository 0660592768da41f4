"""The read shape of a job, for the API and for the status page's script."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from cairn.kit.jobs import progress_of, title_of
from cairn.kit.jobs_models import Job, JobStatus


class JobProgressRead(BaseModel):
    description: str | None
    """The step under way, in the asker's language."""
    done: int
    total: int | None
    """None while the size of the step is not known."""


class JobRead(BaseModel):
    id: uuid.UUID
    kind: str
    title: str
    """What the job does, in the reader's language."""
    status: JobStatus
    progress: JobProgressRead
    result: dict[str, Any] | None
    """What a succeeded job made; ``href`` is the page that shows it."""
    error: str | None
    """Why a failed job failed; nothing it did was kept."""
    error_details: list[str]
    """The problems behind ``error``, such as a file's bad lines (``file:line: field: why``)."""
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, job: Job) -> JobRead:
        report = progress_of(job)
        return cls(
            id=job.id,
            kind=job.kind,
            title=title_of(job),
            status=job.status,
            progress=JobProgressRead(
                description=report.description, done=report.done, total=report.total
            ),
            result=job.result,
            error=job.error,
            error_details=job.error_details,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
        )
