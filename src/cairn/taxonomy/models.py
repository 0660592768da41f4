"""Frameworks and what they hold. A framework row is one published version: ESCO v1.2.0 and
a later ESCO v1.3.0 are two rows with their own skills, so a credential that points at a
skill keeps meaning what it meant when it was issued."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cairn.kit.db import Base, IdMixin, TimestampMixin, str_enum
from cairn.taxonomy.enums import Relation, ReuseLevel, SkillType


class ProficiencyScale(IdMixin, Base):
    __tablename__ = "proficiency_scales"

    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)

    levels: Mapped[list[ProficiencyLevel]] = relationship(
        lazy="selectin", order_by="ProficiencyLevel.rank", cascade="all, delete-orphan"
    )


class ProficiencyLevel(IdMixin, Base):
    __tablename__ = "proficiency_levels"
    __table_args__ = (UniqueConstraint("scale_id", "rank"),)

    scale_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("proficiency_scales.id", ondelete="CASCADE")
    )
    rank: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(120))
    descriptor: Mapped[str | None] = mapped_column(Text)


class Framework(IdMixin, TimestampMixin, Base):
    __tablename__ = "frameworks"
    __table_args__ = (UniqueConstraint("slug", "version"),)

    slug: Mapped[str] = mapped_column(String(80))
    """Names the framework across versions: ``esco``, ``onet``, ``cairn-digital``."""
    version: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    publisher: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    licence: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(Text)
    """Where the data came from (a URL or the imported path), shown with its licence."""
    code_system: Mapped[str | None] = mapped_column(String(40))
    """The system its occupation codes belong to (``ESCO``, ``O*NET-SOC``), for crosswalks."""
    owner_org_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    """None for a public framework; else only that organisation's members see it. No foreign
    key: organisations live in a higher layer, which taxonomy must not depend on."""
    scale_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("proficiency_scales.id", ondelete="SET NULL")
    )
    imported_at: Mapped[datetime | None]

    scale: Mapped[ProficiencyScale | None] = relationship(lazy="joined")


skill_type_enum = str_enum(SkillType, "skill_type")
reuse_level_enum = str_enum(ReuseLevel, "reuse_level")
relation_enum = str_enum(Relation, "skill_relation")


class Skill(IdMixin, Base):
    """A skill, a competence, an item of knowledge, or a group of them (``is_group``)."""

    __tablename__ = "skills"
    __table_args__ = (
        UniqueConstraint("framework_id", "uri"),
        Index("ix_skills_framework_id_code", "framework_id", "code"),
    )

    framework_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    uri: Mapped[str] = mapped_column(String(500))
    """Stable identifier from the publisher (ESCO's concept URI, O*NET's element id)."""
    code: Mapped[str | None] = mapped_column(String(64))
    preferred_label: Mapped[str] = mapped_column(String(500))
    alt_labels: Mapped[str] = mapped_column(Text, default="")
    """One label per line: plain text keeps full-text indexing the same on every database."""
    description: Mapped[str | None] = mapped_column(Text)
    skill_type: Mapped[SkillType | None] = mapped_column(skill_type_enum)
    reuse_level: Mapped[ReuseLevel | None] = mapped_column(reuse_level_enum)
    is_group: Mapped[bool] = mapped_column(default=False)

    @property
    def alt_label_list(self) -> list[str]:
        return [line for line in self.alt_labels.splitlines() if line]


class SkillBroader(Base):
    """The hierarchy: a skill or group under one or more broader groups (ESCO allows several)."""

    __tablename__ = "skill_broader"

    skill_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True
    )
    broader_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SkillRelation(Base):
    __tablename__ = "skill_relations"

    skill_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True
    )
    related_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    relation: Mapped[Relation] = mapped_column(relation_enum)


class SkillLevelDescriptor(Base):
    """What a given level of one skill looks like, where the framework says (DigComp-style)."""

    __tablename__ = "skill_level_descriptors"

    skill_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True
    )
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    descriptor: Mapped[str] = mapped_column(Text)


class SkillCollection(IdMixin, Base):
    """A cross-cutting set such as ESCO's digital, green, transversal or language skills."""

    __tablename__ = "skill_collections"
    __table_args__ = (UniqueConstraint("framework_id", "slug"),)

    framework_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))


class SkillCollectionMember(Base):
    __tablename__ = "skill_collection_members"

    collection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("skill_collections.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Occupation(IdMixin, Base):
    """An occupation, or a group of them (ISCO groups) when ``is_group``."""

    __tablename__ = "occupations"
    __table_args__ = (
        UniqueConstraint("framework_id", "uri"),
        Index("ix_occupations_framework_id_code", "framework_id", "code"),
    )

    framework_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    uri: Mapped[str] = mapped_column(String(500))
    code: Mapped[str | None] = mapped_column(String(40))
    """ESCO's occupation code, an ISCO group code, or an O*NET-SOC code."""
    isco_code: Mapped[str | None] = mapped_column(String(8))
    preferred_label: Mapped[str] = mapped_column(String(500))
    alt_labels: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str | None] = mapped_column(Text)
    is_group: Mapped[bool] = mapped_column(default=False)
    broader_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("occupations.id", ondelete="SET NULL"), index=True
    )
    job_zone: Mapped[int | None] = mapped_column(Integer)
    """O*NET's preparation level, 1 (little) to 5 (extensive)."""

    @property
    def alt_label_list(self) -> list[str]:
        return [line for line in self.alt_labels.splitlines() if line]


class OccupationSkill(Base):
    """What an occupation needs: ESCO's essential/optional, or O*NET's importance and level."""

    __tablename__ = "occupation_skills"

    occupation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("occupations.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    relation: Mapped[Relation | None] = mapped_column(relation_enum)
    importance: Mapped[float | None] = mapped_column(Float)
    """O*NET importance, 1 to 5."""
    level: Mapped[float | None] = mapped_column(Float)
    """O*NET level, 0 to 7."""
    details: Mapped[dict[str, object] | None] = mapped_column(JSON)
    """Extra facts from the source, e.g. O*NET's hot-technology flag and product examples."""


class OccupationTask(IdMixin, Base):
    __tablename__ = "occupation_tasks"
    __table_args__ = (UniqueConstraint("occupation_id", "code"),)

    occupation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("occupations.id", ondelete="CASCADE")
    )
    code: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    core: Mapped[bool | None]


class Crosswalk(IdMixin, TimestampMixin, Base):
    """A published table of equivalent codes, e.g. NOC 2021 → O*NET-SOC."""

    __tablename__ = "crosswalks"

    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    source_system: Mapped[str] = mapped_column(String(40))
    target_system: Mapped[str] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(Text)


class CrosswalkEntry(IdMixin, Base):
    __tablename__ = "crosswalk_entries"
    __table_args__ = (
        UniqueConstraint("crosswalk_id", "source_code", "target_code"),
        Index("ix_crosswalk_entries_target_code", "target_code"),
        Index("ix_crosswalk_entries_source_code", "source_code"),
    )

    crosswalk_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crosswalks.id", ondelete="CASCADE"))
    source_code: Mapped[str] = mapped_column(String(500))
    source_label: Mapped[str | None] = mapped_column(String(500))
    target_code: Mapped[str] = mapped_column(String(500))
    target_label: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(Text)
