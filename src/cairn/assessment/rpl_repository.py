"""Queries of recognition of prior learning. File contents are loaded only when a file is
downloaded: lists and views of a claim defer them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, defer

from cairn.assessment.enums import RplStatus
from cairn.assessment.models import RplArtifact, RplClaim
from cairn.kit.pagination import Paged, PageParams, paginate
from cairn.orgs.models import Organisation, Person
from cairn.taxonomy.models import SkillLevelDescriptor


def get_claim(session: Session, claim_id: uuid.UUID) -> RplClaim | None:
    return session.get(RplClaim, claim_id)


def claims_of_person(session: Session, person_id: uuid.UUID, params: PageParams) -> Paged[RplClaim]:
    query = (
        select(RplClaim)
        .where(RplClaim.person_id == person_id)
        .order_by(RplClaim.submitted_at.desc(), RplClaim.id)
    )
    return paginate(session, query, params)


def claims_of_org(
    session: Session, org_id: uuid.UUID, status: RplStatus | None, params: PageParams
) -> Paged[RplClaim]:
    """Oldest first: a queue is served in the order people asked."""
    query = (
        select(RplClaim)
        .where(RplClaim.org_id == org_id)
        .order_by(RplClaim.submitted_at, RplClaim.id)
    )
    if status is not None:
        query = query.where(RplClaim.status == status)
    return paginate(session, query, params)


def artifacts_of(session: Session, claim_ids: Iterable[uuid.UUID]) -> Sequence[RplArtifact]:
    ids = list(claim_ids)
    if not ids:
        return []
    return session.scalars(
        select(RplArtifact)
        .options(defer(RplArtifact.data))
        .where(RplArtifact.claim_id.in_(ids))
        .order_by(RplArtifact.added_at, RplArtifact.id)
    ).all()


def get_artifact(
    session: Session, claim_id: uuid.UUID, artifact_id: uuid.UUID
) -> RplArtifact | None:
    return session.scalar(
        select(RplArtifact).where(RplArtifact.claim_id == claim_id, RplArtifact.id == artifact_id)
    )


def stored_bytes(session: Session, claim_id: uuid.UUID) -> int:
    total = session.scalar(
        select(func.coalesce(func.sum(RplArtifact.size), 0)).where(RplArtifact.claim_id == claim_id)
    )
    return int(total or 0)


def count_artifacts(session: Session, claim_id: uuid.UUID) -> int:
    return session.scalar(select(func.count()).where(RplArtifact.claim_id == claim_id)) or 0


def people_by_ids(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Person]:
    found = session.scalars(select(Person).where(Person.id.in_(list(set(ids))))).all()
    return {person.id: person for person in found}


def organisations_by_ids(
    session: Session, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Organisation]:
    found = session.scalars(select(Organisation).where(Organisation.id.in_(list(set(ids))))).all()
    return {org.id: org for org in found}


def delete_claim(session: Session, claim: RplClaim) -> None:
    """Its files go with it, whether or not the database enforces the cascade."""
    session.execute(delete(RplArtifact).where(RplArtifact.claim_id == claim.id))
    session.delete(claim)
    session.flush()


def level_descriptors(
    session: Session, skill_ids: Iterable[uuid.UUID]
) -> dict[tuple[uuid.UUID, int], str]:
    """(skill, rank) → what that level of that skill looks like, for many skills at once."""
    ids = list(set(skill_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(
            SkillLevelDescriptor.skill_id,
            SkillLevelDescriptor.rank,
            SkillLevelDescriptor.descriptor,
        ).where(SkillLevelDescriptor.skill_id.in_(ids))
    )
    return {(skill_id, rank): descriptor for skill_id, rank, descriptor in rows}
