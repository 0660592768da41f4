"""The caller: identity, memberships, learner profile and equity attributes."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Response, status
from pydantic import BaseModel

from cairn.api.v1.common import ERROR_RESPONSES
from cairn.assessment.enums import EvidenceSource
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.orgs import people
from cairn.orgs.schemas import (
    EquityAttributesRead,
    EquityAttributesWrite,
    MembershipSummary,
    MeRead,
    ProfileRead,
    ProfileUpdate,
)
from cairn.profiles import service as profiles_service

router = APIRouter(prefix="/me", tags=["me"], responses=ERROR_RESPONSES)


@router.get("", response_model=MeRead, summary="Who the token belongs to")
def read_me(session: DbSession, actor: ApiActor) -> MeRead:
    person = people.get_me(session, actor)
    return MeRead(
        id=person.id,
        email=person.email,
        display_name=person.display_name,
        locale=person.locale,
        memberships=[
            MembershipSummary(
                org_id=org.id, org_name=org.name, org_kind=org.kind, role=membership.role
            )
            for membership, org in people.my_memberships(session, actor)
        ],
    )


@router.get("/profile", response_model=ProfileRead, summary="Read my learner profile")
def read_profile(session: DbSession, actor: ApiActor) -> ProfileRead:
    return people.get_my_profile(session, actor)


@router.patch("/profile", response_model=ProfileRead, summary="Update my learner profile")
def update_profile(data: ProfileUpdate, session: DbSession, actor: ApiActor) -> ProfileRead:
    return people.update_my_profile(session, actor, data)


@router.get(
    "/equity-attributes",
    response_model=EquityAttributesRead | None,
    summary="Read my self-declared equity attributes (null when none are given)",
)
def read_equity(session: DbSession, actor: ApiActor) -> EquityAttributesRead | None:
    attributes = people.get_my_equity_attributes(session, actor)
    return EquityAttributesRead.model_validate(attributes) if attributes else None


@router.put(
    "/equity-attributes", response_model=EquityAttributesRead, summary="Declare, with consent"
)
def write_equity(
    data: EquityAttributesWrite, session: DbSession, actor: ApiActor
) -> EquityAttributesRead:
    return EquityAttributesRead.model_validate(
        people.set_my_equity_attributes(session, actor, data)
    )


@router.delete(
    "/equity-attributes",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Withdraw consent and erase the answers",
)
def withdraw_equity(session: DbSession, actor: ApiActor) -> Response:
    people.withdraw_my_equity_attributes(session, actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


class EvidenceRead(BaseModel):
    source: EvidenceSource
    level: int
    observed_at: datetime
    confidence_now: float
    chosen: bool


class SkillLevelRead(BaseModel):
    skill_id: uuid.UUID
    uri: str
    label: str
    framework: str
    framework_version: str
    level: int
    level_label: str | None
    source: EvidenceSource
    observed_at: datetime
    stale: bool
    evidence: list[EvidenceRead]


class SharingWrite(BaseModel):
    with_employers: bool


@router.get(
    "/skills", response_model=list[SkillLevelRead], summary="Read my skills profile, explained"
)
def read_my_skills(session: DbSession, actor: ApiActor) -> list[SkillLevelRead]:
    return [
        SkillLevelRead(
            skill_id=line.skill.id,
            uri=line.skill.uri,
            label=line.skill.preferred_label,
            framework=line.framework.slug,
            framework_version=line.framework.version,
            level=line.merged.level,
            level_label=line.level_label,
            source=line.merged.source,
            observed_at=line.merged.observed_at,
            stale=line.merged.stale,
            evidence=[
                EvidenceRead(
                    source=item.evidence.source,
                    level=item.evidence.level,
                    observed_at=item.evidence.observed_at,
                    confidence_now=item.confidence_now,
                    chosen=item.chosen,
                )
                for item in line.merged.considered
            ],
        )
        for line in profiles_service.profile(session, actor, actor.person_id)
    ]


@router.put(
    "/skills/sharing", response_model=SharingWrite, summary="Share my skills profile, or not"
)
def share_my_skills(data: SharingWrite, session: DbSession, actor: ApiActor) -> SharingWrite:
    sharing = profiles_service.set_sharing(session, actor, with_employers=data.with_employers)
    return SharingWrite(with_employers=sharing.with_employers)
