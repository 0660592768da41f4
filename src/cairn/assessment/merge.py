"""Merging evidence into one current level per skill (decision 0016).

The strongest source wins (``PRECEDENCE``); within a source the newest evidence wins. Old
evidence fades: its confidence halves every ``HALF_LIFE`` years, and evidence faded below
``STALE_BELOW`` gives way to weaker but fresher sources. Every level keeps the evidence it
was chosen from and the evidence it outranked, so the profile can explain itself."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from cairn.assessment.enums import PRECEDENCE, EvidenceSource
from cairn.assessment.models import Evidence

HALF_LIFE = timedelta(days=3 * 365)
"""Skills fade and tools change: three years halves how much old evidence is trusted."""
STALE_BELOW = 0.25
"""Decayed confidence under which evidence no longer outranks fresher, weaker sources."""


_RANK = {source: index for index, source in enumerate(PRECEDENCE)}


class Claim(Protocol):
    """What the merge reads of a piece of evidence: an ``Evidence`` row, or just these
    columns when thousands of people are merged at once (the heatmap)."""

    @property
    def skill_id(self) -> uuid.UUID: ...
    @property
    def level(self) -> int: ...
    @property
    def source(self) -> EvidenceSource: ...
    @property
    def observed_at(self) -> datetime: ...
    @property
    def confidence(self) -> float: ...


C = TypeVar("C", bound=Claim)


def decayed_confidence(evidence: Claim, now: datetime) -> float:
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
    """Each skill's level with everything that explains it."""
    return {
        skill_id: _merged(skill_id, *_choose(items, now))
        for skill_id, items in _by_skill(evidence).items()
    }


def current_levels(claims: Iterable[Claim], now: datetime) -> dict[uuid.UUID, int]:
    """Only each skill's level, by the same rule as ``merge``: for aggregates over many
    people, where building every explanation would cost most of the time."""
    return {
        skill_id: items[0].level if len(items) == 1 else _choose(items, now)[0][0].level
        for skill_id, items in _by_skill(claims).items()
    }


def _by_skill(claims: Iterable[C]) -> dict[uuid.UUID, list[C]]:
    by_skill: dict[uuid.UUID, list[C]] = {}
    for claim in claims:
        by_skill.setdefault(claim.skill_id, []).append(claim)
    return by_skill


def _choose(
    items: Sequence[C], now: datetime
) -> tuple[tuple[C, float], list[tuple[C, float]], bool]:
    """(the chosen claim and its decayed confidence, every claim strongest and newest first
    with its own, whether any is still fresh)."""
    ordered = sorted(items, key=lambda e: (_RANK[e.source], -e.observed_at.timestamp()))
    weighed = [(claim, decayed_confidence(claim, now)) for claim in ordered]
    fresh = [pair for pair in weighed if pair[1] >= STALE_BELOW]
    chosen = fresh[0] if fresh else max(weighed, key=lambda pair: pair[1])
    return chosen, weighed, bool(fresh)


def _merged(
    skill_id: uuid.UUID,
    chosen: tuple[Evidence, float],
    weighed: list[tuple[Evidence, float]],
    fresh: bool,
) -> MergedLevel:
    evidence, confidence = chosen
    return MergedLevel(
        skill_id=skill_id,
        level=evidence.level,
        source=evidence.source,
        observed_at=evidence.observed_at,
        confidence_now=confidence,
        stale=not fresh,
        considered=[Considered(e, c, e is evidence) for e, c in weighed],
    )
