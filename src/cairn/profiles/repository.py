"""Queries of the profiles domain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from cairn.assessment.enums import EvidenceSource
from cairn.assessment.models import Evidence
from cairn.profiles.models import ProfileSharing


def evidence_of(session: Session, person_id: uuid.UUID) -> Sequence[Evidence]:
    return session.scalars(select(Evidence).where(Evidence.person_id == person_id)).all()


def sharing_of(session: Session, person_id: uuid.UUID) -> ProfileSharing | None:
    return session.get(ProfileSharing, person_id)


Claim = Row[uuid.UUID, uuid.UUID, int, EvidenceSource, datetime, float]
"""What merging reads of a piece of evidence, with whose it is: person, skill, level,
source, when observed and confidence."""


def claims_for(
    session: Session, person_ids: Sequence[uuid.UUID], skill_ids: Sequence[uuid.UUID]
) -> list[Claim]:
    """Only the columns merging reads, as plain rows: an organisation's heatmap reads
    hundreds of thousands of claims, and building a tracked object for each took most of
    its time."""
    found: list[Claim] = []
    skills = list(skill_ids)
    columns = select(
        Evidence.person_id,
        Evidence.skill_id,
        Evidence.level,
        Evidence.source,
        Evidence.observed_at,
        Evidence.confidence,
    )
    for start in range(0, len(person_ids), 400):
        chunk = person_ids[start : start + 400]
        found += session.execute(
            columns.where(Evidence.person_id.in_(chunk), Evidence.skill_id.in_(skills))
        ).all()
    return found
