"""The jobs table: one row per piece of background work, from the request that asked for
it to its outcome (``cairn.kit.jobs`` queues and reads them, ``cairn.worker`` runs them)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cairn.kit.clock import utcnow
from cairn.kit.db import Base, IdMixin, str_enum


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class Job(IdMixin, Base):
    """One piece of background work, from the request that asked for it to its outcome."""

    __tablename__ = "jobs"

    kind: Mapped[str] = mapped_column(String(80))
    """The ``JobKind`` name, which picks the function that does the work."""
    org_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    """The organisation the work is for; None for the platform's own."""
    requested_by_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    """Who asked: the work runs as this person, with the roles they hold when it runs."""
    scopes: Mapped[list[str] | None] = mapped_column(JSON)
    """The asking API token's scopes, which still limit the work; None from a web session."""
    locale: Mapped[str] = mapped_column(String(8))
    """The asker's language, for the messages the work writes into the row."""
    status: Mapped[JobStatus] = mapped_column(
        str_enum(JobStatus, "job_status"), default=JobStatus.QUEUED, index=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """The work's arguments, as the kind's function reads them."""
    payload_file: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    """An uploaded file the work reads; dropped when the job ends. Deferred so that status
    pages polling the row never load it."""
    payload_filename: Mapped[str | None] = mapped_column(String(300))
    progress_description: Mapped[str | None] = mapped_column(String(300))
    """The step under way, in the asker's language."""
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int | None] = mapped_column(Integer)
    """Units in the step; None when its size is not known."""
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """What the work made: ``href`` is where to see it."""
    error: Mapped[str | None] = mapped_column(Text)
    """Why it failed, as the asker reads it; nothing it did was kept."""
    error_details: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Each problem behind ``error`` (a file's bad lines), one line each."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
