"""Saved pathways: a learner's target, the constraints they set, and the plan's steps as
they follow it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from cairn.catalogue import offering_models  # noqa: F401 - steps are offerings
from cairn.kit.db import Base, IdMixin, TimestampMixin, str_enum
from cairn.orgs import models as orgs_models  # noqa: F401 - targets are role profiles
from cairn.pathways.enums import Objective, PathwayStatus, StepStatus


class Pathway(IdMixin, TimestampMixin, Base):
    __tablename__ = "pathways"
    __table_args__ = (
        CheckConstraint(
            "(target_profile_id IS NULL) <> (target_specification_id IS NULL)",
            name="one_target",
        ),
    )

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    target_profile_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("skill_profiles.id", ondelete="CASCADE")
    )
    """A role profile to reach, or ..."""
    target_specification_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("specifications.id", ondelete="CASCADE")
    )
    """... a (stackable) micro-credential to earn."""
    status: Mapped[PathwayStatus] = mapped_column(
        str_enum(PathwayStatus, "pathway_status"), default=PathwayStatus.ACTIVE
    )
    objective: Mapped[Objective] = mapped_column(
        str_enum(Objective, "pathway_objective"), default=Objective.COST
    )
    budget_minor: Mapped[int | None] = mapped_column(Integer)
    """The most the learner will pay themselves, after credits and subsidies."""
    currency: Mapped[str | None] = mapped_column(String(3))
    hours_per_week: Mapped[float | None]
    deadline: Mapped[date | None]
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Languages the learner accepts; empty for any."""
    deliveries: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Delivery modes the learner accepts (``Participation`` values); empty for any."""
    method: Mapped[str] = mapped_column(String(16))
    """How the current plan was found: ``optimal`` or ``heuristic``."""
    proven_optimal: Mapped[bool] = mapped_column(Boolean, default=False)
    out_of_pocket_minor: Mapped[int] = mapped_column(Integer, default=0)
    finish_on: Mapped[date | None]
    gaps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """The gaps the plan was made for: skill id, label, level held and level wanted."""
    planned_at: Mapped[datetime]


class PathwayStep(IdMixin, Base):
    __tablename__ = "pathway_steps"

    pathway_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("pathways.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    offering_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("offerings.id", ondelete="RESTRICT"), index=True
    )
    specification_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("specifications.id", ondelete="RESTRICT")
    )
    status: Mapped[StepStatus] = mapped_column(
        str_enum(StepStatus, "pathway_step_status"), default=StepStatus.PLANNED
    )
    closes: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Skill ids of the gaps this step closes."""
    net_price_minor: Mapped[int] = mapped_column(Integer)
    credit_minor: Mapped[int] = mapped_column(Integer, default=0)
    matching_minor: Mapped[int] = mapped_column(Integer, default=0)
    out_of_pocket_minor: Mapped[int] = mapped_column(Integer)
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Why this step: the gaps it closes, its cost after credits line by line, and the
    prerequisites it meets, as shown when it was planned."""
