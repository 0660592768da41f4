"""Shapes of awards: a registrar's record as sent, and as read by the issuer and the learner."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, StringConstraints

Grade = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]


class AwardCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version_id: uuid.UUID
    """The exact version achieved: one of the issuer's published versions."""
    learner_email: EmailStr
    """The learner's e-mail address on Cairn."""
    awarded_on: date
    grade: Grade | None = None
    via_rpl: bool = False
    """Earned by assessment only, through a recognition-of-prior-learning route."""
    note: Note | None = None


class AwardRead(BaseModel):
    id: uuid.UUID
    version_id: uuid.UUID
    specification_id: uuid.UUID
    title: str
    version_number: int
    issuer_org_id: uuid.UUID
    issuer_name: str
    learner_id: uuid.UUID
    learner_name: str
    awarded_on: date
    grade: str | None
    via_rpl: bool
