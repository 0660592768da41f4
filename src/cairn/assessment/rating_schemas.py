"""What a self-assessment, a manager's rating and a peer rating carry in and out: shared by
the API and the pages."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, EmailStr, Field, StringConstraints

Comment = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]

MAX_SKILLS = 50
"""Enough for a whole role profile; a longer form is not answered with care."""
MAX_REQUESTED_SKILLS = 20
"""A colleague asked for more than this would rather decline."""


class SkillRating(BaseModel):
    skill_id: uuid.UUID
    level: int = Field(description="A rank on the skill's framework scale.")


class RatingsWrite(BaseModel):
    """A self-assessment, or a peer's answer: one level per skill."""

    ratings: list[SkillRating] = Field(max_length=MAX_SKILLS)
    comment: Comment | None = Field(default=None, description="Kept with each rating.")


class RatingRequestCreate(BaseModel):
    rater_email: EmailStr = Field(description="A colleague in the same organisation.")
    org_id: uuid.UUID | None = Field(
        default=None, description="The organisation you share; needed if you have several."
    )
    skill_ids: list[uuid.UUID] = Field(max_length=MAX_REQUESTED_SKILLS)
    message: Comment | None = None
