"""Verifiable credentials an issuer signed from its awards: its registrars list and read
them, issue one for an award, and revoke, suspend or reinstate one with a reason."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy.orm import Session

from cairn.api.v1.common import ERROR_RESPONSES
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.credentials import issuing_service, service
from cairn.credentials.issued_models import CredentialKind, IssuedCredential, ProofFormat
from cairn.credentials.issuing_service import IssueOptions
from cairn.credentials.repository import AwardLine
from cairn.credentials.vc_api_service import CredentialState, state_of
from cairn.kit.actor import Actor
from cairn.kit.errors import FieldError, InvalidInput, NotFound
from cairn.kit.i18n import lazy_gettext

router = APIRouter(
    prefix="/orgs/{org_id}/credentials", tags=["credentials"], responses=ERROR_RESPONSES
)

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class EvidenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    """Where the learner's work is, starting with https://."""
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class CredentialIssue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    award_id: uuid.UUID
    """One of the issuer's awards without a live credential."""
    proof_format: ProofFormat = ProofFormat.EDDSA_RDFC_2022
    valid_until: AwareDatetime | None = None
    """When the credential stops being valid; none for one that does not expire."""
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=20)


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason
    """Told to the learner; kept with the credential."""


class IssuedCredentialRead(BaseModel):
    id: uuid.UUID
    """The credential's ``urn:uuid:``."""
    issuer_org_id: uuid.UUID
    kind: CredentialKind
    proof_format: ProofFormat
    title: str
    award_id: uuid.UUID | None
    learner_id: uuid.UUID | None
    learner_name: str | None
    issued_at: datetime
    valid_from: datetime
    valid_until: datetime | None
    state: CredentialState
    revoked_at: datetime | None
    revocation_reason: str | None
    suspended_at: datetime | None
    suspension_reason: str | None


class IssuedCredentialDetail(IssuedCredentialRead):
    credential: dict[str, Any] | str = Field(
        description="The credential exactly as signed: JSON, or a compact JWT for vc+jwt."
    )


def _read(issued: IssuedCredential, line: AwardLine | None) -> dict[str, Any]:
    return {
        "id": issued.id,
        "issuer_org_id": issued.issuer_org_id,
        "kind": issued.kind,
        "proof_format": issued.proof_format,
        "title": issued.title,
        "award_id": issued.award_id,
        "learner_id": issued.learner_id,
        "learner_name": line.learner.display_name if line else None,
        "issued_at": issued.issued_at,
        "valid_from": issued.valid_from,
        "valid_until": issued.valid_until,
        "state": state_of(issued),
        "revoked_at": issued.revoked_at,
        "revocation_reason": issued.revocation_reason,
        "suspended_at": issued.suspended_at,
        "suspension_reason": issued.suspension_reason,
    }


def _detail(issued: IssuedCredential, line: AwardLine | None) -> IssuedCredentialDetail:
    document: dict[str, Any] | str = (
        issued.document
        if issued.proof_format is ProofFormat.VC_JWT
        else json.loads(issued.document)
    )
    return IssuedCredentialDetail(**_read(issued, line), credential=document)


def _award_lines(session: Session, actor: Actor, org_id: uuid.UUID) -> dict[uuid.UUID, AwardLine]:
    """The issuer's awards by id, which name each credential's learner; refuses anyone
    but the issuer's registrars."""
    return {line.award.id: line for line in service.list_awards_for_issuer(session, actor, org_id)}


def _issued(
    session: Session, actor: Actor, org_id: uuid.UUID, credential_id: uuid.UUID
) -> tuple[IssuedCredential, AwardLine | None]:
    lines = _award_lines(session, actor, org_id)
    issued = issuing_service.issued_credential(session, actor, credential_id)
    if issued.issuer_org_id != org_id:
        raise NotFound(lazy_gettext("There is no such credential."))
    return issued, lines.get(issued.award_id) if issued.award_id else None


@router.get(
    "",
    response_model=list[IssuedCredentialRead],
    summary="The credentials the issuer signed for learners, newest first (registrars)",
)
def list_credentials(
    org_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> list[IssuedCredentialRead]:
    lines = _award_lines(session, actor, org_id)
    return [
        IssuedCredentialRead(
            **_read(issued, lines.get(issued.award_id) if issued.award_id else None)
        )
        for issued in issuing_service.issued_by_org(session, actor, org_id)
    ]


@router.get(
    "/{credential_id}",
    response_model=IssuedCredentialDetail,
    summary="One credential, with the document exactly as signed (registrars)",
)
def get_credential(
    org_id: uuid.UUID, credential_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> IssuedCredentialDetail:
    return _detail(*_issued(session, actor, org_id, credential_id))


@router.post(
    "",
    response_model=IssuedCredentialDetail,
    status_code=status.HTTP_201_CREATED,
    summary="Sign the Open Badges 3.0 credential for one award and put it in the learner's "
    "wallet (registrars; needs catalogue:write)",
)
def issue_credential(
    org_id: uuid.UUID, data: CredentialIssue, session: DbSession, actor: ApiActor
) -> IssuedCredentialDetail:
    line = _award_lines(session, actor, org_id).get(data.award_id)
    if line is None:
        message = lazy_gettext("Choose one of this issuer's awards.")
        raise InvalidInput(message, [FieldError("award_id", message)])
    options = IssueOptions(
        proof_format=data.proof_format,
        valid_until=data.valid_until,
        evidence=[(item.url, item.name) for item in data.evidence],
    )
    return _detail(issuing_service.issue_award(session, actor, data.award_id, options), line)


@router.post(
    "/{credential_id}/revoke",
    response_model=IssuedCredentialDetail,
    summary="Revoke for good; the learner is told the reason (registrars)",
)
def revoke(
    org_id: uuid.UUID,
    credential_id: uuid.UUID,
    data: StatusChange,
    session: DbSession,
    actor: ApiActor,
) -> IssuedCredentialDetail:
    issued, line = _issued(session, actor, org_id, credential_id)
    return _detail(issuing_service.revoke(session, actor, issued.id, data.reason), line)


@router.post(
    "/{credential_id}/suspend",
    response_model=IssuedCredentialDetail,
    summary="Suspend until reinstated; the learner is told the reason (registrars)",
)
def suspend(
    org_id: uuid.UUID,
    credential_id: uuid.UUID,
    data: StatusChange,
    session: DbSession,
    actor: ApiActor,
) -> IssuedCredentialDetail:
    issued, line = _issued(session, actor, org_id, credential_id)
    return _detail(issuing_service.suspend(session, actor, issued.id, data.reason), line)


@router.post(
    "/{credential_id}/reinstate",
    response_model=IssuedCredentialDetail,
    summary="Lift a suspension (registrars)",
)
def reinstate(
    org_id: uuid.UUID, credential_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> IssuedCredentialDetail:
    issued, line = _issued(session, actor, org_id, credential_id)
    return _detail(issuing_service.reinstate(session, actor, issued.id), line)
