"""Item banks and their versioned items. An item that changes gets a new version row; the
old one stays, so every response ever given still points at the exact wording it answered."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from cairn.assessment.enums import (
    ArtifactKind,
    AttemptStatus,
    CampaignStatus,
    EvidenceSource,
    ItemType,
    RplStatus,
    TestMode,
)
from cairn.kit.clock import utcnow
from cairn.kit.db import Base, IdMixin, TimestampMixin, str_enum
from cairn.orgs import models as orgs_models  # noqa: F401 - banks refer to organisations


class ItemBank(IdMixin, TimestampMixin, Base):
    __tablename__ = "item_banks"
    __table_args__ = (UniqueConstraint("slug", "version"),)

    slug: Mapped[str] = mapped_column(String(80))
    version: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(4000))
    description: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16))
    licence: Mapped[str | None] = mapped_column(String(200))
    framework_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("frameworks.id", ondelete="RESTRICT"), index=True
    )
    """The framework version whose skills the items measure."""
    owner_org_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    """None for a public bank; else only that organisation uses it."""


class Item(IdMixin, Base):
    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("bank_id", "key", "version"),
        Index("ix_items_bank_id_current", "bank_id", "is_current"),
    )

    bank_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("item_banks.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    """The author's stable id, e.g. ``dig-1.1-001``; versions share it."""
    version: Mapped[int] = mapped_column(Integer)
    is_current: Mapped[bool] = mapped_column(default=True)
    skill_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("skills.id", ondelete="RESTRICT"), index=True
    )
    level: Mapped[int] = mapped_column(Integer)
    """The proficiency level (a rank of the framework's scale) the item is written for."""
    item_type: Mapped[ItemType] = mapped_column(str_enum(ItemType, "item_type"))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    """Stem, options, key, rubric: the type's fields of docs/item-bank-format.md."""
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    discrimination: Mapped[float] = mapped_column(Float)
    difficulty: Mapped[float] = mapped_column(Float)
    guessing: Mapped[float | None] = mapped_column(Float)
    """3PL lower asymptote, once calibrated with that model."""
    thresholds: Mapped[list[float] | None] = mapped_column(JSON)
    """Graded-response category thresholds, for polytomous items once calibrated."""
    calibrated_at: Mapped[datetime | None]
    """None while the parameters are the author's starting estimates."""
    exposures: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Evidence(IdMixin, Base):
    """One claim about one person's level in one skill, with where it came from. Evidence
    is never edited: a new judgement is a new row, so a profile can always be explained."""

    __tablename__ = "evidence"
    __table_args__ = (Index("ix_evidence_person_id_skill_id", "person_id", "skill_id"),)

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    skill_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skills.id", ondelete="RESTRICT"))
    level: Mapped[int] = mapped_column(Integer)
    """A rank on the skill's framework scale."""
    source: Mapped[EvidenceSource] = mapped_column(str_enum(EvidenceSource, "evidence_source"))
    observed_at: Mapped[datetime]
    """When the person showed the skill (a test's end, a credential's issue date)."""
    confidence: Mapped[float] = mapped_column(Float)
    """0 to 1 when recorded: e.g. from a test's standard error, or an assessor's certainty."""
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    """The assessor, manager or peer; None for a test or the person themself."""
    org_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    """The organisation in whose name it was gathered (a campaign, a manager's review)."""
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Source-specific facts: ability and standard error, item count, links to evidence."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attempt(IdMixin, TimestampMixin, Base):
    """One sitting of a test by one person: adaptive or a fixed form, over a bank or one
    area or competence of it. Its adaptive state is ``cat.CatState`` as JSON, so a test can
    be left and resumed from any device."""

    __tablename__ = "attempts"
    __table_args__ = (Index("ix_attempts_person_id_status", "person_id", "status"),)

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    bank_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("item_banks.id", ondelete="RESTRICT"), index=True
    )
    scope_skill_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("skills.id", ondelete="RESTRICT")
    )
    """The area or competence tested; None for the whole bank."""
    mode: Mapped[TestMode] = mapped_column(str_enum(TestMode, "test_mode"))
    status: Mapped[AttemptStatus] = mapped_column(
        str_enum(AttemptStatus, "attempt_status"), default=AttemptStatus.IN_PROGRESS
    )
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    """``cat.CatState.to_json()``: items given, answers, θ and its standard error."""
    current_item_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("items.id", ondelete="RESTRICT")
    )
    """The item version on screen, waiting for its answer; None once finished."""
    campaign_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    org_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    """The organisation it was taken for (a campaign's), recorded on its evidence."""
    proctored: Mapped[bool] = mapped_column(default=False)
    closes_at: Mapped[datetime | None]
    """Answers are refused from this moment (a campaign's deadline)."""
    finished_at: Mapped[datetime | None]
    theta: Mapped[float | None] = mapped_column(Float)
    se: Mapped[float | None] = mapped_column(Float)
    level: Mapped[int | None] = mapped_column(Integer)


class Response(IdMixin, Base):
    """One answer to one item version, kept for scoring audits and for calibration."""

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("attempt_id", "item_id"),)

    attempt_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    item_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("items.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    """1 for the first item shown."""
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)
    points: Mapped[float] = mapped_column(Float)
    max_points: Mapped[float] = mapped_column(Float)
    category: Mapped[int] = mapped_column(Integer)
    """The IRT category: 1 right and 0 wrong, or an ordered category."""
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)


class Campaign(IdMixin, TimestampMixin, Base):
    """An organisation's call to take a test, sent to departments or roles by a deadline."""

    __tablename__ = "campaigns"

    org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    message: Mapped[str | None] = mapped_column(Text)
    """Shown on the invitation, in the HR team's words."""
    bank_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("item_banks.id", ondelete="RESTRICT"))
    scope_skill_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("skills.id", ondelete="RESTRICT")
    )
    mode: Mapped[TestMode] = mapped_column(
        str_enum(TestMode, "campaign_test_mode"), default=TestMode.ADAPTIVE
    )
    proctored: Mapped[bool] = mapped_column(default=False)
    """Taken under supervision: results count as proctored-test evidence."""
    deadline: Mapped[datetime]
    status: Mapped[CampaignStatus] = mapped_column(
        str_enum(CampaignStatus, "campaign_status"), default=CampaignStatus.DRAFT
    )
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    launched_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


class CampaignTarget(IdMixin, Base):
    """A department (with its sub-departments) or a role the campaign is sent to."""

    __tablename__ = "campaign_targets"
    __table_args__ = (
        CheckConstraint(
            "(department_id IS NULL) <> (position_id IS NULL)", name="one_department_or_role"
        ),
    )

    campaign_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE")
    )
    position_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("positions.id", ondelete="CASCADE")
    )


class CampaignParticipant(IdMixin, Base):
    """Someone invited by a campaign; progress is read from their attempts."""

    __tablename__ = "campaign_participants"
    __table_args__ = (UniqueConstraint("campaign_id", "person_id"),)

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    last_reminded_at: Mapped[datetime | None]


class RplClaim(IdMixin, TimestampMixin, Base):
    """Recognition of prior learning: a learner claims a level in a skill with evidence; an
    assessor of the organisation they ask reviews it against criteria and decides."""

    __tablename__ = "rpl_claims"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    """The organisation asked to assess the claim."""
    skill_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("skills.id", ondelete="RESTRICT"))
    claimed_level: Mapped[int] = mapped_column(Integer)
    statement: Mapped[str] = mapped_column(Text)
    """The learner's account of what they did, where and when."""
    status: Mapped[RplStatus] = mapped_column(
        str_enum(RplStatus, "rpl_status"), default=RplStatus.SUBMITTED
    )
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    assessor_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]
    decided_level: Mapped[int | None] = mapped_column(Integer)
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """The assessor's judgement per criterion: ``{"criterion", "met", "note"}``."""
    decision_note: Mapped[str | None] = mapped_column(Text)


class RplArtifact(IdMixin, Base):
    """A file or link supporting a claim. Files are kept in the database, capped in size,
    so that a backup holds everything an assessor decided on (decision 0019)."""

    __tablename__ = "rpl_artifacts"

    claim_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("rpl_claims.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ArtifactKind] = mapped_column(str_enum(ArtifactKind, "artifact_kind"))
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(2000))
    filename: Mapped[str | None] = mapped_column(String(300))
    media_type: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class RatingRequest(IdMixin, Base):
    """A person asks a colleague for a peer rating of chosen skills: no one rates a peer
    uninvited."""

    __tablename__ = "rating_requests"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    rater_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    """The organisation both belong to, in whose name the rating is given."""
    skill_ids: Mapped[list[str]] = mapped_column(JSON)
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    declined_at: Mapped[datetime | None]
