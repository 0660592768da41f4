"""Merging evidence: precedence of sources, newest within a source, and decay with age."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from cairn.assessment.enums import EvidenceSource
from cairn.assessment.merge import HALF_LIFE, merge
from cairn.assessment.models import Evidence

NOW = datetime(2026, 11, 23, tzinfo=UTC)
SKILL = uuid.uuid4()


def evidence(
    source: EvidenceSource, level: int, days_ago: int, confidence: float = 0.9
) -> Evidence:
    return Evidence(
        person_id=uuid.uuid4(),
        skill_id=SKILL,
        level=level,
        source=source,
        observed_at=NOW - timedelta(days=days_ago),
        confidence=confidence,
    )


def test_a_stronger_source_wins_over_a_newer_weaker_one() -> None:
    merged = merge(
        [
            evidence(EvidenceSource.SELF_ASSESSMENT, 6, days_ago=1),
            evidence(EvidenceSource.MANAGER_RATING, 4, days_ago=30),
            evidence(EvidenceSource.PROCTORED_TEST, 3, days_ago=200),
        ],
        NOW,
    )[SKILL]

    assert (merged.level, merged.source) == (3, EvidenceSource.PROCTORED_TEST)
    assert [c.evidence.source for c in merged.considered] == [
        EvidenceSource.PROCTORED_TEST,
        EvidenceSource.MANAGER_RATING,
        EvidenceSource.SELF_ASSESSMENT,
    ]
    assert [c.chosen for c in merged.considered] == [True, False, False]
    assert not merged.stale


def test_within_a_source_the_newest_evidence_wins() -> None:
    merged = merge(
        [
            evidence(EvidenceSource.TEST, 2, days_ago=400),
            evidence(EvidenceSource.TEST, 5, days_ago=10),
        ],
        NOW,
    )[SKILL]
    assert merged.level == 5


def test_faded_evidence_gives_way_to_fresher_weaker_evidence() -> None:
    ten_years = 3650
    merged = merge(
        [
            evidence(EvidenceSource.VERIFIED_CREDENTIAL, 7, days_ago=ten_years),
            evidence(EvidenceSource.MANAGER_RATING, 4, days_ago=60),
        ],
        NOW,
    )[SKILL]
    assert (merged.level, merged.source) == (4, EvidenceSource.MANAGER_RATING)


def test_confidence_halves_every_half_life_and_all_faded_evidence_is_stale() -> None:
    old = evidence(EvidenceSource.TEST, 3, days_ago=HALF_LIFE.days * 2, confidence=0.8)
    merged = merge([old], NOW)[SKILL]
    assert merged.confidence_now == 0.8 / 4
    assert merged.stale
    assert merged.level == 3
