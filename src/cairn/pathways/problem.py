"""What a pathway problem is, what a plan answers, and the rules every plan must keep.

Plain frozen values, with no database behind them: the pathways service builds a
``Problem`` from the catalogue, the learner's profile and their accounts, and the solver,
the heuristic, the diagnosis, the tests and the benchmark all read the same rules here.
``check_plan`` is written apart from the solver, rule by rule, so that a plan it accepts is
feasible whatever the solver believed (decision 0042).

Money is in integer minor units. Funding is integral too: credit drawn from each pool and
employer matching are whole cents, and a plan's amounts add up exactly.

**Funding a chosen set.** For every chosen candidate ``i``: credit from pool ``p`` is at
most the candidate's own limit for ``p``; the candidate's credit is at most its net price;
each pool gives at most its capacity over the whole plan. The co-pay is what credit leaves.
A matching pool ``k`` the candidate lists pays at most ``floor(rate_bp * co-pay / 10000)``,
the candidate's matching together at most its co-pay, each matching pool at most its
capacity over the plan. The learner pays the rest; a set's out-of-pocket is the least total
over all such allocations (``allocation.fund`` finds it).

**Hours per week** are counted by ISO week (Monday to Sunday): a candidate loads every week
its dates touch with its ``weekly_hours``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

Objective = Literal["cost", "time"]
BlockerKind = Literal[
    "no_offering", "budget", "hours_per_week", "deadline", "prerequisite", "requirement"
]
HOURS_TOLERANCE = 1e-9
"""Weekly loads are sums of floats: a load this close to the limit is within it."""
BASIS_POINTS = 10_000


@dataclass(frozen=True)
class Candidate:
    """One offering the plan may choose: its dates, its price for this learner and what it
    closes."""

    id: str
    specification_id: str
    covers: frozenset[str]
    """Gap ids (skill ids) this credential closes; the service decides levels."""
    net_price_minor: int
    """Price after subsidies, before credit and matching."""
    hours: float
    starts_on: date
    ends_on: date
    weekly_hours: float
    """Load in every week the offering's dates touch."""
    credits: float = 0.0
    """Credits (e.g. ECTS) it brings to stacking totals."""
    requires: tuple[frozenset[str], ...] = ()
    """Prerequisites in conjunctive form: from every clause, one specification held already
    or chosen with an offering ending before this one starts."""
    pools: tuple[tuple[str, int], ...] = ()
    """Credit pools it may draw from, with the most it may draw from each."""
    matching: tuple[str, ...] = ()
    """Matching pools that may pay part of its co-pay."""


@dataclass(frozen=True)
class CreditPool:
    """The learner's credit in one tier of one program."""

    id: str
    capacity_minor: int
    order: int
    """Deduction order: lower is used first where the cost is the same either way."""


@dataclass(frozen=True)
class MatchingPool:
    """An employer paying ``rate_bp`` / 10,000 of the co-pay of the candidates that list it,
    up to ``capacity_minor`` in all."""

    id: str
    rate_bp: int
    capacity_minor: int


@dataclass(frozen=True)
class RequirementGroup:
    """Stacking: at least ``at_least`` of these specifications held or chosen, and chosen
    credits of at least ``min_credits`` among them."""

    id: str
    specification_ids: frozenset[str]
    at_least: int
    min_credits: float | None = None
    held_credits: float = 0.0
    """Credits the learner already holds toward ``min_credits`` (held specifications carry
    no candidate, so the service says what they are worth)."""


@dataclass(frozen=True)
class Constraints:
    """The learner's limits; None means no limit."""

    budget_minor: int | None
    hours_per_week: float | None
    deadline: date | None
    """Last day a chosen offering may end on."""
    earliest_start: date
    """First day a chosen offering may start on."""


@dataclass(frozen=True)
class Problem:
    """Close every gap and meet every requirement, within the constraints; cost first
    (then finish date, then hours) or time first (then cost, then hours)."""

    gaps: frozenset[str]
    candidates: tuple[Candidate, ...]
    held_specifications: frozenset[str]
    requirements: tuple[RequirementGroup, ...]
    credit_pools: tuple[CreditPool, ...]
    matching_pools: tuple[MatchingPool, ...]
    constraints: Constraints
    objective: Objective = "cost"


@dataclass(frozen=True)
class Step:
    """One chosen offering, explained: what it closes, what it costs after credit."""

    candidate_id: str
    specification_id: str
    closes: frozenset[str]
    starts_on: date
    ends_on: date
    net_price_minor: int
    credit_minor: Mapping[str, int]
    """Credit pool → amount drawn for this step."""
    matching_minor: Mapping[str, int]
    """Matching pool → amount the employer pays for this step."""
    out_of_pocket_minor: int
    prerequisites_met_by: tuple[str, ...]
    """For each prerequisite clause, the held specification or the earlier step's
    candidate id that meets it."""
    hours: float


@dataclass(frozen=True)
class Plan:
    """A feasible choice, its steps by start date."""

    steps: tuple[Step, ...]
    out_of_pocket_minor: int
    finish_on: date | None
    total_hours: float
    method: Literal["optimal", "heuristic"]
    """Who chose it: the integer program (even if stopped early) or the heuristic."""
    proven_optimal: bool
    solve_ms: float


@dataclass(frozen=True)
class Blocker:
    """One reason no plan exists."""

    kind: BlockerKind
    gap: str | None
    specification_id: str | None
    shortfall_minor: int | None
    """For ``budget``: the least out-of-pocket above the budget."""
    detail: str


@dataclass(frozen=True)
class Infeasible:
    """No plan meets every constraint, and why."""

    blockers: tuple[Blocker, ...]


def week_starts(starts_on: date, ends_on: date) -> range:
    """Ordinals of the Mondays of the ISO weeks from ``starts_on`` to ``ends_on``."""
    first = starts_on.toordinal() - starts_on.weekday()
    last = ends_on.toordinal() - ends_on.weekday()
    return range(first, last + 1, 7)


def hour_units(hours: float) -> int:
    """Hours in hundredths, so the last tie-break compares integers, not float sums."""
    return round(hours * 100)


def clause_met_by_held(clause: frozenset[str], held: frozenset[str]) -> str | None:
    """A held specification satisfying ``clause`` (the smallest id, for a stable answer)."""
    met = clause & held
    return min(met) if met else None


def objective_key(
    objective: Objective, out_of_pocket_minor: int, finish_on: date | None, hours: int
) -> tuple[int, int, int]:
    """The lexicographic objective as a tuple compared smallest-first; ``hours`` in
    ``hour_units``. A plan with no step finishes before any other."""
    finish = finish_on.toordinal() if finish_on is not None else 0
    if objective == "time":
        return (finish, out_of_pocket_minor, hours)
    return (out_of_pocket_minor, finish, hours)


def plan_key(problem: Problem, plan: Plan) -> tuple[int, int, int]:
    """``objective_key`` of a plan: the smaller, the better."""
    hours = sum(hour_units(step.hours) for step in plan.steps)
    return objective_key(problem.objective, plan.out_of_pocket_minor, plan.finish_on, hours)


def check_plan(problem: Problem, plan: Plan) -> list[str]:
    """Every rule the plan breaks, in words for developers (tests and the benchmark; users
    never see these); empty when the plan is feasible."""
    by_id = {candidate.id: candidate for candidate in problem.candidates}
    unknown = [step.candidate_id for step in plan.steps if step.candidate_id not in by_id]
    if unknown:
        return [f"steps name unknown candidates: {unknown}"]
    chosen = [by_id[step.candidate_id] for step in plan.steps]
    problems = [
        *_check_steps(problem, plan, chosen),
        *_check_coverage(problem, chosen),
        *_check_prerequisites(problem, chosen),
        *_check_requirements(problem, chosen),
        *_check_hours(problem, chosen),
        *_check_funding(problem, plan, chosen),
    ]
    return problems


def _check_steps(problem: Problem, plan: Plan, chosen: list[Candidate]) -> Iterable[str]:
    constraints = problem.constraints
    seen_specifications: set[str] = set()
    for step, candidate in zip(plan.steps, chosen, strict=True):
        if (
            step.specification_id,
            step.starts_on,
            step.ends_on,
            step.net_price_minor,
            step.hours,
        ) != (
            candidate.specification_id,
            candidate.starts_on,
            candidate.ends_on,
            candidate.net_price_minor,
            candidate.hours,
        ):
            yield f"{candidate.id}: step does not match its candidate"
        if step.closes != candidate.covers & problem.gaps:
            yield f"{candidate.id}: closes {sorted(step.closes)}, covers otherwise"
        if candidate.starts_on < constraints.earliest_start:
            yield f"{candidate.id}: starts before {constraints.earliest_start}"
        if constraints.deadline is not None and candidate.ends_on > constraints.deadline:
            yield f"{candidate.id}: ends after the deadline {constraints.deadline}"
        if candidate.specification_id in seen_specifications:
            yield f"{candidate.specification_id}: chosen more than once"
        seen_specifications.add(candidate.specification_id)
    starts = [step.starts_on for step in plan.steps]
    if starts != sorted(starts):
        yield "steps are not in order of start date"
    finish = max((step.ends_on for step in plan.steps), default=None)
    if plan.finish_on != finish:
        yield f"finish_on is {plan.finish_on}, the last step ends on {finish}"
    hours = sum(candidate.hours for candidate in chosen)
    if abs(plan.total_hours - hours) > 1e-6:
        yield f"total_hours is {plan.total_hours}, the steps add up to {hours}"


def _check_coverage(problem: Problem, chosen: list[Candidate]) -> Iterable[str]:
    covered = frozenset().union(*(candidate.covers for candidate in chosen))
    for gap in sorted(problem.gaps - covered):
        yield f"gap {gap} is not closed"


def _check_prerequisites(problem: Problem, chosen: list[Candidate]) -> Iterable[str]:
    for candidate in chosen:
        for clause in candidate.requires:
            if clause_met_by_held(clause, problem.held_specifications) is not None:
                continue
            if not any(
                other.specification_id in clause and other.ends_on < candidate.starts_on
                for other in chosen
            ):
                yield f"{candidate.id}: prerequisite {sorted(clause)} is not met in time"


def _check_requirements(problem: Problem, chosen: list[Candidate]) -> Iterable[str]:
    held = problem.held_specifications
    for group in problem.requirements:
        counted = [
            candidate
            for candidate in chosen
            if candidate.specification_id in group.specification_ids - held
        ]
        count = len(group.specification_ids & held) + len(counted)
        if count < group.at_least:
            yield f"requirement {group.id}: {count} of {group.at_least}"
        if group.min_credits is not None:
            credits = group.held_credits + sum(candidate.credits for candidate in counted)
            if credits < group.min_credits - HOURS_TOLERANCE:
                yield f"requirement {group.id}: {credits} of {group.min_credits} credits"


def _check_hours(problem: Problem, chosen: list[Candidate]) -> Iterable[str]:
    limit = problem.constraints.hours_per_week
    if limit is None:
        return
    load: dict[int, float] = {}
    for candidate in chosen:
        for monday in week_starts(candidate.starts_on, candidate.ends_on):
            load[monday] = load.get(monday, 0.0) + candidate.weekly_hours
    for monday, hours in sorted(load.items()):
        if hours > limit + HOURS_TOLERANCE:
            yield f"week of {date.fromordinal(monday)}: {hours} hours, more than {limit}"


def _check_funding(problem: Problem, plan: Plan, chosen: list[Candidate]) -> Iterable[str]:
    credit_pools = {pool.id: pool for pool in problem.credit_pools}
    matching_pools = {pool.id: pool for pool in problem.matching_pools}
    drawn: dict[str, int] = {}
    matched: dict[str, int] = {}
    for step, candidate in zip(plan.steps, chosen, strict=True):
        limits = dict(candidate.pools)
        for pool_id, amount in step.credit_minor.items():
            if pool_id not in credit_pools or pool_id not in limits:
                yield f"{candidate.id}: draws on pool {pool_id} it may not use"
            elif not 0 <= amount <= limits[pool_id]:
                yield f"{candidate.id}: draws {amount} from {pool_id}, limit {limits[pool_id]}"
            drawn[pool_id] = drawn.get(pool_id, 0) + amount
        copay = candidate.net_price_minor - sum(step.credit_minor.values())
        if copay < 0:
            yield f"{candidate.id}: credit exceeds its net price"
        for pool_id, amount in step.matching_minor.items():
            pool = matching_pools.get(pool_id)
            if pool is None or pool_id not in candidate.matching:
                yield f"{candidate.id}: matched by {pool_id}, which does not match it"
            elif amount < 0 or amount * BASIS_POINTS > pool.rate_bp * copay:
                yield f"{candidate.id}: {pool_id} matches {amount} of a co-pay of {copay}"
            matched[pool_id] = matched.get(pool_id, 0) + amount
        matching = sum(step.matching_minor.values())
        if matching > max(copay, 0):
            yield f"{candidate.id}: matching exceeds its co-pay"
        if step.out_of_pocket_minor != copay - matching:
            yield f"{candidate.id}: out-of-pocket {step.out_of_pocket_minor}, not {copay - matching}"
    for pool_id, amount in drawn.items():
        if pool_id in credit_pools and amount > credit_pools[pool_id].capacity_minor:
            yield f"pool {pool_id}: {amount} drawn of {credit_pools[pool_id].capacity_minor}"
    for pool_id, amount in matched.items():
        if pool_id in matching_pools and amount > matching_pools[pool_id].capacity_minor:
            yield f"matching {pool_id}: {amount} paid of {matching_pools[pool_id].capacity_minor}"
    total = sum(step.out_of_pocket_minor for step in plan.steps)
    if plan.out_of_pocket_minor != total:
        yield f"out-of-pocket is {plan.out_of_pocket_minor}, the steps add up to {total}"
    budget = problem.constraints.budget_minor
    if budget is not None and total > budget:
        yield f"out-of-pocket {total} is over the budget {budget}"
