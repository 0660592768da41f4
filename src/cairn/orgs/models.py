from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cairn.kit.actor import Role
from cairn.kit.db import Base, IdMixin, TimestampMixin, str_enum
from cairn.orgs.enums import (
    AgeBand,
    OfficialLanguage,
    OrgKind,
    RegionType,
    SizeBand,
    YesNoUndisclosed,
)
from cairn.taxonomy import models as taxonomy_models  # noqa: F401 - skill profiles refer to its tables


class Organisation(IdMixin, TimestampMixin, Base):
    __tablename__ = "organisations"

    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[OrgKind] = mapped_column(str_enum(OrgKind, "org_kind"))
    size_band: Mapped[SizeBand | None] = mapped_column(str_enum(SizeBand, "size_band"))
    """Required for employers: small firms are a reporting group in later analytics."""
    sector: Mapped[str | None] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)


class Department(IdMixin, TimestampMixin, Base):
    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("org_id", "parent_id", "name"),)

    org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("departments.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))


class Position(IdMixin, TimestampMixin, Base):
    """A job role inside an employer; later issues map it to the skills it needs."""

    __tablename__ = "positions"
    __table_args__ = (UniqueConstraint("org_id", "title"),)

    org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)


class Person(IdMixin, TimestampMixin, Base):
    __tablename__ = "people"

    email: Mapped[str] = mapped_column(String(320), unique=True)
    """Stored lower-cased, so sign-in and invitations match whatever case people type."""
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    """argon2id; None until the person accepts an invitation or an admin sets one."""
    locale: Mapped[str | None] = mapped_column(String(8))
    is_active: Mapped[bool] = mapped_column(default=True)

    profile: Mapped[LearnerProfile] = relationship(
        lazy="raise", uselist=False, back_populates="person"
    )


class LearnerProfile(TimestampMixin, Base):
    __tablename__ = "learner_profiles"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    headline: Mapped[str | None] = mapped_column(String(200))
    about: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(String(120))

    person: Mapped[Person] = relationship(lazy="raise", back_populates="profile")


class EquityAttributes(TimestampMixin, Base):
    """Self-declared and consented; kept apart from the profile so no employer-facing query
    can join it by accident. Withdrawing consent deletes the row."""

    __tablename__ = "equity_attributes"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    consented_at: Mapped[datetime]
    region_type: Mapped[RegionType | None] = mapped_column(str_enum(RegionType, "region_type"))
    indigenous_identity: Mapped[YesNoUndisclosed | None] = mapped_column(
        str_enum(YesNoUndisclosed, "indigenous_identity")
    )
    age_band: Mapped[AgeBand | None] = mapped_column(str_enum(AgeBand, "age_band"))
    disability: Mapped[YesNoUndisclosed | None] = mapped_column(
        str_enum(YesNoUndisclosed, "disability")
    )
    newcomer: Mapped[YesNoUndisclosed | None] = mapped_column(
        str_enum(YesNoUndisclosed, "newcomer")
    )
    official_language: Mapped[OfficialLanguage | None] = mapped_column(
        str_enum(OfficialLanguage, "official_language")
    )


class Membership(IdMixin, TimestampMixin, Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("person_id", "org_id", "role"),)

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True
    )
    position_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("positions.id", ondelete="SET NULL"), index=True
    )

    person: Mapped[Person] = relationship(lazy="raise")


class Invitation(IdMixin, TimestampMixin, Base):
    __tablename__ = "invitations"

    org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(320), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL")
    )
    position_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("positions.id", ondelete="SET NULL")
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """SHA-256 of the link's token: the link itself is only ever in the e-mail."""
    invited_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class SkillProfile(IdMixin, TimestampMixin, Base):
    """The skills a job role or a department needs; exactly one of the two is set."""

    __tablename__ = "skill_profiles"
    __table_args__ = (
        CheckConstraint(
            "(position_id IS NULL) <> (department_id IS NULL)", name="one_role_or_department"
        ),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    position_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("positions.id", ondelete="CASCADE"), unique=True
    )
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), unique=True
    )
    occupation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("occupations.id", ondelete="SET NULL")
    )
    """The occupation it was started from, kept to show where the first skills came from."""

    items: Mapped[list[SkillProfileItem]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )


class SkillProfileItem(Base):
    __tablename__ = "skill_profile_items"

    profile_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("skill_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    target_level: Mapped[int] = mapped_column(Integer)
    """A rank on the skill's framework scale (1-5 generic, 1-8 digital, 0-7 O*NET level)."""
    weight: Mapped[int] = mapped_column(Integer, default=3)
    """How much the skill matters to the role, 1 (a little) to 5 (critical)."""
