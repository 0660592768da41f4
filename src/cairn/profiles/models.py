from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from cairn.assessment import models as assessment_models  # noqa: F401 - evidence tables
from cairn.kit.clock import utcnow
from cairn.kit.db import Base


class ProfileSharing(Base):
    """The person's choice; without a row nothing is shared one by one (decision 0017)."""

    __tablename__ = "profile_sharing"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    with_employers: Mapped[bool] = mapped_column(default=False)
    """Administrators and managers of the person's organisations may see the profile."""
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
