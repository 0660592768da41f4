"""Reads of a framework's concepts for the linker (taxonomy's tables, read only)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from cairn.intelligence.concepts import Concept
from cairn.taxonomy.models import Framework, Occupation, Skill


def _alts(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


def skill_concepts(session: Session, framework_id: uuid.UUID) -> list[Concept]:
    """The framework's skills, not its groups (categories name no skill), in URI order so
    the same framework always gives the same fingerprint."""
    rows = session.execute(
        select(Skill.id, Skill.uri, Skill.preferred_label, Skill.alt_labels)
        .where(Skill.framework_id == framework_id, Skill.is_group.is_(False))
        .order_by(Skill.uri)
    )
    return [
        Concept(str(row.id), row.preferred_label, _alts(row.alt_labels), row.uri) for row in rows
    ]


def occupation_concepts(session: Session, framework_id: uuid.UUID) -> list[Concept]:
    rows = session.execute(
        select(Occupation.id, Occupation.uri, Occupation.preferred_label, Occupation.alt_labels)
        .where(Occupation.framework_id == framework_id, Occupation.is_group.is_(False))
        .order_by(Occupation.uri)
    )
    return [
        Concept(str(row.id), row.preferred_label, _alts(row.alt_labels), row.uri) for row in rows
    ]


def has_skills(session: Session, framework_id: uuid.UUID) -> bool:
    return bool(
        session.scalar(
            select(exists().where(Skill.framework_id == framework_id, Skill.is_group.is_(False)))
        )
    )


def all_frameworks(session: Session) -> Sequence[Framework]:
    return session.scalars(select(Framework).order_by(Framework.slug, Framework.version)).all()
