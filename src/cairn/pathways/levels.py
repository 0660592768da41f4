"""The lexicographic objective, level by level: cost, finish, hours (or finish first).

Each level is its own program (``model.Model``), solved to proven optimality with
``mip_rel_gap`` 0; none is merged into a weighted objective (with weights large enough to
be exact, HiGHS's root cuts took seconds). A level's optimum is then kept by dropping the
offerings that would break it and, for cost, by a row; its answer, feasible for the next
level, drops the offerings that could only do worse there.

The finish level is not one program: "minimise the latest end" relaxes badly (half an
offering ends half as late), and HiGHS took up to seconds to prove it. Instead the
program asks for any plan among the offerings ending by a day (steered toward early
ends), first the day before the incumbent's finish, then halving; when there is none by
a day, the next later plan found is the optimum. Proving that no plan ends sooner took a
few to a few hundred milliseconds where the single program took up to twenty times as
long (decision 0042).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from cairn.pathways.allocation import greedy_share
from cairn.pathways.model import INTEGRAL_TOLERANCE, Level, LevelResult, Model, Status
from cairn.pathways.prefilter import least_out_of_pocket
from cairn.pathways.problem import Candidate, Problem, hour_units

LEVELS: dict[str, tuple[Level, ...]] = {
    "cost": ("cost", "finish", "hours"),
    "time": ("finish", "cost", "hours"),
}


@dataclass(frozen=True)
class Outcome:
    """``optimal``: proven at every level; ``stopped``: the time ran out after a feasible
    choice was found (optimal at the levels finished); ``infeasible``: proven;
    ``unknown``: the time ran out before any."""

    status: Status
    chosen: tuple[Candidate, ...] = ()
    cost_bound: int | None = None
    """The cost level's optimum, once solved: with relaxed funding, no plan meeting the
    levels before it pays less."""


def solve_levels(
    problem: Problem,
    candidates: Sequence[Candidate],
    *,
    time_limit_s: float,
    exact_funding: bool,
    levels: tuple[Level, ...] | None = None,
    known_cost: int | None = None,
) -> Outcome:
    """The lexicographic optimum over ``candidates``, within ``time_limit_s``;
    ``known_cost`` is what a plan among them is known to cost (the heuristic's)."""
    deadline = time.perf_counter() + time_limit_s
    order = levels or LEVELS[problem.objective]
    current = list(candidates)
    cost_at_most: int | None = None
    chosen: tuple[Candidate, ...] | None = None

    def program(level: Level, among: Sequence[Candidate], cutoff: int | None = None) -> LevelResult:
        model = Model(
            problem,
            among,
            level=level,
            cost_at_most=cost_at_most,
            exact_funding=exact_funding,
            cutoff=cutoff,
        )
        return model.solve(time_limit_s=deadline - time.perf_counter())

    for number, level in enumerate(order):
        if level == "finish":
            result = _earliest(problem, current, chosen, program)
        elif level == "cost":
            # A known plan's cost (the heuristic's) or hours (the last level's answer) is
            # a cutoff: HiGHS may discard anything worse.
            known = known_cost if number == 0 or not chosen else _greedy_cost(problem, chosen)
            result = program(level, current, known)
        else:
            result = program(level, current, _hours(chosen) if chosen else None)
        if result.status == "infeasible" and number == 0:
            return Outcome("infeasible")
        if result.status != "optimal":
            if result.status == "stopped":
                chosen = result.chosen
            if chosen is None:
                return Outcome("unknown")
            return Outcome("stopped", chosen, cost_at_most)
        chosen = result.chosen
        if not chosen:
            break  # nothing to take: nothing is cheaper, sooner or shorter
        if level == "cost":
            cost_at_most = result.value
            current = _cheaper_than(problem, current, result.value)
        elif level == "finish":
            last = max(c.ends_on for c in chosen)
            current = [c for c in current if c.ends_on <= last]
        following = order[number + 1] if number + 1 < len(order) else None
        if following == "finish":
            last = max(c.ends_on for c in chosen)
            current = [c for c in current if c.ends_on <= last]
        elif following == "cost":
            current = _cheaper_than(problem, current, _greedy_cost(problem, chosen))
        elif following == "hours":
            current = [c for c in current if hour_units(c.hours) <= _hours(chosen)]
    return Outcome("optimal", chosen or (), cost_at_most)


Program = Callable[[Level, Sequence[Candidate]], LevelResult]


def _hours(chosen: Sequence[Candidate]) -> int:
    return sum(hour_units(c.hours) for c in chosen)


def _earliest(
    problem: Problem,
    candidates: list[Candidate],
    chosen: tuple[Candidate, ...] | None,
    program: Program,
) -> LevelResult:
    """The earliest finish, by asking for a plan among the offerings ending by a day: first
    the day before the incumbent's finish (often the incumbent is already the earliest),
    then by halving the days between the latest end any plan must reach and the
    incumbent's. The last plan found is optimal (status ``optimal``), or time ran out."""
    if chosen is None:
        first = program("finish", candidates)
        if first.status != "optimal":
            return first
        chosen = first.chosen
    if not chosen:
        return LevelResult("optimal", chosen)
    days = sorted({c.ends_on for c in candidates})
    low = _latest_gap_end(problem, candidates)
    high = max(c.ends_on for c in chosen)
    probing_below_incumbent = True
    while True:
        open_days = [day for day in days if low <= day < high]
        if not open_days:
            return LevelResult("optimal", chosen)
        target = open_days[-1] if probing_below_incumbent else open_days[len(open_days) // 2]
        probing_below_incumbent = False
        result = program("finish", [c for c in candidates if c.ends_on <= target])
        if result.status == "infeasible":
            low = target + timedelta(days=1)
        elif result.status == "optimal" and result.chosen:
            chosen = result.chosen
            high = max(c.ends_on for c in chosen)
        else:
            return LevelResult("stopped", chosen)


def _latest_gap_end(problem: Problem, candidates: Sequence[Candidate]) -> date:
    """No plan ends before every gap can be closed: the latest, over gaps, of the earliest
    end of an offering closing it."""
    earliest: dict[str, date] = {}
    for candidate in candidates:
        for gap in candidate.covers & problem.gaps:
            if gap not in earliest or candidate.ends_on < earliest[gap]:
                earliest[gap] = candidate.ends_on
    return max(earliest.values(), default=date.min)


def _cheaper_than(problem: Problem, candidates: list[Candidate], cost: int) -> list[Candidate]:
    credit_pools = {pool.id: pool for pool in problem.credit_pools}
    matching_pools = {pool.id: pool for pool in problem.matching_pools}
    return [
        c
        for c in candidates
        if least_out_of_pocket(c, credit_pools, matching_pools) <= cost + INTEGRAL_TOLERANCE
    ]


def _greedy_cost(problem: Problem, chosen: Sequence[Candidate]) -> int:
    """What ``chosen`` costs funded greedily: never less than its least cost."""
    credit_pools = sorted(problem.credit_pools, key=lambda pool: (pool.order, pool.id))
    credit_left = {pool.id: pool.capacity_minor for pool in problem.credit_pools}
    matching_left = {pool.id: pool.capacity_minor for pool in problem.matching_pools}
    rates = {pool.id: pool.rate_bp for pool in problem.matching_pools}
    return sum(
        greedy_share(c, credit_left, matching_left, credit_pools, rates).out_of_pocket_minor
        for c in chosen
    )
