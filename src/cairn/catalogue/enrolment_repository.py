"""Queries of enrolments: one enrolment, a learner's place in an offering, a learner's
enrolments and an offering's learners."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.catalogue.models import Specification, SpecificationVersion
from cairn.catalogue.offering_models import Enrolment, Offering
from cairn.catalogue.offering_repository import TAKEN
from cairn.orgs.models import Organisation, Person

Row = tuple[Enrolment, Offering, SpecificationVersion, Specification, Organisation]


def get_enrolment(
    session: Session, enrolment_id: uuid.UUID, *, lock: bool = False
) -> Enrolment | None:
    query = select(Enrolment).where(Enrolment.id == enrolment_id)
    return session.scalar(query.with_for_update() if lock else query)


def place_of(session: Session, offering_id: uuid.UUID, person_id: uuid.UUID) -> Enrolment | None:
    """The learner's enrolment in the offering that holds a place: enrolled or completed."""
    return session.scalar(
        select(Enrolment).where(
            Enrolment.offering_id == offering_id,
            Enrolment.person_id == person_id,
            Enrolment.status.in_(TAKEN),
        )
    )


def of_person(session: Session, person_id: uuid.UUID) -> list[Row]:
    """The learner's enrolments with what they are in, the most recent first."""
    rows = session.execute(
        select(Enrolment, Offering, SpecificationVersion, Specification, Organisation)
        .join(Offering, Offering.id == Enrolment.offering_id)
        .join(SpecificationVersion, SpecificationVersion.id == Offering.version_id)
        .join(Specification, Specification.id == SpecificationVersion.specification_id)
        .join(Organisation, Organisation.id == Offering.provider_org_id)
        .where(Enrolment.person_id == person_id)
        .order_by(Enrolment.enrolled_at.desc(), Enrolment.id)
    ).all()
    return [(row[0], row[1], row[2], row[3], row[4]) for row in rows]


def of_offering(session: Session, offering_id: uuid.UUID) -> Sequence[tuple[Enrolment, Person]]:
    rows = session.execute(
        select(Enrolment, Person)
        .join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.offering_id == offering_id)
        .order_by(Person.display_name, Enrolment.enrolled_at)
    ).all()
    return [(row[0], row[1]) for row in rows]
