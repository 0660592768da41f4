"""Queries of the profiles domain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.assessment.models import Evidence
from cairn.profiles.models import ProfileSharing


def evidence_of(session: Session, person_id: uuid.UUID) -> Sequence[Evidence]:
    return session.scalars(select(Evidence).where(Evidence.person_id == person_id)).all()


def sharing_of(session: Session, person_id: uuid.UUID) -> ProfileSharing | None:
    return session.get(ProfileSharing, person_id)


def evidence_for(
    session: Session, person_ids: Sequence[uuid.UUID], skill_ids: Sequence[uuid.UUID]
) -> Sequence[Evidence]:
    """Evidence of many people in some skills, in chunks below SQLite's parameter limit."""
    found: list[Evidence] = []
    skills = list(skill_ids)
    for start in range(0, len(person_ids), 400):
        chunk = person_ids[start : start + 400]
        found += session.scalars(
            select(Evidence).where(Evidence.person_id.in_(chunk), Evidence.skill_id.in_(skills))
        ).all()
    return found
