"""Queries of the catalogue."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cairn.catalogue.models import (
    Endorsement,
    LearningOutcome,
    Specification,
    SpecificationIssuer,
    SpecificationVersion,
)


def find_specification(
    session: Session, owner_org_id: uuid.UUID, slug: str
) -> Specification | None:
    return session.scalar(
        select(Specification).where(
            Specification.owner_org_id == owner_org_id, Specification.slug == slug
        )
    )


def get_specification(session: Session, specification_id: uuid.UUID) -> Specification | None:
    return session.get(Specification, specification_id)


def get_version(session: Session, version_id: uuid.UUID) -> SpecificationVersion | None:
    return session.get(SpecificationVersion, version_id)


def version_for_update(session: Session, version_id: uuid.UUID) -> SpecificationVersion | None:
    return session.scalar(
        select(SpecificationVersion).where(SpecificationVersion.id == version_id).with_for_update()
    )


def versions_of(session: Session, specification_id: uuid.UUID) -> Sequence[SpecificationVersion]:
    return session.scalars(
        select(SpecificationVersion)
        .where(SpecificationVersion.specification_id == specification_id)
        .order_by(SpecificationVersion.number)
    ).all()


def latest_number(session: Session, specification_id: uuid.UUID) -> int:
    found = session.scalar(
        select(func.max(SpecificationVersion.number)).where(
            SpecificationVersion.specification_id == specification_id
        )
    )
    return int(found or 0)


def specifications_of(
    session: Session, owner_org_id: uuid.UUID
) -> Sequence[tuple[Specification, SpecificationVersion]]:
    """Each of the organisation's specifications with its newest version."""
    newest = (
        select(
            SpecificationVersion.specification_id,
            func.max(SpecificationVersion.number).label("number"),
        )
        .group_by(SpecificationVersion.specification_id)
        .subquery()
    )
    rows = session.execute(
        select(Specification, SpecificationVersion)
        .join(SpecificationVersion, SpecificationVersion.specification_id == Specification.id)
        .join(
            newest,
            (newest.c.specification_id == SpecificationVersion.specification_id)
            & (newest.c.number == SpecificationVersion.number),
        )
        .where(Specification.owner_org_id == owner_org_id)
        .order_by(SpecificationVersion.title)
    ).all()
    return [(specification, version) for specification, version in rows]


def outcomes_of(session: Session, version_id: uuid.UUID) -> Sequence[LearningOutcome]:
    return session.scalars(
        select(LearningOutcome)
        .where(LearningOutcome.version_id == version_id)
        .order_by(LearningOutcome.position)
    ).all()


def replace_outcomes(
    session: Session, version_id: uuid.UUID, outcomes: Sequence[LearningOutcome]
) -> None:
    session.execute(delete(LearningOutcome).where(LearningOutcome.version_id == version_id))
    session.add_all(outcomes)


def co_issuer_ids(session: Session, version_id: uuid.UUID) -> Sequence[uuid.UUID]:
    return session.scalars(
        select(SpecificationIssuer.org_id).where(SpecificationIssuer.version_id == version_id)
    ).all()


def replace_co_issuers(
    session: Session, version_id: uuid.UUID, org_ids: Sequence[uuid.UUID]
) -> None:
    session.execute(delete(SpecificationIssuer).where(SpecificationIssuer.version_id == version_id))
    session.add_all(SpecificationIssuer(version_id=version_id, org_id=org_id) for org_id in org_ids)


def endorser_ids(session: Session, version_id: uuid.UUID) -> Sequence[uuid.UUID]:
    return session.scalars(
        select(Endorsement.org_id).where(Endorsement.version_id == version_id)
    ).all()
