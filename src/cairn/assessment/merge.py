"""Merging evidence into one current level per skill (decision 0016).

The strongest source wins (``PRECEDENCE``); within a source the newest evidence wins. Old
evidence fades: its confidence halves every ``HALF_LIFE`` years, and evidence faded below
``STALE_BELOW`` gives way to weaker but fresher sources. Every level keeps the evidence it
was chosen from and the evidence it outranked, so the profile can explain itself."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from cairn.assessment.enums import PRECEDENCE, EvidenceSource
from cairn.assessment.models import Evidence

HALF_LIFE = timedelta(days=3 * 365)
"""Skills fade and tools change: three years halves how much old evidence is trusted."""
STALE_BELOW = 0.25
"""Decayed confidence under which evidence no longer outranks fresher, weaker sources."""


def decayed_confidence(evidence: Evidence, now: datetime) -> float:
    age = max(now - evidence.observed_at, timedelta(0))
    return float(evidence.confidence * 0.5 ** (age / HALF_LIFE))


@dataclass(frozen=True)
class Considered:
    evidence: Evidence
    confidence_now: float
    chosen: bool


@dataclass(frozen=True)
class MergedLevel:
    skill_id: uuid.UUID
    level: int
    source: EvidenceSource
    observed_at: datetime
    confidence_now: float
    stale: bool
    """True when every piece of evidence has faded: the level is the best there is, but old."""
    considered: list[Considered]
    """Everything known about the skill, strongest and newest first, the chosen one marked."""


def merge(evidence: Iterable[Evidence], now: datetime) -> dict[uuid.UUID, MergedLevel]:
    by_skill: dict[uuid.UUID, list[Evidence]] = {}
    for item in evidence:
        by_skill.setdefault(item.skill_id, []).append(item)
    return {skill_id: _merge_one(skill_id, items, now) for skill_id, items in by_skill.items()}


def _merge_one(skill_id: uuid.UUID, items: list[Evidence], now: datetime) -> MergedLevel:
    rank = {source: index for index, source in enumerate(PRECEDENCE)}
    ordered = sorted(items, key=lambda e: (rank[e.source], -e.observed_at.timestamp()))
    confidence = {id(e): decayed_confidence(e, now) for e in ordered}
    fresh = [e for e in ordered if confidence[id(e)] >= STALE_BELOW]
    chosen = fresh[0] if fresh else max(ordered, key=lambda e: confidence[id(e)])
    return MergedLevel(
        skill_id=skill_id,
        level=chosen.level,
        source=chosen.source,
        observed_at=chosen.observed_at,
        confidence_now=confidence[id(chosen)],
        stale=not fresh,
        considered=[Considered(e, confidence[id(e)], e is chosen) for e in ordered],
    )
