"""Queries of awards, and of the specification versions they name."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from cairn.catalogue.enums import VersionStatus
from cairn.catalogue.models import Specification, SpecificationVersion
from cairn.credentials.models import Award
from cairn.orgs.models import Organisation, Person


@dataclass(frozen=True)
class AwardLine:
    """An award with what every list of awards names."""

    award: Award
    version: SpecificationVersion
    specification: Specification
    issuer: Organisation
    learner: Person


def _lines(session: Session, *conditions: ColumnElement[bool]) -> list[AwardLine]:
    rows = session.execute(
        select(Award, SpecificationVersion, Specification, Organisation, Person)
        .join(SpecificationVersion, SpecificationVersion.id == Award.version_id)
        .join(Specification, Specification.id == SpecificationVersion.specification_id)
        .join(Organisation, Organisation.id == Award.issuer_org_id)
        .join(Person, Person.id == Award.learner_id)
        .where(*conditions)
        .order_by(Award.awarded_on.desc(), SpecificationVersion.title, Person.display_name)
    ).all()
    return [AwardLine(*row) for row in rows]


def awards_of_issuer(session: Session, org_id: uuid.UUID) -> list[AwardLine]:
    return _lines(session, Award.issuer_org_id == org_id)


def awards_of_learner(session: Session, person_id: uuid.UUID) -> list[AwardLine]:
    return _lines(session, Award.learner_id == person_id)


def award_line(session: Session, award_id: uuid.UUID) -> AwardLine:
    return _lines(session, Award.id == award_id)[0]


def find_award(session: Session, learner_id: uuid.UUID, version_id: uuid.UUID) -> Award | None:
    return session.scalar(
        select(Award).where(Award.learner_id == learner_id, Award.version_id == version_id)
    )


def held_specification_ids(session: Session, person_id: uuid.UUID) -> list[uuid.UUID]:
    """The specifications a learner holds an award of, under any version."""
    return list(
        session.scalars(
            select(SpecificationVersion.specification_id)
            .join(Award, Award.version_id == SpecificationVersion.id)
            .where(Award.learner_id == person_id)
            .distinct()
        )
    )


def version_with_specification(
    session: Session, version_id: uuid.UUID
) -> tuple[SpecificationVersion, Specification] | None:
    row = session.execute(
        select(SpecificationVersion, Specification)
        .join(Specification, Specification.id == SpecificationVersion.specification_id)
        .where(SpecificationVersion.id == version_id)
    ).first()
    return None if row is None else (row[0], row[1])


def awardable_versions(
    session: Session, org_id: uuid.UUID
) -> Sequence[tuple[Specification, SpecificationVersion]]:
    """The organisation's specifications on offer, at their published version, by title."""
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


def specification_titles(
    session: Session, specification_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """Each specification's title at its newest published (or since retired) version."""
    if not specification_ids:
        return {}
    newest = (
        select(
            SpecificationVersion.specification_id,
            func.max(SpecificationVersion.number).label("number"),
        )
        .where(
            SpecificationVersion.specification_id.in_(list(specification_ids)),
            SpecificationVersion.status.in_([VersionStatus.PUBLISHED, VersionStatus.RETIRED]),
        )
        .group_by(SpecificationVersion.specification_id)
        .subquery()
    )
    rows = session.execute(
        select(SpecificationVersion.specification_id, SpecificationVersion.title).join(
            newest,
            (newest.c.specification_id == SpecificationVersion.specification_id)
            & (newest.c.number == SpecificationVersion.number),
        )
    ).all()
    return {row[0]: row[1] for row in rows}
