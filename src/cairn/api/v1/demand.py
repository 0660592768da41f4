"""Skills in demand: batches of job postings (a file upload or a JSON body), the skills
most in demand with their three signals, and a specification's coverage."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status

from cairn.api.v1.common import ERROR_RESPONSES
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.catalogue import demand_export, demand_service
from cairn.catalogue.demand_import import MAX_FILE_BYTES, PostingRecords, PostingsFile
from cairn.catalogue.demand_schemas import (
    CoverageRead,
    DemandRead,
    OutcomeDemandRead,
    Period,
    PostingBatchCreate,
    PostingBatchRead,
)
from cairn.catalogue.demand_service import MAX_LIMIT, Coverage, ImportedBatch
from cairn.kit.jobs_schemas import JobRead

router = APIRouter(tags=["skills demand"], responses=ERROR_RESPONSES)
REFUSED = (
    "A bad posting refuses the whole batch: the problem details list each one in `errors`, "
    "its `detail` naming the file (or position), line and field."
)


def _batch_read(imported: ImportedBatch) -> PostingBatchRead:
    return PostingBatchRead.model_validate(imported.batch)


@router.post(
    "/demand/batches",
    response_model=PostingBatchRead,
    status_code=status.HTTP_201_CREATED,
    summary="Import job postings sent as JSON (program authorities, platform administrators)",
    description=REFUSED,
)
def import_batch(data: PostingBatchCreate, session: DbSession, actor: ApiActor) -> PostingBatchRead:
    return _batch_read(
        demand_service.import_postings(
            session,
            actor,
            source=data.source,
            postings=PostingRecords(data.postings),
            framework=data.framework,
            org_id=data.org_id,
        )
    )


@router.post(
    "/demand/batches/file",
    response_model=JobRead,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Import a file of job postings in the background: CSV or JSON lines "
    "(multipart/form-data)",
    description=(
        f"CSV columns `title,text,region,date[,id][,skills]` (skills separated by `;`), or "
        f"one JSON object per line with the same keys (`skills` a list); at most "
        f"{MAX_FILE_BYTES >> 20} MB. The fields are checked at once; the file is imported "
        f"by a background job, answered here and at the `Location` header "
        f"(`/api/v1/jobs/{{id}}`). A bad posting refuses the whole file: the job fails, its "
        f"`error_details` naming each bad line as `file:line: field: problem`. Once it "
        f"succeeds, its `result` holds the `batch_id`."
    ),
)
def import_file(
    response: Response,
    session: DbSession,
    actor: ApiActor,
    file: Annotated[UploadFile, File(description="The postings, .csv or .jsonl.")],
    source: Annotated[str, Form(description="Where the postings come from, in words.")],
    framework: Annotated[
        str | None, Form(description="`esco` (the default) or `slug@version`.")
    ] = None,
    org_id: Annotated[
        uuid.UUID | None, Form(description="The program authority; absent for the platform.")
    ] = None,
) -> JobRead:
    data = file.file.read(MAX_FILE_BYTES + 1)
    file.file.close()
    job = demand_service.queue_import(
        session,
        actor,
        source=source,
        postings=PostingsFile(file.filename or "postings", data),
        framework=framework,
        org_id=org_id,
    )
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return JobRead.of(job)


@router.get(
    "/demand/batches",
    response_model=list[PostingBatchRead],
    summary="Batches of postings of my organisations, newest first",
)
def list_batches(session: DbSession, actor: ApiActor) -> list[PostingBatchRead]:
    return [
        PostingBatchRead.model_validate(batch)
        for batch in demand_service.list_batches(session, actor)
    ]


@router.delete(
    "/demand/batches/{batch_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a batch: its postings leave every count",
)
def delete_batch(batch_id: uuid.UUID, session: DbSession, actor: ApiActor) -> Response:
    demand_service.delete_batch(session, actor, batch_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/demand/skills",
    response_model=DemandRead,
    summary="Skills in demand: postings by period and region, employers' needs, role profiles",
)
def skills_in_demand(
    session: DbSession,
    actor: ApiActor,
    region: Annotated[str | None, Query(max_length=120, description="Only this region.")] = None,
    period: Annotated[Period, Query(description="How postings are grouped in time.")] = (
        Period.QUARTER
    ),
    since: Annotated[date | None, Query(description="Only postings from this day.")] = None,
    framework: Annotated[
        str | None, Query(max_length=120, description="Only this framework's skills.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = demand_service.DEFAULT_LIMIT,
) -> DemandRead:
    return demand_export.to_read(
        demand_service.skills_in_demand(
            session,
            actor,
            region=region,
            period=period,
            since=since,
            framework=framework,
            limit=limit,
        )
    )


def coverage_read(found: Coverage) -> CoverageRead:
    return CoverageRead(
        version_id=found.version_id,
        region=found.region,
        since=found.since,
        postings_total=found.postings_total,
        outcomes_in_demand=found.outcomes_in_demand,
        outcomes=found.outcomes,
        share=found.share,
        details=[
            OutcomeDemandRead.model_validate({**vars(outcome), "in_demand": outcome.in_demand})
            for outcome in found.details
        ],
    )


@router.get(
    "/specifications/{version_id}/demand",
    response_model=CoverageRead,
    summary="How much of a specification's outcomes is in demand, outcome by outcome",
)
def specification_demand(
    version_id: uuid.UUID,
    session: DbSession,
    actor: ApiActor,
    region: Annotated[str | None, Query(max_length=120, description="Only this region.")] = None,
    since: Annotated[
        date | None, Query(description="Postings from this day; a year ago by default.")
    ] = None,
) -> CoverageRead:
    return coverage_read(
        demand_service.coverage(session, actor, version_id, region=region, since=since)
    )
