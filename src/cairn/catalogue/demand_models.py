"""Skills-in-demand signals from job postings imported in batches.

A posting keeps its text, region and date; the skills found in it are stored with how they
were found, so counts by region and period are one grouped query and a better linker can
re-link a batch later (decision 0026)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cairn.catalogue.enums import SkillMatch
from cairn.kit.clock import utcnow
from cairn.kit.db import Base, IdMixin, str_enum
from cairn.orgs import models as orgs_models  # noqa: F401 - batches belong to organisations
from cairn.taxonomy import models as taxonomy_models  # noqa: F401 - postings name skills


class PostingBatch(IdMixin, Base):
    """One import of a file of job postings."""

    __tablename__ = "posting_batches"

    org_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    """The organisation that imported it; None for the platform's own."""
    source: Mapped[str] = mapped_column(String(300))
    """Where the postings came from, in words: "Job Bank, Ontario, 2026 Q3"."""
    filename: Mapped[str | None] = mapped_column(String(300))
    framework_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("frameworks.id", ondelete="RESTRICT")
    )
    """The skills framework the postings were linked to."""
    linker: Mapped[str] = mapped_column(String(80))
    """The name of the linker that found the skills, so its figures can be told apart."""
    postings: Mapped[int] = mapped_column(Integer, default=0)
    mentions: Mapped[int] = mapped_column(Integer, default=0)
    imported_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class JobPosting(IdMixin, Base):
    __tablename__ = "job_postings"
    __table_args__ = (Index("ix_job_postings_region_posted_on", "region", "posted_on"),)

    batch_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("posting_batches.id", ondelete="CASCADE"), index=True
    )
    line: Mapped[int] = mapped_column(Integer)
    """Where it was in the file, for error messages and re-linking."""
    external_id: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(String(120))
    posted_on: Mapped[date] = mapped_column(index=True)


class PostingSkill(Base):
    __tablename__ = "posting_skills"

    posting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("job_postings.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    matched_by: Mapped[SkillMatch] = mapped_column(str_enum(SkillMatch, "skill_match"))
    span: Mapped[str | None] = mapped_column(String(300))
    """The words that matched, as the explanation of the count."""
