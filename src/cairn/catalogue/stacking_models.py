"""Stacking rules, equivalences and recognition-of-prior-learning routes.

A rule says how micro-credentials add up to something larger: all of a set, some number
of it, or a total of credits, toward a larger credential (a specification) or a program
named in words. Components point at a specification's lasting identity, so any version
of it counts, or at another rule, whose achievement then counts (decision 0024)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from cairn.catalogue import models as catalogue_models  # noqa: F401 - components are specifications
from cairn.catalogue.stacking import RuleKind
from cairn.kit.clock import utcnow
from cairn.kit.db import Base, IdMixin, TimestampMixin, str_enum


class StackRule(IdMixin, TimestampMixin, Base):
    __tablename__ = "stack_rules"
    __table_args__ = (
        UniqueConstraint("owner_org_id", "slug"),
        CheckConstraint("n IS NULL OR n > 0", name="n_positive"),
        CheckConstraint(
            "credits_required IS NULL OR credits_required > 0", name="credits_positive"
        ),
        CheckConstraint(
            "target_specification_id IS NOT NULL OR program_name IS NOT NULL",
            name="has_target",
        ),
    )

    owner_org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    """The organisation that declares how its larger credential or program is earned."""
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[RuleKind] = mapped_column(str_enum(RuleKind, "stack_rule_kind"))
    n: Mapped[int | None] = mapped_column(Integer)
    """How many components an ``n_of`` rule needs."""
    credits_required: Mapped[float | None] = mapped_column(Float)
    """ECTS credits a ``credit_total`` rule needs."""
    target_specification_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("specifications.id", ondelete="RESTRICT"), index=True
    )
    """The larger credential the components stack into."""
    program_name: Mapped[str | None] = mapped_column(String(300))
    """Or the program they count as credit toward, in words."""
    program_code: Mapped[str | None] = mapped_column(String(40))


class StackRuleComponent(IdMixin, Base):
    """A specification (any of its versions) or another rule's achievement."""

    __tablename__ = "stack_rule_components"
    __table_args__ = (
        UniqueConstraint("rule_id", "specification_id"),
        UniqueConstraint("rule_id", "nested_rule_id"),
        CheckConstraint(
            "(specification_id IS NULL) <> (nested_rule_id IS NULL)", name="one_component"
        ),
    )

    rule_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("stack_rules.id", ondelete="CASCADE"), index=True
    )
    specification_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("specifications.id", ondelete="RESTRICT"), index=True
    )
    nested_rule_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("stack_rules.id", ondelete="RESTRICT"), index=True
    )
    """Deleting a rule that another includes is refused by the service, naming it."""


class Equivalence(IdMixin, Base):
    """The owner of ``specification_id`` recognises ``equivalent_specification_id``
    (usually another issuer's) as standing in for it: one way, for stacking."""

    __tablename__ = "equivalences"
    __table_args__ = (
        UniqueConstraint("specification_id", "equivalent_specification_id"),
        CheckConstraint("specification_id <> equivalent_specification_id", name="not_itself"),
    )

    specification_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("specifications.id", ondelete="CASCADE"), index=True
    )
    equivalent_specification_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("specifications.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str | None] = mapped_column(Text)
    declared_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RplRoute(IdMixin, Base):
    """Assessment-only completion: how someone who already has the learning earns the
    credential without taking the course."""

    __tablename__ = "rpl_routes"

    specification_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("specifications.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
