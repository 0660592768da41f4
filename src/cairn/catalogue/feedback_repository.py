"""Queries of feedback surveys: invitations owed, answers, and their figures per version."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from cairn.catalogue.enums import JobOutcome, SurveyKind, VersionStatus
from cairn.catalogue.feedback_models import SurveyInvitation, SurveyResponse
from cairn.catalogue.models import Specification, SpecificationVersion
from cairn.kit.actor import Role
from cairn.orgs.models import Membership, Organisation, Person


def invitation_by_token(
    session: Session, token: str, *, lock: bool = False
) -> SurveyInvitation | None:
    query = select(SurveyInvitation).where(SurveyInvitation.token == token)
    return session.scalar(query.with_for_update() if lock else query)


def employer_invitation_exists(
    session: Session, version_id: uuid.UUID, holder_id: uuid.UUID, org_id: uuid.UUID
) -> bool:
    return (
        session.scalar(
            select(func.count()).where(
                SurveyInvitation.kind == SurveyKind.EMPLOYER,
                SurveyInvitation.version_id == version_id,
                SurveyInvitation.holder_id == holder_id,
                SurveyInvitation.respondent_org_id == org_id,
            )
        )
        != 0
    )


def pending_for(
    session: Session, person_id: uuid.UUID, org_ids: Collection[uuid.UUID], today: date
) -> Sequence[SurveyInvitation]:
    """Due and unanswered: the person's own, and employer surveys put to ``org_ids``."""
    return session.scalars(
        select(SurveyInvitation)
        .where(
            or_(
                SurveyInvitation.respondent_id == person_id,
                SurveyInvitation.respondent_org_id.in_(list(org_ids)),
            ),
            SurveyInvitation.answered_at.is_(None),
            SurveyInvitation.due_on <= today,
        )
        .order_by(SurveyInvitation.due_on, SurveyInvitation.id)
    ).all()


def due_unsent(session: Session, today: date) -> Sequence[SurveyInvitation]:
    return session.scalars(
        select(SurveyInvitation)
        .where(
            SurveyInvitation.due_on <= today,
            SurveyInvitation.sent_at.is_(None),
            SurveyInvitation.answered_at.is_(None),
        )
        .order_by(SurveyInvitation.due_on, SurveyInvitation.id)
    ).all()


def hr_administrators(session: Session, org_id: uuid.UUID) -> Sequence[Person]:
    """Who answers an employer's surveys: its active HR administrators."""
    return session.scalars(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.org_id == org_id,
            Membership.role == Role.HR_ADMIN,
            Person.is_active.is_(True),
        )
        .order_by(Person.email)
        .distinct()
    ).all()


@dataclass(frozen=True)
class Subject:
    """What a survey is about, as its page and e-mail name it."""

    version: SpecificationVersion
    specification: Specification
    issuer: Organisation


def subjects(session: Session, version_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Subject]:
    if not version_ids:
        return {}
    rows = session.execute(
        select(SpecificationVersion, Specification, Organisation)
        .join(Specification, Specification.id == SpecificationVersion.specification_id)
        .join(Organisation, Organisation.id == Specification.owner_org_id)
        .where(SpecificationVersion.id.in_(list(version_ids)))
    ).all()
    return {version.id: Subject(version, spec, org) for version, spec, org in rows}


def published_versions(
    session: Session, org_id: uuid.UUID
) -> Sequence[tuple[Specification, SpecificationVersion]]:
    """The organisation's specifications on offer, each at its published version, by title."""
    rows = session.execute(
        select(Specification, SpecificationVersion)
        .join(SpecificationVersion, SpecificationVersion.specification_id == Specification.id)
        .where(
            Specification.owner_org_id == org_id,
            SpecificationVersion.status == VersionStatus.PUBLISHED,
        )
        .order_by(SpecificationVersion.title, SpecificationVersion.id)
    ).all()
    return [(specification, version) for specification, version in rows]


def due_counts(
    session: Session, version_ids: Collection[uuid.UUID], today: date
) -> dict[tuple[uuid.UUID, SurveyKind], int]:
    """(version, kind) → surveys owed by ``today``: what a response rate is out of."""
    rows = session.execute(
        select(SurveyInvitation.version_id, SurveyInvitation.kind, func.count())
        .where(SurveyInvitation.version_id.in_(list(version_ids)), SurveyInvitation.due_on <= today)
        .group_by(SurveyInvitation.version_id, SurveyInvitation.kind)
    ).all()
    return {(version_id, kind): count for version_id, kind, count in rows}


@dataclass(frozen=True)
class Figures:
    responses: int
    mean_relevance: float | None
    mean_quality: float | None
    mean_had_skills: float | None


def _mean(value: object) -> float | None:
    """PostgreSQL averages integers as a Decimal, SQLite as a float."""
    return None if value is None else float(str(value))


def figures(
    session: Session, version_ids: Collection[uuid.UUID]
) -> dict[tuple[uuid.UUID, SurveyKind], Figures]:
    rows = session.execute(
        select(
            SurveyResponse.version_id,
            SurveyResponse.kind,
            func.count(),
            func.avg(SurveyResponse.relevance),
            func.avg(SurveyResponse.quality),
            func.avg(SurveyResponse.had_skills),
        )
        .where(SurveyResponse.version_id.in_(list(version_ids)))
        .group_by(SurveyResponse.version_id, SurveyResponse.kind)
    ).all()
    return {
        (version_id, kind): Figures(count, _mean(relevance), _mean(quality), _mean(had_skills))
        for version_id, kind, count, relevance, quality, had_skills in rows
    }


def job_outcomes(
    session: Session, version_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, dict[JobOutcome, int]]:
    rows = session.execute(
        select(SurveyResponse.version_id, SurveyResponse.job_outcome, func.count())
        .where(SurveyResponse.version_id.in_(list(version_ids)))
        .group_by(SurveyResponse.version_id, SurveyResponse.job_outcome)
    ).all()
    found: dict[uuid.UUID, dict[JobOutcome, int]] = {}
    for version_id, outcome, count in rows:
        if outcome is not None:
            found.setdefault(version_id, {})[outcome] = count
    return found


def comments(
    session: Session, version_ids: Collection[uuid.UUID]
) -> dict[tuple[uuid.UUID, SurveyKind], list[str]]:
    """Comments alone, in alphabetical order: neither who wrote them nor when."""
    rows = session.execute(
        select(SurveyResponse.version_id, SurveyResponse.kind, SurveyResponse.comment)
        .where(
            SurveyResponse.version_id.in_(list(version_ids)),
            SurveyResponse.comment.is_not(None),
        )
        .order_by(SurveyResponse.comment)
    ).all()
    found: dict[tuple[uuid.UUID, SurveyKind], list[str]] = {}
    for version_id, kind, comment in rows:
        if comment:
            found.setdefault((version_id, kind), []).append(comment)
    return found
