"""The fast fallback: greedy plans, improved, then every step they can do without dropped.

Greedy by out-of-pocket or net price per unit of progress (a gap closed, a requirement
member, a share of required credits), or by finish date first; lazily, since an option
only gets worse as the plan grows. An offering whose prerequisites are not met yet comes
as a bundle with the cheapest offerings that meet them in time. The best plan is then
improved twice: the greedy runs again closing first the gaps its dearest step closed
(earlier choices had crowded out the cheap ways to close them), and each step in turn is
banned and the rest of the plan completed again.

Every choice keeps dates, weekly hours, one offering per specification and the budget
(priced with ``greedy_share``, a valid allocation, so never below the exact cost); the
plan is then funded exactly and checked by ``check_plan`` before it is returned, so the
heuristic returns a feasible plan or None, never a wrong one.
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from cairn.pathways.allocation import greedy_share
from cairn.pathways.plans import build_plan
from cairn.pathways.prefilter import least_out_of_pocket, prefilter
from cairn.pathways.problem import (
    HOURS_TOLERANCE,
    Candidate,
    Plan,
    Problem,
    check_plan,
    clause_met_by_held,
    hour_units,
    objective_key,
    week_starts,
)

BUNDLE_DEPTH = 3
"""How deep a chain of prerequisites the greedy step assembles for one offering."""
FIRST_WEIGHT = 100


def heuristic(problem: Problem) -> Plan | None:
    """A feasible plan found quickly, or None when the greedy search finds none."""
    started = time.perf_counter()
    return heuristic_among(problem, prefilter(problem), started=started)


def heuristic_among(
    problem: Problem, candidates: Sequence[Candidate], *, started: float
) -> Plan | None:
    """``heuristic`` over candidates already pre-filtered."""
    rules = RULES[problem.objective]
    weeks = {c.id: week_starts(c.starts_on, c.ends_on) for c in candidates}
    credit_pools = {pool.id: pool for pool in problem.credit_pools}
    matching_pools = {pool.id: pool for pool in problem.matching_pools}
    least = {c.id: least_out_of_pocket(c, credit_pools, matching_pools) for c in candidates}

    def greedy(
        rule: Rule,
        kept: Sequence[Candidate] = (),
        banned: frozenset[str] = frozenset(),
        first: frozenset[str] = frozenset(),
    ) -> list[Candidate] | None:
        search = _Greedy(problem, candidates, rule, weeks, least, banned, first)
        search.take(kept)
        chosen = search.run()
        return None if chosen is None else _without_redundant(problem, chosen)

    found = [
        (_estimate(problem, chosen), number, chosen)
        for number, rule in enumerate(rules)
        if (chosen := greedy(rule)) is not None
    ]
    # Hardest gaps first: those the dearest step closed (the cheap ways to close them were
    # crowded out by earlier choices), or, with no plan yet, those fewest offerings close.
    if found:
        _, number, chosen = min(found, key=lambda item: item[:2])
        dearest = max(chosen, key=lambda c: (least[c.id], c.net_price_minor, c.id), default=None)
        hardest = dearest.covers & problem.gaps if dearest else frozenset()
    else:
        number = 0
        hardest = frozenset(_scarcest(problem, candidates))
    if hardest and (again := greedy(rules[number], first=hardest)) is not None:
        found.append((_estimate(problem, again), number, again))
    if not found:
        return None
    key, number, chosen = min(found, key=lambda item: item[:2])
    # Drop and repair: each step in turn, dearest first, is banned and the rest of the plan
    # completed again greedily; a better plan replaces the current one.
    for victim in sorted(chosen, key=lambda c: (-least[c.id], -c.net_price_minor, c.id)):
        if victim not in chosen:
            continue
        kept = _without(problem, chosen, victim)
        repaired = greedy(rules[number], kept, frozenset({victim.id}))
        if repaired is not None and (estimate := _estimate(problem, repaired)) < key:
            key, chosen = estimate, repaired
    plan = build_plan(problem, chosen, method="heuristic", proven_optimal=False, solve_ms=0.0)
    if check_plan(replace(problem, candidates=tuple(chosen)), plan):
        return None
    return replace(plan, solve_ms=(time.perf_counter() - started) * 1000)


def _scarcest(problem: Problem, candidates: Sequence[Candidate]) -> list[str]:
    """The gaps the fewest offerings close (a third of them, at least one)."""
    closing = dict.fromkeys(problem.gaps, 0)
    for c in candidates:
        for gap in c.covers & problem.gaps:
            closing[gap] += 1
    ranked = sorted(closing, key=lambda gap: (closing[gap], gap))
    return ranked[: max(1, len(ranked) // 3)]


def _without(problem: Problem, chosen: Sequence[Candidate], victim: Candidate) -> list[Candidate]:
    """``chosen`` less ``victim`` and whatever needed it, however indirectly."""
    held = problem.held_specifications
    kept = [c for c in chosen if c is not victim]
    while True:
        still = [
            c
            for c in kept
            if all(
                clause_met_by_held(clause, held) is not None
                or any(o.specification_id in clause and o.ends_on < c.starts_on for o in kept)
                for clause in c.requires
            )
        ]
        if len(still) == len(kept):
            return kept
        kept = still


def _estimate(problem: Problem, chosen: Sequence[Candidate]) -> tuple[int, int, int]:
    """The objective of ``chosen`` with greedy funding: enough to pick between attempts."""
    credit_pools = sorted(problem.credit_pools, key=lambda p: (p.order, p.id))
    credit_left = {pool.id: pool.capacity_minor for pool in problem.credit_pools}
    matching_left = {pool.id: pool.capacity_minor for pool in problem.matching_pools}
    rates = {pool.id: pool.rate_bp for pool in problem.matching_pools}
    cost = sum(
        greedy_share(c, credit_left, matching_left, credit_pools, rates).out_of_pocket_minor
        for c in chosen
    )
    finish = max((c.ends_on for c in chosen), default=None)
    hours = sum(hour_units(c.hours) for c in chosen)
    return objective_key(problem.objective, cost, finish, hours)


@dataclass(frozen=True)
class _Option:
    """A bundle the greedy step may add, and how it compares."""

    members: tuple[Candidate, ...]
    cost: int
    """Out-of-pocket with what credit is left, drawn greedily."""
    price: int
    """Net price: what the offerings cost before credit, which later steps may need."""
    gain: float
    finish: date


def _by_ratio(option: _Option) -> tuple[float, ...]:
    return (option.cost / option.gain, option.finish.toordinal(), -option.gain)


def _by_price(option: _Option) -> tuple[float, ...]:
    return (option.price / option.gain, option.cost / option.gain, option.finish.toordinal())


def _by_finish(option: _Option) -> tuple[float, ...]:
    return (option.finish.toordinal(), option.cost / option.gain, -option.gain)


Rule = Callable[[_Option], tuple[float, ...]]
RULES: dict[str, tuple[Rule, ...]] = {
    "cost": (_by_ratio, _by_price, _by_finish),
    "time": (_by_finish, _by_ratio, _by_price),
}


@dataclass
class _Greedy:
    problem: Problem
    candidates: Sequence[Candidate]
    rule: Callable[[_Option], tuple[float, ...]]
    weeks: dict[str, range]
    least: dict[str, float]
    """Each candidate's least out-of-pocket on its own: a bound on what it adds."""
    banned: frozenset[str]
    first: frozenset[str]
    """Gaps to close before any other: each counts for ``FIRST_WEIGHT`` gaps."""
    chosen: list[Candidate] = field(default_factory=list)
    specifications: set[str] = field(default_factory=set)
    covered: set[str] = field(default_factory=set)
    load: dict[int, float] = field(default_factory=dict)
    spent: int = 0
    finish: date | None = None

    def __post_init__(self) -> None:
        problem = self.problem
        self.credit_pools = sorted(problem.credit_pools, key=lambda p: (p.order, p.id))
        self.credit_left = {pool.id: pool.capacity_minor for pool in problem.credit_pools}
        self.matching_left = {pool.id: pool.capacity_minor for pool in problem.matching_pools}
        self.rates = {pool.id: pool.rate_bp for pool in problem.matching_pools}
        held = problem.held_specifications
        self.count_needed = {
            group.id: group.at_least - len(group.specification_ids & held)
            for group in problem.requirements
        }
        self.credits_needed = {
            group.id: (group.min_credits or 0.0) - group.held_credits
            for group in problem.requirements
        }
        self.by_specification: dict[str, list[Candidate]] = {}
        self.dependents: dict[str, list[int]] = {}
        for position, candidate in enumerate(self.candidates):
            self.by_specification.setdefault(candidate.specification_id, []).append(candidate)
            for clause in candidate.requires:
                for spec in clause:
                    self.dependents.setdefault(spec, []).append(position)

    def done(self) -> bool:
        return (
            self.covered >= self.problem.gaps
            and all(needed <= 0 for needed in self.count_needed.values())
            and all(needed <= HOURS_TOLERANCE for needed in self.credits_needed.values())
        )

    def run(self) -> list[Candidate] | None:
        """Lazy greedy: an option only gets worse as the plan grows (less left to close,
        less credit, fuller weeks, a later finish), so a stale score is a bound and only
        the best is re-scored. Bundles are the exception: taking a specification makes its
        dependents' bundles cheaper, so those are re-scored at once."""
        heap: list[tuple[tuple[float, ...], int]] = []
        for position, candidate in enumerate(self.candidates):
            gain = self._gain_of(candidate)
            if gain > 0:
                heap.append((self.rule(self._optimistic(candidate, gain)), position))
        heapq.heapify(heap)
        while not self.done():
            while heap:
                _, position = heapq.heappop(heap)
                option = self._evaluate(self.candidates[position])
                if option is None:
                    continue
                score = self.rule(option)
                if heap and score > heap[0][0]:
                    heapq.heappush(heap, (score, position))
                    continue
                self.take(option.members)
                for member in option.members:
                    for dependent in self.dependents.get(member.specification_id, ()):
                        self._push(heap, dependent)
                break
            else:
                return None
        return self.chosen

    def _push(self, heap: list[tuple[tuple[float, ...], int]], position: int) -> None:
        option = self._evaluate(self.candidates[position])
        if option is not None:
            heapq.heappush(heap, (self.rule(option), position))

    def _optimistic(self, candidate: Candidate, gain: float) -> _Option:
        """A score no better than the candidate's real one will be: its least cost, and
        for one with prerequisites still to meet, all that is left to gain."""
        if any(not self._met(clause, candidate.starts_on, ()) for clause in candidate.requires):
            gain = float(len(self.problem.gaps)) + sum(
                max(needed, 0) + 1.0 for needed in self.count_needed.values()
            )
        finish = max(candidate.ends_on, self.finish or candidate.ends_on)
        cost = math.floor(self.least[candidate.id])
        return _Option((candidate,), cost, candidate.net_price_minor, gain, finish)

    def _evaluate(self, candidate: Candidate) -> _Option | None:
        if (
            candidate.specification_id in self.specifications
            or candidate.id in self.banned
            or self._gain_of(candidate) <= 0
        ):
            return None
        return self._option(candidate)

    def _gain_of(self, candidate: Candidate, taken: frozenset[str] = frozenset()) -> float:
        new = candidate.covers & self.problem.gaps - self.covered - taken
        gain = float(len(new) + (FIRST_WEIGHT - 1) * len(new & self.first))
        held = self.problem.held_specifications
        for group in self.problem.requirements:
            if candidate.specification_id not in group.specification_ids - held:
                continue
            if self.count_needed[group.id] > 0:
                gain += 1.0
            needed = self.credits_needed[group.id]
            if needed > HOURS_TOLERANCE and candidate.credits > 0:
                gain += min(candidate.credits, needed) / needed
        return gain

    def _option(self, candidate: Candidate) -> _Option | None:
        members = self._bundle(candidate, {candidate.specification_id}, BUNDLE_DEPTH)
        if members is None or not self._fits(members):
            return None
        credit_left = dict(self.credit_left)
        matching_left = dict(self.matching_left)
        cost = sum(
            greedy_share(
                m, credit_left, matching_left, self.credit_pools, self.rates
            ).out_of_pocket_minor
            for m in members
        )
        budget = self.problem.constraints.budget_minor
        if budget is not None and self.spent + cost > budget:
            return None
        taken: frozenset[str] = frozenset()
        gain = 0.0
        for member in members:
            gain += self._gain_of(member, taken)
            taken |= member.covers
        finish = max(m.ends_on for m in members)
        if self.finish is not None:
            finish = max(finish, self.finish)
        price = sum(m.net_price_minor for m in members)
        return _Option(members, cost, price, gain, finish)

    def _bundle(
        self, candidate: Candidate, specifications: set[str], depth: int
    ) -> tuple[Candidate, ...] | None:
        """``candidate`` with offerings meeting its unmet prerequisites, cheapest first."""
        members = [candidate]
        for clause in candidate.requires:
            if self._met(clause, candidate.starts_on, members):
                continue
            if depth == 0:
                return None
            providers = sorted(
                (
                    provider
                    for spec in clause - specifications - self.specifications
                    for provider in self.by_specification.get(spec, ())
                    if provider.ends_on < candidate.starts_on and provider.id not in self.banned
                ),
                key=lambda c: (c.net_price_minor, c.ends_on, c.id),
            )
            for provider in providers:
                chain = self._bundle(
                    provider, specifications | {provider.specification_id}, depth - 1
                )
                if chain is not None and self._fits([*members, *chain]):
                    members.extend(chain)
                    specifications |= {m.specification_id for m in chain}
                    break
            else:
                return None
        return tuple(members)

    def _met(self, clause: frozenset[str], starts_on: date, pending: Sequence[Candidate]) -> bool:
        if clause_met_by_held(clause, self.problem.held_specifications) is not None:
            return True
        return any(
            other.specification_id in clause and other.ends_on < starts_on
            for other in (*self.chosen, *pending)
        )

    def _fits(self, members: Sequence[Candidate]) -> bool:
        limit = self.problem.constraints.hours_per_week
        if limit is None:
            return True
        extra: dict[int, float] = {}
        for member in members:
            for monday in self.weeks[member.id]:
                extra[monday] = extra.get(monday, 0.0) + member.weekly_hours
        return all(
            self.load.get(monday, 0.0) + hours <= limit + HOURS_TOLERANCE
            for monday, hours in extra.items()
        )

    def take(self, members: Sequence[Candidate]) -> None:
        """Add ``members`` to the plan."""
        held = self.problem.held_specifications
        for member in members:
            self.chosen.append(member)
            self.specifications.add(member.specification_id)
            self.covered |= member.covers & self.problem.gaps
            for monday in self.weeks[member.id]:
                self.load[monday] = self.load.get(monday, 0.0) + member.weekly_hours
            share = greedy_share(
                member, self.credit_left, self.matching_left, self.credit_pools, self.rates
            )
            self.spent += share.out_of_pocket_minor
            self.finish = max(member.ends_on, self.finish or member.ends_on)
            for group in self.problem.requirements:
                if member.specification_id in group.specification_ids - held:
                    self.count_needed[group.id] -= 1
                    self.credits_needed[group.id] -= member.credits


def _without_redundant(problem: Problem, chosen: list[Candidate]) -> list[Candidate]:
    """Drop steps, dearest first, while the rest still closes every gap, meets every
    requirement and every remaining step's prerequisites."""
    kept = list(chosen)
    for candidate in sorted(chosen, key=lambda c: (-c.net_price_minor, -c.hours, c.id)):
        rest = [other for other in kept if other is not candidate]
        if _complete(problem, rest):
            kept = rest
    return kept


def _complete(problem: Problem, chosen: list[Candidate]) -> bool:
    covered = frozenset().union(*(candidate.covers for candidate in chosen))
    if not covered >= problem.gaps:
        return False
    held = problem.held_specifications
    for group in problem.requirements:
        counted = [c for c in chosen if c.specification_id in group.specification_ids - held]
        if len(group.specification_ids & held) + len(counted) < group.at_least:
            return False
        credits = group.held_credits + sum(c.credits for c in counted)
        if group.min_credits is not None and credits < group.min_credits - HOURS_TOLERANCE:
            return False
    return all(
        clause_met_by_held(clause, held) is not None
        or any(o.specification_id in clause and o.ends_on < c.starts_on for o in chosen)
        for c in chosen
        for clause in c.requires
    )
