"""Assessment campaigns of an organisation, for its HR team: drafts, launch, reminders,
closing, and progress with results rolled up."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from cairn.api.v1.common import ERROR_RESPONSES
from cairn.assessment import campaigns
from cairn.assessment.campaign_schemas import CampaignCreate, CampaignUpdate
from cairn.assessment.campaigns import ParticipantStatus
from cairn.assessment.enums import CampaignStatus, TestMode
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.kit.actor import Actor
from cairn.profiles import campaign_results
from cairn.profiles.heatmap import DEFAULT_MIN_CELL

router = APIRouter(
    prefix="/orgs/{org_id}/campaigns", tags=["assessment campaigns"], responses=ERROR_RESPONSES
)


class CampaignRead(BaseModel):
    id: uuid.UUID
    org_id: uuid.UUID
    title: str
    message: str | None
    bank_id: uuid.UUID
    scope_skill_id: uuid.UUID | None
    mode: TestMode
    proctored: bool
    deadline: datetime
    status: CampaignStatus
    department_ids: list[uuid.UUID]
    position_ids: list[uuid.UUID]
    participants: int
    created_at: datetime
    launched_at: datetime | None
    closed_at: datetime | None


class Mailed(BaseModel):
    mailed: int = Field(description="People sent a mail by this request.")


class ParticipantProgress(BaseModel):
    person_id: uuid.UUID
    name: str
    email: str
    department: str | None
    status: ParticipantStatus
    finished_at: datetime | None
    reminders_sent: int
    level: int | None = Field(
        description="Only for a finished test of someone who shares their skills profile."
    )


class CompletionRead(BaseModel):
    group: str
    participants: int
    invited: int = Field(description="Not started yet.")
    started: int
    completed: int
    expired: int
    rate: float


class LevelRollupRead(BaseModel):
    group: str
    people: int
    distribution: dict[int, int] | None = Field(
        description="People per level; null when the group is too small to show."
    )
    mean: float | None


class ProgressRead(BaseModel):
    min_cell: int
    overall: CompletionRead
    by_department: list[CompletionRead]
    results: list[LevelRollupRead]
    pooled: LevelRollupRead | None = Field(description="The hidden small groups together.")
    overall_results: LevelRollupRead
    participants: list[ParticipantProgress]


def _read(
    session: Session, actor: Actor, org_id: uuid.UUID, campaign_id: uuid.UUID
) -> CampaignRead:
    detail = campaigns.detail(session, actor, org_id, campaign_id)
    campaign = detail.campaign
    return CampaignRead(
        id=campaign.id,
        org_id=campaign.org_id,
        title=campaign.title,
        message=campaign.message,
        bank_id=campaign.bank_id,
        scope_skill_id=campaign.scope_skill_id,
        mode=campaign.mode,
        proctored=campaign.proctored,
        deadline=campaign.deadline,
        status=campaign.status,
        department_ids=[d.id for d in detail.departments],
        position_ids=[p.id for p in detail.positions],
        participants=detail.participants,
        created_at=campaign.created_at,
        launched_at=campaign.launched_at,
        closed_at=campaign.closed_at,
    )


@router.get("", response_model=list[CampaignRead], summary="List the campaigns")
def list_campaigns(org_id: uuid.UUID, session: DbSession, actor: ApiActor) -> list[CampaignRead]:
    return [
        _read(session, actor, org_id, campaign.id)
        for campaign in campaigns.list_campaigns(session, actor, org_id)
    ]


@router.post("", response_model=CampaignRead, status_code=201, summary="Prepare a draft campaign")
def create_campaign(
    org_id: uuid.UUID, data: CampaignCreate, session: DbSession, actor: ApiActor
) -> CampaignRead:
    campaign = campaigns.create_campaign(session, actor, org_id, data)
    return _read(session, actor, org_id, campaign.id)


@router.get("/{campaign_id}", response_model=CampaignRead, summary="Read a campaign")
def read_campaign(
    org_id: uuid.UUID, campaign_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> CampaignRead:
    return _read(session, actor, org_id, campaign_id)


@router.patch("/{campaign_id}", response_model=CampaignRead, summary="Change a draft campaign")
def update_campaign(
    org_id: uuid.UUID,
    campaign_id: uuid.UUID,
    data: CampaignUpdate,
    session: DbSession,
    actor: ApiActor,
) -> CampaignRead:
    campaigns.update_campaign(session, actor, org_id, campaign_id, data)
    return _read(session, actor, org_id, campaign_id)


@router.post(
    "/{campaign_id}/launch",
    response_model=Mailed,
    summary="Launch: invite everyone targeted, by mail",
)
def launch_campaign(
    org_id: uuid.UUID, campaign_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> Mailed:
    return Mailed(mailed=campaigns.launch(session, actor, org_id, campaign_id))


@router.post(
    "/{campaign_id}/invite-new",
    response_model=Mailed,
    summary="Invite people who joined the targeted departments or roles since the launch",
)
def invite_new_members(
    org_id: uuid.UUID, campaign_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> Mailed:
    return Mailed(mailed=campaigns.invite_new_members(session, actor, org_id, campaign_id))


@router.post(
    "/{campaign_id}/remind",
    response_model=Mailed,
    summary="Remind those who have not finished (at most once a day each)",
)
def remind_campaign(
    org_id: uuid.UUID, campaign_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> Mailed:
    return Mailed(mailed=campaigns.remind(session, actor, org_id, campaign_id))


@router.post(
    "/{campaign_id}/close",
    response_model=CampaignRead,
    summary="Close now; tests in progress expire",
)
def close_campaign(
    org_id: uuid.UUID, campaign_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> CampaignRead:
    campaigns.close(session, actor, org_id, campaign_id)
    return _read(session, actor, org_id, campaign_id)


@router.get(
    "/{campaign_id}/progress",
    response_model=ProgressRead,
    summary="Progress and results, small groups suppressed",
)
def read_progress(
    org_id: uuid.UUID,
    campaign_id: uuid.UUID,
    session: DbSession,
    actor: ApiActor,
    min_cell: Annotated[
        int, Query(ge=1, description="Hide level figures of groups with fewer people.")
    ] = DEFAULT_MIN_CELL,
) -> ProgressRead:
    found = campaign_results.report(session, actor, org_id, campaign_id, min_cell=min_cell)

    def completion(item: campaign_results.Completion) -> CompletionRead:
        return CompletionRead(
            group=item.group,
            participants=item.participants,
            invited=item.invited,
            started=item.started,
            completed=item.completed,
            expired=item.expired,
            rate=round(item.rate, 3),
        )

    def rollup(item: campaign_results.LevelRollup) -> LevelRollupRead:
        return LevelRollupRead(
            group=item.group,
            people=item.people,
            distribution=item.distribution,
            mean=None if item.mean is None else round(item.mean, 2),
        )

    return ProgressRead(
        min_cell=found.min_cell,
        overall=completion(found.overall),
        by_department=[completion(item) for item in found.by_department],
        results=[rollup(item) for item in found.results],
        pooled=rollup(found.pooled) if found.pooled else None,
        overall_results=rollup(found.overall_results),
        participants=[
            ParticipantProgress(
                person_id=row.person_id,
                name=row.name,
                email=row.email,
                department=row.department,
                status=row.status,
                finished_at=row.finished_at,
                reminders_sent=row.reminders_sent,
                level=row.level,
            )
            for row in found.rows
        ],
    )
