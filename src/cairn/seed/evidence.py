"""Demo evidence: for the employers' staff, believable levels in their roles' skills from
tests, managers and self-ratings, so gaps and heatmaps have something to show."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy.orm import Session

from cairn.assessment.enums import EvidenceSource
from cairn.assessment.models import Evidence
from cairn.kit.clock import utcnow
from cairn.orgs import repository as orgs_repository
from cairn.seed.taxonomy import ROLE_OCCUPATIONS

SEED = 5
SOURCES = (
    (EvidenceSource.TEST, 0.8),
    (EvidenceSource.MANAGER_RATING, 0.6),
    (EvidenceSource.SELF_ASSESSMENT, 0.4),
)
ASSESSED_SHARE = 0.7
"""Share of staff with evidence: the rest show up as not yet assessed."""


def build_evidence(session: Session) -> None:
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    now = utcnow()
    for org_slug in sorted({slug for slug, _ in ROLE_OCCUPATIONS}):
        org = orgs_repository.get_organisation_by_slug(session, org_slug)
        if org is None:
            continue
        targets: dict[object, dict[object, int]] = {}
        for profile, item in orgs_repository.profile_items_of(session, org.id):
            if profile.position_id is not None:
                targets.setdefault(profile.position_id, {})[item.skill_id] = item.target_level
        for membership in orgs_repository.memberships_in(session, org.id):
            target = targets.get(membership.position_id)
            if not target or rng.random() > ASSESSED_SHARE:
                continue
            for skill_id, goal in target.items():
                source, confidence = rng.choice(SOURCES)
                session.add(
                    Evidence(
                        person_id=membership.person_id,
                        skill_id=skill_id,
                        level=max(1, goal + rng.choice((-2, -1, -1, 0, 0, 0, 1))),
                        source=source,
                        observed_at=now - timedelta(days=rng.randint(5, 500)),
                        confidence=confidence,
                        org_id=org.id,
                    )
                )
    session.flush()
