"""Recognition of prior learning: a learner's claims under /me/rpl-claims (JSON with links;
files by multipart upload), and an organisation's assessors' queue and decisions."""

from __future__ import annotations

import uuid
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Response, UploadFile, status

from cairn.api.v1.common import ERROR_RESPONSES, PageQuery, to_page
from cairn.assessment import rpl
from cairn.assessment.enums import RplStatus
from cairn.assessment.models import RplArtifact
from cairn.assessment.rpl_files import MAX_CLAIM_BYTES, MAX_FILE_BYTES, download_headers
from cairn.assessment.rpl_schemas import (
    ArtifactRead,
    ClaimCreate,
    ClaimRead,
    CriterionRead,
    DecisionWrite,
    EvidenceAdd,
)
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.kit.pagination import Page

TAGS: list[str | Enum] = ["recognition of prior learning"]
mine = APIRouter(prefix="/me/rpl-claims", tags=TAGS, responses=ERROR_RESPONSES)
assessed = APIRouter(prefix="/orgs/{org_id}/rpl-claims", tags=TAGS, responses=ERROR_RESPONSES)
DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/octet-stream": {}},
        "description": "The file, as an attachment, with the media type found on upload.",
    }
}


def artifact_read(artifact: RplArtifact) -> ArtifactRead:
    return ArtifactRead(
        id=artifact.id,
        kind=artifact.kind,
        title=artifact.title,
        url=artifact.url,
        filename=artifact.filename,
        media_type=artifact.media_type,
        size=artifact.size,
        added_at=artifact.added_at,
    )


def claim_read(view: rpl.ClaimView) -> ClaimRead:
    claim = view.claim
    return ClaimRead(
        id=claim.id,
        org_id=view.org.id,
        org_name=view.org.name,
        person_id=view.person.id,
        person_name=view.person.display_name,
        skill_id=view.skill.id,
        skill_uri=view.skill.uri,
        skill_label=view.skill.preferred_label,
        framework=view.framework.slug,
        framework_version=view.framework.version,
        claimed_level=claim.claimed_level,
        claimed_level_label=view.level_label(claim.claimed_level),
        statement=claim.statement,
        status=claim.status,
        submitted_at=claim.submitted_at,
        assessor_id=claim.assessor_id,
        decided_at=claim.decided_at,
        decided_level=claim.decided_level,
        decision_note=claim.decision_note,
        criteria=[
            CriterionRead(key=c.key, criterion=c.text, met=c.met, note=c.note)
            for c in view.criteria
        ],
        artifacts=[artifact_read(artifact) for artifact in view.artifacts],
    )


def _download(artifact: RplArtifact) -> Response:
    headers = download_headers(
        artifact.filename or "file", artifact.media_type or "application/octet-stream"
    )
    return Response(content=artifact.data or b"", headers=headers)


# --- mine ---------------------------------------------------------------------------------


@mine.get("", response_model=Page[ClaimRead], summary="My claims of prior learning, newest first")
def list_my_claims(session: DbSession, actor: ApiActor, params: PageQuery) -> Page[ClaimRead]:
    return to_page(rpl.my_claims(session, actor, params), claim_read)


@mine.post(
    "",
    response_model=ClaimRead,
    status_code=status.HTTP_201_CREATED,
    summary="Claim a level in a skill before one of my organisations, with links as evidence",
    description="Upload files afterwards with `POST /me/rpl-claims/{claim_id}/files`.",
)
def create_claim(data: ClaimCreate, session: DbSession, actor: ApiActor) -> ClaimRead:
    claim = rpl.submit_claim(session, actor, data)
    return claim_read(rpl.my_claim(session, actor.without_scopes(), claim.id))


@mine.get("/{claim_id}", response_model=ClaimRead, summary="One of my claims")
def read_my_claim(claim_id: uuid.UUID, session: DbSession, actor: ApiActor) -> ClaimRead:
    return claim_read(rpl.my_claim(session, actor, claim_id))


@mine.post(
    "/{claim_id}/files",
    response_model=list[ArtifactRead],
    status_code=status.HTTP_201_CREATED,
    summary="Add files to an undecided claim (multipart/form-data, field `files`)",
    description=(
        f"PDF, PNG, JPEG, plain text, OpenDocument or Office Open XML, recognised by content; "
        f"at most {MAX_FILE_BYTES >> 20} MB each and {MAX_CLAIM_BYTES >> 20} MB per claim."
    ),
)
def upload_files(
    claim_id: uuid.UUID,
    session: DbSession,
    actor: ApiActor,
    files: Annotated[list[UploadFile] | None, File(description="One or more files.")] = None,
) -> list[ArtifactRead]:
    uploads = []
    for upload in files or []:
        if upload.filename:
            uploads.append(rpl.Upload(upload.filename, upload.file.read(MAX_FILE_BYTES + 1)))
        upload.file.close()
    return [artifact_read(a) for a in rpl.add_evidence(session, actor, claim_id, uploads=uploads)]


@mine.post(
    "/{claim_id}/links",
    response_model=list[ArtifactRead],
    status_code=status.HTTP_201_CREATED,
    summary="Add links to an undecided claim",
)
def add_links(
    claim_id: uuid.UUID, data: EvidenceAdd, session: DbSession, actor: ApiActor
) -> list[ArtifactRead]:
    return [artifact_read(a) for a in rpl.add_evidence(session, actor, claim_id, links=data.links)]


@mine.post(
    "/{claim_id}/resubmission",
    response_model=ClaimRead,
    summary="Submit again a claim returned for more evidence (409 otherwise)",
)
def resubmit_claim(claim_id: uuid.UUID, session: DbSession, actor: ApiActor) -> ClaimRead:
    rpl.resubmit(session, actor, claim_id)
    return claim_read(rpl.my_claim(session, actor.without_scopes(), claim_id))


@mine.delete(
    "/{claim_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Withdraw an undecided claim: it is deleted with its files",
)
def withdraw_claim(claim_id: uuid.UUID, session: DbSession, actor: ApiActor) -> Response:
    rpl.withdraw(session, actor, claim_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@mine.get(
    "/{claim_id}/files/{artifact_id}",
    response_class=Response,
    responses=DOWNLOAD,
    summary="Download a file of my claim",
)
def download_my_file(
    claim_id: uuid.UUID, artifact_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> Response:
    return _download(rpl.my_file(session, actor, claim_id, artifact_id))


# --- assessed by an organisation ----------------------------------------------------------


@assessed.get(
    "",
    response_model=Page[ClaimRead],
    summary="Claims put to the organisation, oldest first (assessors: HR admins, educators)",
)
def list_org_claims(
    org_id: uuid.UUID,
    session: DbSession,
    actor: ApiActor,
    params: PageQuery,
    claim_status: Annotated[
        RplStatus | None, Query(alias="status", description="Only claims in this status.")
    ] = None,
) -> Page[ClaimRead]:
    return to_page(rpl.queue(session, actor, org_id, claim_status, params), claim_read)


@assessed.get("/{claim_id}", response_model=ClaimRead, summary="A claim, with its criteria")
def read_org_claim(
    org_id: uuid.UUID, claim_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> ClaimRead:
    return claim_read(rpl.review(session, actor, org_id, claim_id))


@assessed.get(
    "/{claim_id}/files/{artifact_id}",
    response_class=Response,
    responses=DOWNLOAD,
    summary="Download a file of a claim",
)
def download_claim_file(
    org_id: uuid.UUID,
    claim_id: uuid.UUID,
    artifact_id: uuid.UUID,
    session: DbSession,
    actor: ApiActor,
) -> Response:
    return _download(rpl.claim_file(session, actor, org_id, claim_id, artifact_id))


@assessed.post(
    "/{claim_id}/decision",
    response_model=ClaimRead,
    summary="Judge every criterion, then accept, reject or ask for more evidence",
    description="Accepting records assessor-reviewed evidence in the learner's profile; the "
    "learner is told by e-mail. Nobody decides their own claim (403).",
)
def decide_claim(
    org_id: uuid.UUID,
    claim_id: uuid.UUID,
    data: DecisionWrite,
    session: DbSession,
    actor: ApiActor,
) -> ClaimRead:
    rpl.decide(session, actor, org_id, claim_id, data)
    return claim_read(rpl.review(session, actor.without_scopes(), org_id, claim_id))


router = APIRouter()
router.include_router(mine)
router.include_router(assessed)
