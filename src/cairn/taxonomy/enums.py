from __future__ import annotations

from enum import StrEnum

from cairn.kit.i18n import LazyString, lazy_gettext


class SkillType(StrEnum):
    """ESCO's ``skill/competence`` is stored as ``skill``; transversal attitudes and values as
    ``attitude``."""

    KNOWLEDGE = "knowledge"
    SKILL = "skill"
    ATTITUDE = "attitude"


class ReuseLevel(StrEnum):
    """How widely a skill applies, as ESCO classifies it."""

    TRANSVERSAL = "transversal"
    CROSS_SECTOR = "cross-sector"
    SECTOR_SPECIFIC = "sector-specific"
    OCCUPATION_SPECIFIC = "occupation-specific"


class Relation(StrEnum):
    """Whether an occupation (or a skill) needs another skill or merely benefits from it."""

    ESSENTIAL = "essential"
    OPTIONAL = "optional"


LABELS: dict[str, LazyString] = {
    SkillType.KNOWLEDGE: lazy_gettext("Knowledge"),
    SkillType.SKILL: lazy_gettext("Skill or competence"),
    SkillType.ATTITUDE: lazy_gettext("Attitude or value"),
    ReuseLevel.TRANSVERSAL: lazy_gettext("Transversal"),
    ReuseLevel.CROSS_SECTOR: lazy_gettext("Cross-sector"),
    ReuseLevel.SECTOR_SPECIFIC: lazy_gettext("Sector-specific"),
    ReuseLevel.OCCUPATION_SPECIFIC: lazy_gettext("Occupation-specific"),
    Relation.ESSENTIAL: lazy_gettext("Essential"),
    Relation.OPTIONAL: lazy_gettext("Optional"),
}


def label(value: StrEnum) -> str:
    return str(LABELS.get(value, value.value))
