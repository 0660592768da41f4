"""Proficiency scales that ship with Cairn, and how a framework's own scale is stored."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from cairn.taxonomy import repository
from cairn.taxonomy.models import ProficiencyLevel, ProficiencyScale


@dataclass(frozen=True)
class LevelDefinition:
    rank: int
    label: str
    descriptor: str | None = None


@dataclass(frozen=True)
class ScaleDefinition:
    slug: str
    name: str
    description: str
    levels: tuple[LevelDefinition, ...]


GENERIC_5 = ScaleDefinition(
    slug="generic-5",
    name="Generic proficiency (1-5)",
    description="Five levels for any skill, used where a framework publishes no scale (ESCO).",
    levels=(
        LevelDefinition(1, "Awareness", "Knows what the skill is and when it is needed."),
        LevelDefinition(2, "Basic", "Applies it to simple, familiar tasks with guidance."),
        LevelDefinition(3, "Competent", "Applies it on their own to routine work tasks."),
        LevelDefinition(4, "Advanced", "Handles complex or unusual cases and helps others."),
        LevelDefinition(5, "Expert", "Leads, improves practice and is consulted by others."),
    ),
)

ONET_LEVEL = ScaleDefinition(
    slug="onet-level",
    name="O*NET level (0-7)",
    description="O*NET's level scale: how much of a skill or knowledge an occupation needs.",
    levels=tuple(
        LevelDefinition(rank, label)
        for rank, label in enumerate(
            (
                "Not needed",
                "Very basic",
                "Basic",
                "Moderate",
                "Intermediate",
                "Advanced",
                "Highly advanced",
                "Expert",
            )
        )
    ),
)

ONET_IMPORTANCE_ESSENTIAL = 3.5
"""O*NET importance (1-5) from which a skill counts as essential to an occupation: between
"important" (3) and "very important" (4). A documented choice (decision 0013)."""


def ensure_scale(session: Session, definition: ScaleDefinition) -> ProficiencyScale:
    """Create the scale, or bring an existing one to ``definition``; levels keyed by rank."""
    scale = repository.get_scale(session, definition.slug)
    if scale is None:
        scale = ProficiencyScale(slug=definition.slug)
        session.add(scale)
    scale.name = definition.name
    scale.description = definition.description
    by_rank = {level.rank: level for level in scale.levels}
    for level in definition.levels:
        current = by_rank.pop(level.rank, None)
        if current is None:
            scale.levels.append(
                ProficiencyLevel(rank=level.rank, label=level.label, descriptor=level.descriptor)
            )
        else:
            current.label, current.descriptor = level.label, level.descriptor
    for stale in by_rank.values():
        scale.levels.remove(stale)
    session.flush()
    return scale
