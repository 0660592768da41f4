"""Small rules documents, learners and catalogue items for the pure rule-engine tests."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from cairn.accounts.eligibility import LearnerFacts
from cairn.accounts.enums import Residency
from cairn.accounts.items import CatalogueItem
from cairn.accounts.rules import ProgramRules


def rules(**overrides: Any) -> ProgramRules:
    """A one-tier program in CAD with a grant on joining, changed by ``overrides``."""
    document: dict[str, Any] = {
        "currency": "CAD",
        "tiers": [{"code": "base", "name": "Base credit"}],
        "grants": [
            {
                "code": "opening",
                "tier": "base",
                "amount_minor": 50_000,
                "trigger": {"on_join": True},
            }
        ],
        "deduction_order": ["base"],
    }
    document.update(overrides)
    return ProgramRules.model_validate(document)


def citizen(born: date | None = date(1990, 6, 15), **more: Any) -> LearnerFacts:
    return LearnerFacts(birth_date=born, residency=Residency.CITIZEN, **more)


def course(
    price_minor: int = 100_000,
    *,
    hours: float | None = 10.0,
    tags: frozenset[str] = frozenset(),
    currency: str | None = "SGD",
    slug: str = "data-analytics",
) -> CatalogueItem:
    return CatalogueItem(
        specification_id=uuid.uuid5(uuid.NAMESPACE_URL, slug),
        slug=slug,
        tags=tags,
        hours=hours,
        price_minor=price_minor,
        currency=currency,
    )
