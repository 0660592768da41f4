"""Where a learner stands in their learning-account programs on the day of a plan, as the
pure pricing rules read it (``accounts.pricing.ProgramPosition``), and what each offering
then costs them.

For a plan, subsidies are fixed per offering (a rate of its price: the single largest that
applies, as at enrolment), so each offering's net price is its price less that subsidy,
worked out by the quote's own rule (``pricing.best_subsidy``). Credit and employer matching
are shared between the offerings of a plan, so the solver allocates them: one credit pool
per tier with a balance, and one matching pool per program that matches. Programs are taken
in the order they pay at enrolment. Two simplifications, both re-checked by the quote shown
at enrolment:
- a program's ``max_credit_per_item_minor`` caps each of its tiers for an item, not their
  sum;
- a program's budget left limits each of its pools on its own, not their sum.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from cairn.accounts import payments
from cairn.accounts.eligibility import check_eligibility
from cairn.accounts.items import CatalogueItem, item_allowed
from cairn.accounts.pricing import PriceInput, ProgramPosition, QuoteLine, best_subsidy


@dataclass(frozen=True)
class CreditSource:
    """One tier of one program: a solver credit pool."""

    pool_id: str
    program: ProgramPosition
    tier: str
    tier_name: str
    order: int


@dataclass(frozen=True)
class MatchingSource:
    pool_id: str
    program: ProgramPosition
    rate_bp: int
    capacity_minor: int


@dataclass(frozen=True)
class Funding:
    positions: tuple[ProgramPosition, ...]
    credit: tuple[CreditSource, ...]
    matching: tuple[MatchingSource, ...]

    @property
    def currency(self) -> str | None:
        return self.positions[0].rules.currency if self.positions else None

    def subsidy(self, item: CatalogueItem, on: date) -> QuoteLine | None:
        """The subsidy the item gets, as its quote at enrolment gives it."""
        return best_subsidy(PriceInput(item, on, self.positions))

    def credit_limits(self, item: CatalogueItem, net_minor: int) -> tuple[tuple[str, int], ...]:
        """Each credit pool the item may draw on, with the most it may take from it."""
        limits: list[tuple[str, int]] = []
        for source in self.credit:
            rules = source.program.rules
            tier = rules.tier(source.tier)
            if rules.currency != item.currency or not item_allowed(rules.eligible_items, item):
                continue
            if tier.items is not None and not item_allowed(tier.items, item):
                continue
            cap = net_minor
            if rules.max_credit_per_item_minor is not None:
                cap = min(cap, rules.max_credit_per_item_minor)
            if cap > 0:
                limits.append((source.pool_id, cap))
        return tuple(limits)

    def matching_pools(self, item: CatalogueItem) -> tuple[str, ...]:
        return tuple(
            source.pool_id
            for source in self.matching
            if source.program.rules.currency == item.currency
            and item_allowed(source.program.rules.eligible_items, item)
            and source.program.rules.matching is not None
            and item_allowed(source.program.rules.matching.items, item)
        )


def funding_of(session: Session, person_id: uuid.UUID, on: date) -> Funding:
    """The learner's programs, their credit by tier and the matching they may still get."""
    found = payments.positions(session, person_id, on)
    credit: list[CreditSource] = []
    matching: list[MatchingSource] = []
    for position in found:
        for tier in position.rules.ordered_tiers():
            balance = position.balances.get(tier.code, 0)
            if balance > 0:
                credit.append(
                    CreditSource(
                        f"{position.program_id}/{tier.code}",
                        position,
                        tier.code,
                        tier.name,
                        len(credit),
                    )
                )
        rule = position.rules.matching
        if rule is None or check_eligibility(position.rules.eligibility, position.facts, on):
            continue
        capacity = _matching_capacity(position, rule.cap_per_year_minor)
        if capacity > 0 and rule.rate_bp > 0:
            matching.append(
                MatchingSource(f"{position.program_id}/matching", position, rule.rate_bp, capacity)
            )
    return Funding(tuple(found), tuple(credit), tuple(matching))


NO_LIMIT = 10**12
"""A matching pool's capacity when neither a yearly cap nor a budget limits it."""


def _matching_capacity(position: ProgramPosition, cap_per_year: int | None) -> int:
    limits = [NO_LIMIT]
    if cap_per_year is not None:
        limits.append(cap_per_year - position.matched_this_year_minor)
    if position.budget_left_minor is not None:
        limits.append(position.budget_left_minor)
    return max(0, min(limits))
