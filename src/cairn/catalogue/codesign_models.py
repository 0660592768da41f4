"""Co-design: employers' skills needs, educators' proposals, the thread between them,
and the networks through which they see each other (decision 0025).

Every change to a need or a proposal, and every comment, writes a ``CodesignEvent``: the
thread's audit trail is append-only and says who did what, for which organisation, when."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from cairn.catalogue import models as catalogue_models  # noqa: F401 - proposals name specifications
from cairn.catalogue.enums import CodesignAction, NeedStatus, NetworkKind, ProposalStatus
from cairn.kit.clock import utcnow
from cairn.kit.db import Base, IdMixin, TimestampMixin, str_enum


class Network(IdMixin, TimestampMixin, Base):
    """A sector or regional network of employers and educators."""

    __tablename__ = "networks"

    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[NetworkKind] = mapped_column(str_enum(NetworkKind, "network_kind"))
    sector: Mapped[str | None] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    convenor_org_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    """The organisation that started the network and looks after it."""


class NetworkMember(Base):
    __tablename__ = "network_members"

    network_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True
    )
    org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)


class SkillsNeed(IdMixin, TimestampMixin, Base):
    """What an employer (or a sector group) needs people to be able to do."""

    __tablename__ = "skills_needs"
    __table_args__ = (
        CheckConstraint("headcount IS NULL OR headcount > 0", name="headcount_positive"),
        CheckConstraint(
            "needed_from IS NULL OR needed_by IS NULL OR needed_from <= needed_by",
            name="timing_in_order",
        ),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    network_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("networks.id", ondelete="SET NULL"), index=True
    )
    """Shared with one network's members; None shares it with every training provider."""
    title: Mapped[str] = mapped_column(String(300))
    role_title: Mapped[str | None] = mapped_column(String(200))
    position_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("positions.id", ondelete="SET NULL")
    )
    """The employer's job role, when the need is for one of its own roles."""
    description: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(String(120))
    headcount: Mapped[int | None] = mapped_column(Integer)
    """How many people need the skills."""
    needed_from: Mapped[date | None]
    needed_by: Mapped[date | None]
    status: Mapped[NeedStatus] = mapped_column(
        str_enum(NeedStatus, "need_status"), default=NeedStatus.OPEN, index=True
    )
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )


class NeedSkill(Base):
    __tablename__ = "need_skills"

    need_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("skills_needs.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("skills.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    level: Mapped[int | None] = mapped_column(Integer)
    """The proficiency needed, a rank on the skill's framework scale."""


class Proposal(IdMixin, TimestampMixin, Base):
    """A training provider's answer to a need: an existing specification or a new one."""

    __tablename__ = "proposals"
    __table_args__ = (CheckConstraint("revision > 0", name="revision_positive"),)

    need_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("skills_needs.id", ondelete="CASCADE"), index=True
    )
    provider_org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    specification_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("specifications.id", ondelete="SET NULL"), index=True
    )
    """The specification offered, once there is one (a new design starts as a draft)."""
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ProposalStatus] = mapped_column(
        str_enum(ProposalStatus, "proposal_status"), default=ProposalStatus.SUBMITTED
    )
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    agreed_at: Mapped[datetime | None]
    agreed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )


class CodesignComment(IdMixin, Base):
    """A message on a need's thread, optionally about one proposal or in reply to another."""

    __tablename__ = "codesign_comments"

    need_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("skills_needs.id", ondelete="CASCADE"), index=True
    )
    proposal_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("codesign_comments.id", ondelete="CASCADE")
    )
    author_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    author_org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    """The organisation the author spoke for."""
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CodesignEvent(IdMixin, Base):
    """The audit trail of a co-design thread; rows are only ever added."""

    __tablename__ = "codesign_events"

    need_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("skills_needs.id", ondelete="CASCADE"), index=True
    )
    proposal_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE")
    )
    action: Mapped[CodesignAction] = mapped_column(str_enum(CodesignAction, "codesign_action"))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """What changed: field names with their old and new values, or the comment's id."""
    at: Mapped[datetime] = mapped_column(default=utcnow)
