"""Awards: a learner achieved one exact specification version.

An award is the registrar's record of achievement. It is what stacking rules count, what
starts the feedback surveys, and what a verifiable credential is issued from (decision
0027)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cairn.catalogue import models as catalogue_models  # noqa: F401 - awards name versions
from cairn.kit.clock import utcnow
from cairn.kit.db import Base, IdMixin


class Award(IdMixin, Base):
    __tablename__ = "awards"
    __table_args__ = (UniqueConstraint("learner_id", "version_id"),)

    learner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("specification_versions.id", ondelete="RESTRICT"), index=True
    )
    """The exact version earned, never changed afterwards."""
    issuer_org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    awarded_on: Mapped[date]
    grade: Mapped[str | None] = mapped_column(String(120))
    """The result under the version's grading scheme, e.g. "Pass" or "A"."""
    via_rpl: Mapped[bool] = mapped_column(default=False)
    """Earned by assessment only, through a recognition-of-prior-learning route."""
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
