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
