"""Queries of issued credentials, status lists, holder keys and what an issue reads."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.catalogue.models import Endorsement, LearningOutcome, Specification, SpecificationVersion
from cairn.credentials.issued_models import (
    CredentialKind,
    IssuedCredential,
    StatusEntry,
    StatusList,
    StatusPurpose,
)
from cairn.credentials.wallet_models import HolderKey
from cairn.orgs.models import Organisation
from cairn.taxonomy.models import Framework, ProficiencyLevel, Skill


def newest_list(
    session: Session, org_id: uuid.UUID, purpose: StatusPurpose, *, lock: bool
) -> StatusList | None:
    query = (
        select(StatusList)
        .where(StatusList.org_id == org_id, StatusList.purpose == purpose)
        .order_by(StatusList.created_at.desc(), StatusList.id)
        .limit(1)
    )
    return session.scalar(query.with_for_update() if lock else query)


def positions_in(session: Session, list_id: uuid.UUID) -> set[int]:
    return set(session.scalars(select(StatusEntry.position).where(StatusEntry.list_id == list_id)))


def entries_of(
    session: Session, credential_id: uuid.UUID
) -> Sequence[tuple[StatusEntry, StatusList]]:
    rows = session.execute(
        select(StatusEntry, StatusList)
        .join(StatusList, StatusList.id == StatusEntry.list_id)
        .where(StatusEntry.credential_id == credential_id)
    ).all()
    return [(entry, listing) for entry, listing in rows]


def status_list(session: Session, list_id: uuid.UUID) -> StatusList | None:
    return session.get(StatusList, list_id)


def lock(session: Session, listing: StatusList) -> None:
    """Re-read the list under a row lock: two revocations at once must not lose a bit."""
    session.refresh(listing, with_for_update=True)


def owner_of(session: Session, listing: StatusList) -> Organisation:
    return session.get_one(Organisation, listing.org_id)


def issued(session: Session, credential_id: uuid.UUID) -> IssuedCredential | None:
    return session.get(IssuedCredential, credential_id)


def current_for_award(session: Session, award_id: uuid.UUID) -> IssuedCredential | None:
    """The award's credential that is not revoked, if there is one."""
    return session.scalar(
        select(IssuedCredential).where(
            IssuedCredential.award_id == award_id,
            IssuedCredential.kind == CredentialKind.ACHIEVEMENT,
            IssuedCredential.revoked_at.is_(None),
        )
    )


def issued_by(
    session: Session, org_id: uuid.UUID, *, limit: int = 500
) -> Sequence[IssuedCredential]:
    return session.scalars(
        select(IssuedCredential)
        .where(IssuedCredential.issuer_org_id == org_id, IssuedCredential.learner_id.is_not(None))
        .order_by(IssuedCredential.issued_at.desc(), IssuedCredential.id)
        .limit(limit)
    ).all()


def endorsement_credential(session: Session, endorsement_id: uuid.UUID) -> IssuedCredential | None:
    return session.scalar(
        select(IssuedCredential).where(
            IssuedCredential.endorsement_id == endorsement_id,
            IssuedCredential.revoked_at.is_(None),
        )
    )


def holder_key(session: Session, person_id: uuid.UUID) -> HolderKey | None:
    return session.scalar(select(HolderKey).where(HolderKey.person_id == person_id))


def version_parts(
    session: Session, version_id: uuid.UUID
) -> tuple[SpecificationVersion, Specification, Organisation] | None:
    row = session.execute(
        select(SpecificationVersion, Specification, Organisation)
        .join(Specification, Specification.id == SpecificationVersion.specification_id)
        .join(Organisation, Organisation.id == Specification.owner_org_id)
        .where(SpecificationVersion.id == version_id)
    ).first()
    return None if row is None else (row[0], row[1], row[2])


Outcomes = Sequence[tuple[LearningOutcome, Skill | None, Framework | None, ProficiencyLevel | None]]
"""A version's outcomes with the skill, framework and level each is aligned to."""


def outcomes_with_skills(session: Session, version_id: uuid.UUID) -> Outcomes:
    rows = session.execute(
        select(LearningOutcome, Skill, Framework, ProficiencyLevel)
        .outerjoin(Skill, Skill.id == LearningOutcome.skill_id)
        .outerjoin(Framework, Framework.id == Skill.framework_id)
        .outerjoin(
            ProficiencyLevel,
            (ProficiencyLevel.scale_id == Framework.scale_id)
            & (ProficiencyLevel.rank == LearningOutcome.level),
        )
        .where(LearningOutcome.version_id == version_id)
        .order_by(LearningOutcome.position)
    ).all()
    return [(o, s, f, lvl) for o, s, f, lvl in rows]


def endorsements_of(
    session: Session, version_id: uuid.UUID
) -> Sequence[tuple[Endorsement, Organisation]]:
    rows = session.execute(
        select(Endorsement, Organisation)
        .join(Organisation, Organisation.id == Endorsement.org_id)
        .where(Endorsement.version_id == version_id)
        .order_by(Endorsement.endorsed_at, Endorsement.id)
    ).all()
    return [(e, o) for e, o in rows]


def organisation_by_slug(session: Session, slug: str) -> Organisation | None:
    return session.scalar(select(Organisation).where(Organisation.slug == slug))
