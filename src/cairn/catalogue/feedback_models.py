"""Feedback surveys on micro-credentials: learners at completion and six months later,
employers about a holder (with the holder's consent). Answers are kept per specification
version, so a revised version's results are not mixed with its predecessor's."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cairn.catalogue import models as catalogue_models  # noqa: F401 - surveys are about versions
from cairn.catalogue.enums import JobOutcome, SurveyKind
from cairn.kit.clock import utcnow
from cairn.kit.db import Base, IdMixin, str_enum

SCALE = range(1, 6)
"""Every rating is on a five-point scale: 1 (not at all) to 5 (completely)."""


class SurveyInvitation(IdMixin, Base):
    """A survey owed by one respondent about one version (and, for employers, one holder)."""

    __tablename__ = "survey_invitations"
    __table_args__ = (
        CheckConstraint(
            "respondent_id IS NOT NULL OR respondent_org_id IS NOT NULL", name="has_respondent"
        ),
    )

    kind: Mapped[SurveyKind] = mapped_column(str_enum(SurveyKind, "survey_kind"))
    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("specification_versions.id", ondelete="CASCADE"), index=True
    )
    respondent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    """The learner asked; None for an employer survey, which any HR administrator answers."""
    respondent_org_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    """The employer asked about a holder."""
    holder_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    """The credential holder an employer survey is about."""
    due_on: Mapped[date]
    """When it is sent: at once for completion, six months later for the follow-up."""
    token: Mapped[str] = mapped_column(String(64), unique=True)
    """The link's secret, so a reminder e-mail can lead straight to the survey."""
    sent_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SurveyResponse(IdMixin, Base):
    """One answered survey. Ratings are 1 to 5; a question not asked of this kind is None."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        CheckConstraint("relevance IS NULL OR relevance BETWEEN 1 AND 5", name="relevance_scale"),
        CheckConstraint("quality IS NULL OR quality BETWEEN 1 AND 5", name="quality_scale"),
        CheckConstraint(
            "had_skills IS NULL OR had_skills BETWEEN 1 AND 5", name="had_skills_scale"
        ),
    )

    invitation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("survey_invitations.id", ondelete="CASCADE"), unique=True
    )
    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("specification_versions.id", ondelete="CASCADE"), index=True
    )
    """Copied from the invitation so results per version are one grouped query."""
    kind: Mapped[SurveyKind] = mapped_column(str_enum(SurveyKind, "survey_response_kind"))
    relevance: Mapped[int | None] = mapped_column(Integer)
    """Learner: how relevant was it to your work?"""
    quality: Mapped[int | None] = mapped_column(Integer)
    """Learner: how good was the teaching and assessment?"""
    job_outcome: Mapped[JobOutcome | None] = mapped_column(str_enum(JobOutcome, "job_outcome"))
    had_skills: Mapped[int | None] = mapped_column(Integer)
    """Employer: did the holder have the skills the credential says?"""
    employer_may_be_asked: Mapped[bool | None]
    """Learner at completion: consent to ask their employer the employer survey."""
    comment: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
