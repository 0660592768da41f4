"""Queries of offerings: one with what it runs, a specification's upcoming runs, a
provider's runs and the published versions it may offer."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from cairn.catalogue.enums import EnrolmentStatus, OfferingStatus, VersionStatus
from cairn.catalogue.models import Specification, SpecificationIssuer, SpecificationVersion
from cairn.catalogue.offering_models import Enrolment, Offering
from cairn.orgs.models import Organisation

Row = tuple[Offering, SpecificationVersion, Specification, Organisation]
TAKEN = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)
"""Enrolments that hold a place."""


def _rows() -> Select[Offering, SpecificationVersion, Specification, Organisation]:
    return (
        select(Offering, SpecificationVersion, Specification, Organisation)
        .join(SpecificationVersion, SpecificationVersion.id == Offering.version_id)
        .join(Specification, Specification.id == SpecificationVersion.specification_id)
        .join(Organisation, Organisation.id == Offering.provider_org_id)
    )


def get_offering(session: Session, offering_id: uuid.UUID, *, lock: bool = False) -> Row | None:
    if lock:
        # Locks the offering row alone: enrolments in one offering queue behind each other,
        # so two learners cannot both take its last place.
        session.scalar(select(Offering).where(Offering.id == offering_id).with_for_update())
    row = session.execute(_rows().where(Offering.id == offering_id)).first()
    return None if row is None else (row[0], row[1], row[2], row[3])


def upcoming_of_specification(
    session: Session, specification_id: uuid.UUID, today: date
) -> list[Row]:
    """Open runs of the specification's published versions that have not ended, soonest
    first."""
    rows = session.execute(
        _rows()
        .where(
            Specification.id == specification_id,
            SpecificationVersion.status == VersionStatus.PUBLISHED,
            Offering.status == OfferingStatus.OPEN,
            Offering.ends_on >= today,
        )
        .order_by(Offering.starts_on, Offering.code)
    ).all()
    return [(row[0], row[1], row[2], row[3]) for row in rows]


def of_provider(session: Session, org_id: uuid.UUID) -> list[Row]:
    rows = session.execute(
        _rows()
        .where(Offering.provider_org_id == org_id)
        .order_by(Offering.starts_on.desc(), Offering.code)
    ).all()
    return [(row[0], row[1], row[2], row[3]) for row in rows]


def is_issuer(session: Session, version: SpecificationVersion, org_id: uuid.UUID) -> bool:
    """The owner of the specification or a co-issuer of this version."""
    owner = session.scalar(
        select(Specification.owner_org_id).where(Specification.id == version.specification_id)
    )
    if owner == org_id:
        return True
    return (
        session.scalar(
            select(SpecificationIssuer.org_id).where(
                SpecificationIssuer.version_id == version.id, SpecificationIssuer.org_id == org_id
            )
        )
        is not None
    )


def offerable_versions(
    session: Session, org_id: uuid.UUID
) -> Sequence[tuple[SpecificationVersion, Specification]]:
    """Published versions the organisation issues, alone or with others, by title."""
    co_issued = select(SpecificationIssuer.version_id).where(SpecificationIssuer.org_id == org_id)
    rows = session.execute(
        select(SpecificationVersion, Specification)
        .join(Specification, Specification.id == SpecificationVersion.specification_id)
        .where(
            SpecificationVersion.status == VersionStatus.PUBLISHED,
            or_(Specification.owner_org_id == org_id, SpecificationVersion.id.in_(co_issued)),
        )
        .order_by(SpecificationVersion.title)
    ).all()
    return [(row[0], row[1]) for row in rows]


def places_taken(session: Session, offering_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not offering_ids:
        return {}
    rows = session.execute(
        select(Enrolment.offering_id, func.count())
        .where(Enrolment.offering_id.in_(offering_ids), Enrolment.status.in_(TAKEN))
        .group_by(Enrolment.offering_id)
    ).all()
    return {offering_id: int(count) for offering_id, count in rows}


def active_enrolments(session: Session, offering_id: uuid.UUID) -> Sequence[Enrolment]:
    """Enrolments not yet completed or withdrawn, whose holds a cancellation releases."""
    return session.scalars(
        select(Enrolment)
        .where(Enrolment.offering_id == offering_id, Enrolment.status == EnrolmentStatus.ENROLLED)
        .order_by(Enrolment.enrolled_at)
        .with_for_update()
    ).all()
