"""Queries of the catalogue."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cairn.catalogue.enums import VersionStatus
from cairn.catalogue.models import (
    Endorsement,
    LearningOutcome,
    Specification,
    SpecificationIssuer,
    SpecificationPrerequisite,
    SpecificationVersion,
)
from cairn.orgs.models import Organisation


def find_specification(
    session: Session, owner_org_id: uuid.UUID, slug: str
) -> Specification | None:
    return session.scalar(
        select(Specification).where(
            Specification.owner_org_id == owner_org_id, Specification.slug == slug
        )
    )


def specification_at(session: Session, org_slug: str, slug: str) -> Specification | None:
    """The specification the catalogue's address ``org_slug/slug`` names."""
    return session.scalar(
        select(Specification)
        .join(Organisation, Organisation.id == Specification.owner_org_id)
        .where(Organisation.slug == org_slug, Specification.slug == slug)
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


# Prerequisites -----------------------------------------------------------------------------


def prerequisites_of(
    session: Session, version_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[list[uuid.UUID]]]:
    """Each version's clauses in order, each clause's specifications by id; a version
    without prerequisites is absent."""
    if not version_ids:
        return {}
    rows = session.execute(
        select(
            SpecificationPrerequisite.version_id,
            SpecificationPrerequisite.clause,
            SpecificationPrerequisite.specification_id,
        )
        .where(SpecificationPrerequisite.version_id.in_(list(version_ids)))
        .order_by(
            SpecificationPrerequisite.version_id,
            SpecificationPrerequisite.clause,
            SpecificationPrerequisite.specification_id,
        )
    ).all()
    grouped: dict[uuid.UUID, dict[int, list[uuid.UUID]]] = {}
    for version_id, clause, specification_id in rows:
        grouped.setdefault(version_id, {}).setdefault(clause, []).append(specification_id)
    return {
        version_id: [clauses[number] for number in sorted(clauses)]
        for version_id, clauses in grouped.items()
    }


def replace_prerequisites(
    session: Session, version_id: uuid.UUID, clauses: Sequence[Sequence[uuid.UUID]]
) -> None:
    """The version's clauses become ``clauses``, numbered from 0 in order."""
    session.execute(
        delete(SpecificationPrerequisite).where(SpecificationPrerequisite.version_id == version_id)
    )
    session.flush()  # the new rows may repeat the old keys
    session.add_all(
        SpecificationPrerequisite(version_id=version_id, clause=number, specification_id=spec)
        for number, clause in enumerate(clauses)
        for spec in clause
    )


def newest_prerequisites(
    session: Session, specification_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, set[uuid.UUID]]:
    """For each specification, every specification its newest version requires in any
    clause: the edges the cycle check follows."""
    if not specification_ids:
        return {}
    newest = (
        select(
            SpecificationVersion.specification_id,
            func.max(SpecificationVersion.number).label("number"),
        )
        .where(SpecificationVersion.specification_id.in_(list(specification_ids)))
        .group_by(SpecificationVersion.specification_id)
        .subquery()
    )
    rows = session.execute(
        select(SpecificationVersion.specification_id, SpecificationPrerequisite.specification_id)
        .join(
            newest,
            (newest.c.specification_id == SpecificationVersion.specification_id)
            & (newest.c.number == SpecificationVersion.number),
        )
        .join(
            SpecificationPrerequisite,
            SpecificationPrerequisite.version_id == SpecificationVersion.id,
        )
    ).all()
    found: dict[uuid.UUID, set[uuid.UUID]] = {}
    for specification_id, required_id in rows:
        found.setdefault(specification_id, set()).add(required_id)
    return found


def requirable_ids(
    session: Session, specification_ids: Collection[uuid.UUID], owner_org_id: uuid.UUID
) -> set[uuid.UUID]:
    """Those of ``specification_ids`` a version of ``owner_org_id`` may require: on offer
    now (any issuer's), or the organisation's own in any state."""
    if not specification_ids:
        return set()
    on_offer = select(SpecificationVersion.specification_id).where(
        SpecificationVersion.status == VersionStatus.PUBLISHED
    )
    return set(
        session.scalars(
            select(Specification.id).where(
                Specification.id.in_(list(specification_ids)),
                (Specification.owner_org_id == owner_org_id) | Specification.id.in_(on_offer),
            )
        )
    )
