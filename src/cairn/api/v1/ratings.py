"""Self-assessments, manager's ratings and peer ratings by invitation (decision 0020)."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from cairn.api.v1.common import ERROR_RESPONSES
from cairn.assessment import ratings
from cairn.assessment.enums import EvidenceSource
from cairn.assessment.models import Evidence, RatingRequest
from cairn.assessment.rating_schemas import RatingRequestCreate, RatingsWrite
from cairn.auth.dependencies import ApiActor, DbSession

router = APIRouter(tags=["ratings"], responses=ERROR_RESPONSES)


class RatingRead(BaseModel):
    """One rating, as recorded in the person's evidence."""

    person_id: uuid.UUID
    skill_id: uuid.UUID
    level: int
    source: EvidenceSource
    observed_at: datetime
    confidence: float = Field(description="0 to 1 when given; it fades with age.")
    recorded_by_id: uuid.UUID | None = Field(description="The manager or peer; null for you.")
    org_id: uuid.UUID | None
    comment: str | None


def rating_read(evidence: Evidence) -> RatingRead:
    return RatingRead(
        person_id=evidence.person_id,
        skill_id=evidence.skill_id,
        level=evidence.level,
        source=evidence.source,
        observed_at=evidence.observed_at,
        confidence=evidence.confidence,
        recorded_by_id=evidence.recorded_by_id,
        org_id=evidence.org_id,
        comment=evidence.details.get("comment"),
    )


class RatingRequestRead(BaseModel):
    id: uuid.UUID
    person_id: uuid.UUID = Field(description="Who asked to be rated.")
    rater_id: uuid.UUID = Field(description="The colleague asked.")
    other_name: str = Field(description="The colleague asked, or the person who asked you.")
    org_id: uuid.UUID
    org_name: str
    skill_ids: list[uuid.UUID]
    message: str | None
    status: ratings.RequestStatus
    created_at: datetime
    answered_at: datetime | None
    declined_at: datetime | None


class MyRatingRequests(BaseModel):
    sent: list[RatingRequestRead]
    received: list[RatingRequestRead]


def request_read(request: RatingRequest, other_name: str, org_name: str) -> RatingRequestRead:
    return RatingRequestRead(
        id=request.id,
        person_id=request.person_id,
        rater_id=request.rater_id,
        other_name=other_name,
        org_id=request.org_id,
        org_name=org_name,
        skill_ids=[uuid.UUID(value) for value in request.skill_ids],
        message=request.message,
        status=ratings.status_of(request),
        created_at=request.created_at,
        answered_at=request.answered_at,
        declined_at=request.declined_at,
    )


@router.post(
    "/me/self-assessments",
    response_model=list[RatingRead],
    status_code=201,
    summary="Rate my own level in skills",
)
def self_assess(data: RatingsWrite, session: DbSession, actor: ApiActor) -> list[RatingRead]:
    return [rating_read(e) for e in ratings.self_assess(session, actor, data)]


@router.get(
    "/me/rating-requests",
    response_model=MyRatingRequests,
    summary="Peer rating requests I sent and those waiting for me",
)
def list_requests(session: DbSession, actor: ApiActor) -> MyRatingRequests:
    mine = ratings.my_requests(session, actor)
    return MyRatingRequests(
        sent=[
            request_read(line.request, line.other.display_name, line.org.name) for line in mine.sent
        ],
        received=[
            request_read(line.request, line.other.display_name, line.org.name)
            for line in mine.received
        ],
    )


@router.post(
    "/me/rating-requests",
    response_model=RatingRequestRead,
    status_code=201,
    summary="Ask a colleague to rate chosen skills",
)
def create_request(
    data: RatingRequestCreate, session: DbSession, actor: ApiActor
) -> RatingRequestRead:
    view = ratings.request_rating(session, actor, data)
    return request_read(view.request, view.rater.display_name, view.org.name)


@router.post(
    "/me/rating-requests/{request_id}/answer",
    response_model=list[RatingRead],
    status_code=201,
    summary="Answer a colleague's request: rate the skills they chose",
)
def answer_request(
    request_id: uuid.UUID, data: RatingsWrite, session: DbSession, actor: ApiActor
) -> list[RatingRead]:
    return [rating_read(e) for e in ratings.answer_request(session, actor, request_id, data)]


@router.post(
    "/me/rating-requests/{request_id}/decline",
    response_model=RatingRequestRead,
    summary="Decline a colleague's request",
)
def decline_request(
    request_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> RatingRequestRead:
    view = ratings.decline_request(session, actor, request_id)
    return request_read(view.request, view.asker.display_name, view.org.name)


@router.post(
    "/orgs/{org_id}/people/{person_id}/ratings",
    response_model=list[RatingRead],
    status_code=201,
    summary="Give a member of the organisation a manager's rating",
)
def rate_as_manager(
    org_id: uuid.UUID,
    person_id: uuid.UUID,
    data: RatingsWrite,
    session: DbSession,
    actor: ApiActor,
) -> list[RatingRead]:
    evidence = ratings.rate_as_manager(session, actor, org_id, person_id, data)
    return [rating_read(e) for e in evidence]
