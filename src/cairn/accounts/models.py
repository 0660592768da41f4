"""Learning-account programs, the learners who take part, and the facts their eligibility is
judged on."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cairn.accounts.enums import (
    EmploymentStatus,
    IncomeBand,
    ParticipantStatus,
    ProgramStatus,
    Residency,
)
from cairn.kit.clock import utcnow
from cairn.kit.db import Base, IdMixin, TimestampMixin, str_enum
from cairn.orgs import models as orgs_models  # noqa: F401 - programs are run by organisations
from cairn.orgs.enums import RegionType


class Program(IdMixin, TimestampMixin, Base):
    """A learning-account program: who may join, what they are granted and what it pays for,
    all in ``rules`` (an ``accounts.rules.ProgramRules`` document), so that a new scheme is
    data, not code."""

    __tablename__ = "programs"
    __table_args__ = (UniqueConstraint("org_id", "slug"),)

    org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    """The program authority or employer that runs it and keeps its books."""
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ProgramStatus] = mapped_column(
        str_enum(ProgramStatus, "program_status"), default=ProgramStatus.DRAFT
    )
    currency: Mapped[str] = mapped_column(String(3))
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The validated rules document, as stored JSON."""
    budget_minor: Mapped[int | None] = mapped_column(Integer)
    """What the program may commit and spend on learning in all; None for no cap."""
    opens_on: Mapped[date | None]
    closes_on: Mapped[date | None]
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )


class Participant(IdMixin, TimestampMixin, Base):
    """A learner taking part in a program: their consent to share their facts with the
    program's organisation, and the date grants are counted from."""

    __tablename__ = "program_participants"
    __table_args__ = (UniqueConstraint("program_id", "person_id"),)

    program_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("programs.id", ondelete="RESTRICT"), index=True
    )
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[ParticipantStatus] = mapped_column(
        str_enum(ParticipantStatus, "participant_status"), default=ParticipantStatus.ACTIVE
    )
    joined_on: Mapped[date]
    consented_at: Mapped[datetime] = mapped_column(default=utcnow)
    """When the learner agreed to share their facts and learning with the program."""
    left_on: Mapped[date | None]


class LearnerFacts(TimestampMixin, Base):
    """What programs judge eligibility on, declared by the learner and shared with a program
    only once they join it. Age comes from the birth date, so that birthday grants and age
    tiers fall on the right day."""

    __tablename__ = "learner_facts"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    birth_date: Mapped[date | None]
    residency: Mapped[Residency | None] = mapped_column(str_enum(Residency, "residency"))
    employment_status: Mapped[EmploymentStatus | None] = mapped_column(
        str_enum(EmploymentStatus, "employment_status")
    )
    income_band: Mapped[IncomeBand | None] = mapped_column(str_enum(IncomeBand, "income_band"))
    region_type: Mapped[RegionType | None] = mapped_column(str_enum(RegionType, "region_type"))
    attributes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    """Other attributes programs may ask about (e.g. ``indigenous_identity``)."""
    verified_at: Mapped[datetime | None]
    """When a program administrator checked these facts against documents."""
    verified_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
