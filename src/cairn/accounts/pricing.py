"""How one item's price is split among a learner's programs: the quote shown before a
learner confirms an enrolment, and the amounts the ledger then holds (decision 0041).

In order: (1) the single largest subsidy any program gives the learner for the item;
(2) credit, program by program in the order given, each program's tiers in its deduction
order; (3) employer matching of what is still the learner's share; (4) the rest is the
learner's co-pay. Every amount is rounded down to the minor unit, so a learner is never
given more than a rule's rate, and the parts always add up to the price. A program in
another currency than the price gives nothing."""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from babel.numbers import format_decimal

from cairn.accounts.eligibility import LearnerFacts, check_eligibility
from cairn.accounts.items import CatalogueItem, item_allowed
from cairn.accounts.money import format_money, format_rate
from cairn.accounts.rules import ProgramRules, SubsidyRule
from cairn.kit.i18n import get_locale, gettext

QuoteKind = Literal["subsidy", "credit", "matching"]
MATCHING_CODE = "matching"


@dataclass(frozen=True)
class ProgramPosition:
    """Where a learner stands in one program on the day of the quote."""

    program_id: uuid.UUID
    program_name: str
    rules: ProgramRules
    facts: LearnerFacts
    balances: Mapping[str, int]
    """Credit available per tier code, after any expiry due."""
    matched_this_year_minor: int = 0
    """Matching this learner already had from the program this calendar year."""
    budget_left_minor: int | None = None
    """What the program may still commit; None when it has no budget limit."""


@dataclass(frozen=True)
class PriceInput:
    item: CatalogueItem
    on: date
    programs: Sequence[ProgramPosition]
    use_credit: bool = True
    """False: the learner keeps their credit for later; subsidy and matching still apply."""


@dataclass(frozen=True)
class QuoteLine:
    kind: QuoteKind
    program_id: uuid.UUID
    tier: str | None
    """The tier credit comes from; None for subsidy and matching."""
    rule_code: str
    """The subsidy's code, the tier's code for credit, ``matching`` for matching."""
    amount_minor: int
    explanation: str


@dataclass(frozen=True)
class Quote:
    price_minor: int
    currency: str
    lines: tuple[QuoteLine, ...]
    copay_minor: int
    """What the learner pays: the price less every line."""

    def total(self, kind: QuoteKind) -> int:
        return sum(line.amount_minor for line in self.lines if line.kind == kind)


@dataclass
class _Budget:
    """A program's money left while the quote is built; None means no limit."""

    left: int | None

    def limit(self, amount: int) -> tuple[int, bool]:
        """The part of ``amount`` the budget allows, and whether the budget cut it."""
        if self.left is None or amount <= self.left:
            return amount, False
        return max(0, self.left), True

    def spend(self, amount: int) -> None:
        if self.left is not None:
            self.left -= amount


def quote(price: PriceInput) -> Quote:
    """The split of ``price.item``'s price; lines with nothing in them are left out."""
    item = price.item
    currency, programs = _paying(price)
    budgets = [_Budget(program.budget_left_minor) for program in programs]
    lines: list[QuoteLine] = []
    left = item.price_minor

    best = _best_subsidy(programs, budgets, item, price.on)
    if best is not None:
        lines.append(best)
        left -= best.amount_minor
    if price.use_credit:
        for program, budget in zip(programs, budgets, strict=True):
            credit = _credit(program, budget, item, left)
            lines.extend(credit)
            left -= sum(line.amount_minor for line in credit)
    for program, budget in zip(programs, budgets, strict=True):
        matching = _matching(program, budget, item, left, price.on)
        if matching is not None:
            lines.append(matching)
            left -= matching.amount_minor
    return Quote(item.price_minor, currency, tuple(lines), left)


def best_subsidy(price: PriceInput) -> QuoteLine | None:
    """The subsidy line ``quote`` gives the item, without working out credit and matching:
    a plan prices each of many candidate offerings net of its subsidy and needs only that."""
    _, programs = _paying(price)
    budgets = [_Budget(program.budget_left_minor) for program in programs]
    return _best_subsidy(programs, budgets, price.item, price.on)


def _paying(price: PriceInput) -> tuple[str, list[ProgramPosition]]:
    """The price's currency (the first program's when the item names none) and the programs,
    in the order given, that may pay for the item in it."""
    item = price.item
    currency = item.currency or (price.programs[0].rules.currency if price.programs else "")
    programs = [
        program
        for program in price.programs
        if program.rules.currency == currency and item_allowed(program.rules.eligible_items, item)
    ]
    return currency, programs


def _best_subsidy(
    programs: Sequence[ProgramPosition], budgets: Sequence[_Budget], item: CatalogueItem, on: date
) -> QuoteLine | None:
    """The largest subsidy of all; on a tie, the first program's, then the first rule's."""
    best: tuple[_Subsidy, _Budget] | None = None
    for program, budget in zip(programs, budgets, strict=True):
        if check_eligibility(program.rules.eligibility, program.facts, on):
            continue
        for rule in program.rules.subsidies:
            if not item_allowed(rule.items, item) or check_eligibility(
                rule.eligibility, program.facts, on
            ):
                continue
            found = _subsidy(program, budget, rule, item)
            if found.amount_minor > (0 if best is None else best[0].amount_minor):
                best = (found, budget)
    if best is None:
        return None
    best[1].spend(best[0].amount_minor)
    return _subsidy_line(best[0], item)


@dataclass(frozen=True)
class _Subsidy:
    """What one subsidy rule gives for the item and what limited it; only the one given is
    put in words, as formatting every candidate's would cost more than the arithmetic."""

    program: ProgramPosition
    rule: SubsidyRule
    amount_minor: int
    limit: Literal["hour", "item", "budget"] | None


def _subsidy(
    program: ProgramPosition, budget: _Budget, rule: SubsidyRule, item: CatalogueItem
) -> _Subsidy:
    amount = item.price_minor * rule.rate_bp // 10_000
    limit: Literal["hour", "item", "budget"] | None = None
    if rule.cap_per_hour_minor is not None:
        hour_cap = _hourly_cap(rule.cap_per_hour_minor, item.hours)
        if hour_cap < amount:
            amount, limit = hour_cap, "hour"
    if rule.cap_per_item_minor is not None and rule.cap_per_item_minor < amount:
        amount, limit = rule.cap_per_item_minor, "item"
    amount, cut = budget.limit(amount)
    return _Subsidy(program, rule, amount, "budget" if cut else limit)


def _subsidy_line(found: _Subsidy, item: CatalogueItem) -> QuoteLine:
    rule, currency = found.rule, found.program.rules.currency
    reason: str | None = None
    if found.limit == "hour":
        reason = gettext(
            "Capped at %(cap)s per hour for %(hours)s hours.",
            cap=format_money(rule.cap_per_hour_minor or 0, currency),
            hours=format_decimal(item.hours or 0, locale=get_locale()),
        )
    elif found.limit == "item":
        reason = gettext(
            "Capped at %(cap)s per item.", cap=format_money(rule.cap_per_item_minor or 0, currency)
        )
    elif found.limit == "budget":
        reason = _budget_reason()
    explanation = gettext(
        "%(name)s: %(rate)s of the price.", name=rule.name, rate=format_rate(rule.rate_bp)
    )
    return QuoteLine(
        "subsidy",
        found.program.program_id,
        None,
        rule.code,
        found.amount_minor,
        _join(explanation, reason),
    )


def _hourly_cap(cap_per_hour_minor: int, hours: float | None) -> int:
    """The cap for the offering's hours, rounded down; nothing when the hours are unknown.
    Hours are read as written (``2.3``), not as their binary float value."""
    if hours is None or not math.isfinite(hours):
        return 0
    return max(0, math.floor(Decimal(repr(hours)) * cap_per_hour_minor))


def _credit(
    program: ProgramPosition, budget: _Budget, item: CatalogueItem, left: int
) -> list[QuoteLine]:
    rules = program.rules
    per_item = rules.max_credit_per_item_minor
    lines: list[QuoteLine] = []
    for tier in rules.ordered_tiers():
        if left <= 0:
            break
        if tier.items is not None and not item_allowed(tier.items, item):
            continue
        balance = max(0, program.balances.get(tier.code, 0))
        amount = min(left, balance)
        reason: str | None = None
        if per_item is not None and per_item < amount:
            amount = per_item
            reason = gettext(
                "Limited to %(cap)s of credit per item.",
                cap=format_money(rules.max_credit_per_item_minor or 0, rules.currency),
            )
        amount, cut = budget.limit(amount)
        if cut:
            reason = _budget_reason()
        if amount <= 0:
            continue
        budget.spend(amount)
        left -= amount
        if per_item is not None:
            per_item -= amount
        explanation = gettext(
            "From “%(tier)s” in %(program)s; %(left)s left there after this.",
            tier=tier.name,
            program=program.program_name,
            left=format_money(balance - amount, rules.currency),
        )
        lines.append(
            QuoteLine(
                "credit",
                program.program_id,
                tier.code,
                tier.code,
                amount,
                _join(explanation, reason),
            )
        )
    return lines


def _matching(
    program: ProgramPosition, budget: _Budget, item: CatalogueItem, left: int, on: date
) -> QuoteLine | None:
    rules = program.rules
    rule = rules.matching
    if rule is None or not item_allowed(rule.items, item):
        return None
    if check_eligibility(rules.eligibility, program.facts, on):
        return None
    amount = max(0, left) * rule.rate_bp // 10_000
    cap = rule.cap_per_year_minor
    yearly = None if cap is None else (cap, max(0, cap - program.matched_this_year_minor))
    if yearly is not None:
        amount = min(amount, yearly[1])
    amount, cut = budget.limit(amount)
    if amount <= 0:
        return None
    budget.spend(amount)
    reason: str | None = None
    if cut:
        reason = _budget_reason()
    elif yearly is not None:
        reason = gettext(
            "Up to %(cap)s a year; %(left)s of this year's matching left after this.",
            cap=format_money(yearly[0], rules.currency),
            left=format_money(yearly[1] - amount, rules.currency),
        )
    explanation = gettext(
        "%(program)s matches %(rate)s of your share.",
        program=program.program_name,
        rate=format_rate(rule.rate_bp),
    )
    return QuoteLine(
        "matching", program.program_id, None, MATCHING_CODE, amount, _join(explanation, reason)
    )


def _budget_reason() -> str:
    return gettext("Limited by what is left of the program's budget.")


def _join(explanation: str, reason: str | None) -> str:
    return explanation if reason is None else f"{explanation} {reason}"
