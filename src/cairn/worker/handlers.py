"""The functions that do each kind of job, registered on import: whatever runs jobs
imports this module, which may call the domains the kit may not."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from cairn.catalogue import demand_service
from cairn.catalogue.demand_import import PostingsFile
from cairn.kit import jobs
from cairn.kit.jobs import JobInput
from cairn.kit.progress import Progress


def import_postings(session: Session, job: JobInput, progress: Progress) -> dict[str, Any]:
    """The queued file imported as ``cairn demand import`` would, linking to its batch."""
    org_id = job.payload.get("org_id")
    imported = demand_service.import_postings(
        session,
        job.actor,
        source=job.payload["source"],
        postings=PostingsFile(job.filename or "postings", job.file or b""),
        framework=job.payload.get("framework"),
        org_id=uuid.UUID(org_id) if org_id else None,
        progress=progress,
    )
    batch = imported.batch
    return {
        "href": f"/demand/batches#batch-{batch.id}",
        "batch_id": str(batch.id),
        "postings": batch.postings,
        "mentions": batch.mentions,
        "skills": imported.skills,
        "unlinked": imported.unlinked,
    }


jobs.register(demand_service.IMPORT_JOB, import_postings)
