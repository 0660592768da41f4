"""Micro-credential specifications and their versions.

A ``Specification`` is the lasting identity of an offer; each ``SpecificationVersion`` is
one edition of it. Only a draft changes. Once published a version is frozen, and earned
credentials point at the exact version they were earned under (decision 0023). A version's
prerequisites are stated in words and, for machines, as credentials to hold first
(``SpecificationPrerequisite``, decision 0044)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from cairn.catalogue.enums import (
    AssessmentType,
    IdentityCheck,
    Participation,
    Profile,
    VersionStatus,
)
from cairn.kit.clock import utcnow
from cairn.kit.db import Base, IdMixin, TimestampMixin, str_enum
from cairn.orgs import models as orgs_models  # noqa: F401 - issuers are organisations
from cairn.taxonomy import models as taxonomy_models  # noqa: F401 - outcomes align to skills


class Specification(IdMixin, Base):
    __tablename__ = "specifications"
    __table_args__ = (UniqueConstraint("owner_org_id", "slug"),)

    owner_org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    """The issuing organisation that manages it; co-issuers are listed per version."""
    slug: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SpecificationVersion(IdMixin, TimestampMixin, Base):
    """One edition, with the elements a micro-credential framework asks for."""

    __tablename__ = "specification_versions"
    __table_args__ = (
        UniqueConstraint("specification_id", "number"),
        Index("ix_specification_versions_status", "status"),
        CheckConstraint("workload_hours IS NULL OR workload_hours > 0", name="workload_positive"),
        CheckConstraint("ects IS NULL OR ects > 0", name="ects_positive"),
        CheckConstraint("price_minor IS NULL OR price_minor >= 0", name="price_not_negative"),
    )

    specification_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("specifications.id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column(Integer)
    """1 for the first edition."""
    status: Mapped[VersionStatus] = mapped_column(
        str_enum(VersionStatus, "version_status"), default=VersionStatus.DRAFT
    )
    profile: Mapped[Profile] = mapped_column(str_enum(Profile, "specification_profile"))
    """The set of elements the issuer designs to; publishing requires passing its check."""
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2))
    """ISO 3166-1 alpha-2 code of the issuer's country."""
    region: Mapped[str | None] = mapped_column(String(120))
    workload_hours: Mapped[float | None] = mapped_column(Float)
    ects: Mapped[float | None] = mapped_column(Float)
    eqf_level: Mapped[int | None] = mapped_column(Integer)
    """1 to 8 on the European Qualifications Framework, where the level applies."""
    national_level: Mapped[str | None] = mapped_column(String(120))
    """A national framework and level, e.g. "Ontario Qualifications Framework: Certificate I"."""
    assessment_type: Mapped[AssessmentType | None] = mapped_column(
        str_enum(AssessmentType, "assessment_type")
    )
    summative: Mapped[bool] = mapped_column(default=False)
    """Achievement is judged at the end against the outcomes, not only by attendance."""
    participation: Mapped[Participation | None] = mapped_column(
        str_enum(Participation, "participation")
    )
    quality_assurance: Mapped[str | None] = mapped_column(Text)
    prerequisites: Mapped[str | None] = mapped_column(Text)
    identity_check: Mapped[IdentityCheck | None] = mapped_column(
        str_enum(IdentityCheck, "identity_check")
    )
    grading_scheme: Mapped[str | None] = mapped_column(Text)
    stackability: Mapped[str | None] = mapped_column(Text)
    """How it counts toward larger credentials; stacking rules make it computable."""
    transcriptable: Mapped[bool] = mapped_column(default=False)
    """Recorded on the learner's official transcript by the issuer."""
    price_minor: Mapped[int | None] = mapped_column(Integer)
    """In minor units of ``currency`` (cents); 0 for free."""
    currency: Mapped[str | None] = mapped_column(String(3))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    accessibility: Mapped[str | None] = mapped_column(Text)
    search_text: Mapped[str | None] = mapped_column(Text)
    """Title, summary and outcome statements in one text, for the catalogue's full-text
    index (migration 0007); the service rewrites it whenever one of them changes."""
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    retired_at: Mapped[datetime | None]


class SpecificationIssuer(Base):
    """An awarding body of a version beside its owner (EU 2022 element d)."""

    __tablename__ = "specification_issuers"

    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("specification_versions.id", ondelete="CASCADE"), primary_key=True
    )
    org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), primary_key=True
    )


class LearningOutcome(IdMixin, Base):
    """What a holder can do, aligned to a taxonomy skill at a proficiency level."""

    __tablename__ = "learning_outcomes"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("specification_versions.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer)
    statement: Mapped[str] = mapped_column(Text)
    skill_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("skills.id", ondelete="RESTRICT"), index=True
    )
    level: Mapped[int | None] = mapped_column(Integer)
    """A rank on the skill's framework scale."""


class Endorsement(IdMixin, Base):
    """An employer's (or sector body's) public support for a published version; it travels
    inside the credentials issued under that version."""

    __tablename__ = "endorsements"
    __table_args__ = (UniqueConstraint("version_id", "org_id"),)

    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("specification_versions.id", ondelete="CASCADE")
    )
    org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    endorsed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    statement: Mapped[str | None] = mapped_column(Text)
    endorsed_at: Mapped[datetime] = mapped_column(default=utcnow)


class SpecificationPrerequisite(IdMixin, Base):
    """One specification in one clause of a version's structured prerequisites.

    The clauses are in conjunctive normal form: a learner meets a clause by holding any one
    of its specifications (under any of their versions, as stacking counts them), and
    meets the prerequisites by meeting every clause (decision 0044)."""

    __tablename__ = "specification_prerequisites"
    __table_args__ = (
        UniqueConstraint("version_id", "clause", "specification_id"),
        CheckConstraint("clause >= 0", name="clause_not_negative"),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("specification_versions.id", ondelete="CASCADE")
    )
    clause: Mapped[int] = mapped_column(Integer)
    """The clause's number, from 0, in the order the issuer gave them."""
    specification_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("specifications.id", ondelete="RESTRICT"), index=True
    )
    """A specification's lasting identity: a credential earned under any version counts."""
