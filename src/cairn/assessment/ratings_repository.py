"""Queries of ratings: peer rating requests, seen by the person who asked and the colleague
asked, and nobody else."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, CursorResult, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from cairn.assessment.models import RatingRequest
from cairn.orgs.models import Organisation, Person


def get_request(session: Session, request_id: uuid.UUID) -> RatingRequest | None:
    return session.get(RatingRequest, request_id)


def requests_sent(
    session: Session, person_id: uuid.UUID
) -> Sequence[tuple[RatingRequest, Person, Organisation]]:
    """What ``person_id`` asked for, newest first, with the colleague asked."""
    return _with_people(session, RatingRequest.person_id == person_id, RatingRequest.rater_id)


def requests_received(
    session: Session, rater_id: uuid.UUID
) -> Sequence[tuple[RatingRequest, Person, Organisation]]:
    """What ``rater_id`` was asked, newest first, with the person who asked."""
    return _with_people(session, RatingRequest.rater_id == rater_id, RatingRequest.person_id)


def _with_people(
    session: Session, condition: ColumnElement[bool], other: InstrumentedAttribute[uuid.UUID]
) -> Sequence[tuple[RatingRequest, Person, Organisation]]:
    person = aliased(Person)
    rows = session.execute(
        select(RatingRequest, person, Organisation)
        .join(person, person.id == other)
        .join(Organisation, Organisation.id == RatingRequest.org_id)
        .where(condition)
        .order_by(RatingRequest.created_at.desc(), RatingRequest.id)
    )
    return [(request, who, org) for request, who, org in rows]


def close_request(
    session: Session,
    request_id: uuid.UUID,
    *,
    answered_at: datetime | None = None,
    declined_at: datetime | None = None,
) -> bool:
    """Mark an open request answered or declined; False when it was already closed, so two
    answers racing each other cannot both be recorded."""
    result = session.execute(
        update(RatingRequest)
        .where(
            RatingRequest.id == request_id,
            RatingRequest.answered_at.is_(None),
            RatingRequest.declined_at.is_(None),
        )
        .values({"answered_at": answered_at} if answered_at else {"declined_at": declined_at})
        .execution_options(synchronize_session="fetch")
    )
    assert isinstance(result, CursorResult)  # noqa: S101 - an UPDATE always has a row count
    return result.rowcount == 1
