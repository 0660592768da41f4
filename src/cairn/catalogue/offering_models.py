"""Offerings (dated runs of a published micro-credential, with a price) and enrolments in
them, which learning accounts pay for."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from cairn.catalogue import models as catalogue_models  # noqa: F401 - offerings run versions
from cairn.catalogue.enums import EnrolmentStatus, OfferingStatus, Participation
from cairn.kit.clock import utcnow
from cairn.kit.db import Base, IdMixin, TimestampMixin, str_enum


class Offering(IdMixin, TimestampMixin, Base):
    """One run of one published version: when, how, in which language and at what price.
    Learners enrol in an offering, not in a specification; a pathway chooses offerings."""

    __tablename__ = "offerings"
    __table_args__ = (
        CheckConstraint("price_minor >= 0", name="price_not_negative"),
        CheckConstraint("hours > 0", name="hours_positive"),
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("specification_versions.id", ondelete="RESTRICT"), index=True
    )
    provider_org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    """The organisation that runs it: one of the version's issuers."""
    code: Mapped[str] = mapped_column(String(80))
    """The provider's own reference for the run, shown to learners and on statements."""
    status: Mapped[OfferingStatus] = mapped_column(
        str_enum(OfferingStatus, "offering_status"), default=OfferingStatus.OPEN
    )
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    enrol_by: Mapped[date | None]
    delivery: Mapped[Participation] = mapped_column(str_enum(Participation, "participation"))
    language: Mapped[str] = mapped_column(String(16))
    region: Mapped[str | None] = mapped_column(String(120))
    hours: Mapped[float] = mapped_column(Float)
    """Guided learning hours, for hourly subsidy caps and a learner's weekly load."""
    price_minor: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    capacity: Mapped[int | None] = mapped_column(Integer)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Labels programs select eligible items by (e.g. ``mid-career``, ``digital``)."""


class Enrolment(IdMixin, Base):
    """A learner's place in an offering and how its price was split when they confirmed it;
    the ledger's holds for it point back here."""

    __tablename__ = "enrolments"
    __table_args__ = (
        CheckConstraint(
            "subsidy_minor + credit_minor + employer_minor + copay_minor = price_minor",
            name="split_adds_up",
        ),
    )

    offering_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("offerings.id", ondelete="RESTRICT"), index=True
    )
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[EnrolmentStatus] = mapped_column(
        str_enum(EnrolmentStatus, "enrolment_status"), default=EnrolmentStatus.ENROLLED
    )
    price_minor: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    subsidy_minor: Mapped[int] = mapped_column(Integer, default=0)
    credit_minor: Mapped[int] = mapped_column(Integer, default=0)
    employer_minor: Mapped[int] = mapped_column(Integer, default=0)
    copay_minor: Mapped[int] = mapped_column(Integer, default=0)
    quote: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """The split the learner confirmed, line by line, as it was shown to them."""
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
