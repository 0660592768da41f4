"""Awards: an issuer's registrars record them; a learner reads theirs and what they count
toward."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from cairn.api.v1.common import ERROR_RESPONSES
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.catalogue.stacking_schemas import RuleProgressRead
from cairn.credentials import service
from cairn.credentials.repository import AwardLine
from cairn.credentials.schemas import AwardCreate, AwardRead

router = APIRouter(tags=["awards"], responses=ERROR_RESPONSES)


def award_read(line: AwardLine) -> AwardRead:
    return AwardRead(
        id=line.award.id,
        version_id=line.version.id,
        specification_id=line.specification.id,
        title=line.version.title,
        version_number=line.version.number,
        issuer_org_id=line.issuer.id,
        issuer_name=line.issuer.name,
        learner_id=line.learner.id,
        learner_name=line.learner.display_name,
        awarded_on=line.award.awarded_on,
        grade=line.award.grade,
        via_rpl=line.award.via_rpl,
    )


@router.get(
    "/orgs/{org_id}/awards",
    response_model=list[AwardRead],
    summary="The issuer's awards, newest first (registrars)",
)
def list_awards(org_id: uuid.UUID, session: DbSession, actor: ApiActor) -> list[AwardRead]:
    return [award_read(line) for line in service.list_awards_for_issuer(session, actor, org_id)]


@router.post(
    "/orgs/{org_id}/awards",
    response_model=AwardRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record that a learner achieved a published version (registrars); "
    "this schedules the learner's feedback surveys",
)
def record_award(
    org_id: uuid.UUID, data: AwardCreate, session: DbSession, actor: ApiActor
) -> AwardRead:
    award = service.record_award(session, actor, org_id, data)
    return award_read(service.award_line(session, actor.without_scopes(), award))


@router.get("/me/awards", response_model=list[AwardRead], summary="My awards, newest first")
def my_awards(session: DbSession, actor: ApiActor) -> list[AwardRead]:
    return [award_read(line) for line in service.my_awards(session, actor)]


@router.get(
    "/me/counts-toward",
    response_model=list[RuleProgressRead],
    summary="What my awards already count toward, achieved first "
    "(needs profile:read and catalogue:read)",
)
def counts_toward(session: DbSession, actor: ApiActor) -> list[RuleProgressRead]:
    return [
        RuleProgressRead.model_validate(standing)
        for standing in service.counts_toward(session, actor)
    ]
