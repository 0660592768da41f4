"""Item banks and their versioned items. An item that changes gets a new version row; the
old one stays, so every response ever given still points at the exact wording it answered."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cairn.assessment.enums import EvidenceSource, ItemType
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
