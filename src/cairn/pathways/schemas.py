"""Shapes of pathways: what a learner asks a plan for, and a plan or saved pathway as read.

Money is in integer minor units of ``currency``; dates are ISO days."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from cairn.catalogue.enums import Participation
from cairn.kit.i18n import gettext
from cairn.pathways.enums import Objective, PathwayStatus, StepStatus

Language = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=16)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class PlanRequest(BaseModel):
    """A target (a role profile of one of the learner's organisations, or a specification
    by id or short name) and the learner's limits; a limit left out is no limit."""

    model_config = ConfigDict(extra="forbid")

    target_profile_id: uuid.UUID | None = None
    target_specification: Annotated[
        str | None, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)
    ] = None
    """A published specification's id, or its short name (slug)."""
    budget_minor: int | None = Field(default=None, ge=0)
    """The most the learner will pay themselves, after credit, subsidies and matching."""
    currency: Currency | None = None
    """The currency of the budget; by default that of the learner's first program, else
    of the offerings found. Offerings in another currency are left out."""
    hours_per_week: float | None = Field(default=None, gt=0, le=168)
    deadline: date | None = None
    objective: Objective = Objective.COST
    languages: list[Language] = Field(default_factory=list, max_length=20)
    """Languages taught in that the learner accepts; empty for any."""
    deliveries: list[Participation] = Field(default_factory=list)
    """Delivery modes the learner accepts; empty for any."""

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if (self.target_profile_id is None) == (self.target_specification is None):
            raise ValueError(gettext("Choose a role profile or a specification to reach."))
        return self


class GapRead(BaseModel):
    skill_id: uuid.UUID
    label: str
    current: int | None
    """The learner's level now; None without evidence."""
    wanted: int | None


class CreditRead(BaseModel):
    program: str
    tier: str
    amount_minor: int


class StepRead(BaseModel):
    """One offering of the plan, with why it is there and what it costs the learner."""

    position: int
    offering_id: uuid.UUID
    offering_code: str
    specification_id: uuid.UUID
    title: str
    status: StepStatus | None
    """None in a plan not saved yet."""
    starts_on: date
    ends_on: date
    hours: float
    language: str
    delivery: Participation
    closes: list[str]
    """Labels of the gaps it closes."""
    price_minor: int
    subsidy_minor: int
    credit: list[CreditRead]
    employer_minor: int
    out_of_pocket_minor: int
    prerequisites_met_by: list[str]
    """Titles of what meets its prerequisites: held credentials or earlier steps."""
    explanation: list[str]
    """The step in sentences, in the reader's language."""


class PlanRead(BaseModel):
    """A plan (``feasible``), or why there is none (``blockers``, each a sentence)."""

    target: str
    currency: str | None
    feasible: bool
    method: str | None
    """``optimal`` (the integer program) or ``heuristic``."""
    proven_optimal: bool
    out_of_pocket_minor: int | None
    finish_on: date | None
    total_hours: float | None
    gaps: list[GapRead]
    steps: list[StepRead]
    blockers: list[str]


class PathwayRead(BaseModel):
    id: uuid.UUID
    title: str
    status: PathwayStatus
    target_profile_id: uuid.UUID | None
    target_specification_id: uuid.UUID | None
    objective: Objective
    budget_minor: int | None
    currency: str | None
    hours_per_week: float | None
    deadline: date | None
    method: str
    proven_optimal: bool
    out_of_pocket_minor: int
    finish_on: date | None
    planned_at: datetime
    gaps: list[GapRead]
    steps: list[StepRead]
    dropped: int
    """Steps a re-plan or a withdrawal left behind."""
