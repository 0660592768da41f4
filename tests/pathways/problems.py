"""Small pathway problems for the solver's tests: typed builders, a Hypothesis strategy for
random catalogues, and the brute force the solver is checked against.

The brute force reads the rules afresh (``meets_every_rule``), not through ``check_plan``
or the solver's model, and enumerates every subset of a catalogue of a few offerings.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from itertools import combinations
from typing import Any

from hypothesis import strategies as st

from cairn.pathways.allocation import fund
from cairn.pathways.problem import (
    Candidate,
    Constraints,
    CreditPool,
    MatchingPool,
    Objective,
    Problem,
    RequirementGroup,
    hour_units,
    objective_key,
)

MONDAY = date(2027, 1, 4)


def day(offset: int) -> date:
    return MONDAY + timedelta(days=offset)


def make_candidate(id: str = "c1", **overrides: Any) -> Candidate:
    """An offering of ``spec-<id>`` closing ``g1``, two weeks from the first Monday."""
    values: dict[str, Any] = {
        "id": id,
        "specification_id": f"spec-{id}",
        "covers": frozenset({"g1"}),
        "net_price_minor": 10_000,
        "hours": 10.0,
        "starts_on": MONDAY,
        "ends_on": day(13),
        "weekly_hours": 5.0,
    }
    values.update(overrides)
    return Candidate(**values)


def make_problem(*candidates: Candidate, **overrides: Any) -> Problem:
    """A problem over ``candidates`` with no limits: its gaps are what they cover unless
    given, cost first, nothing held."""
    constraints = Constraints(
        budget_minor=overrides.pop("budget_minor", None),
        hours_per_week=overrides.pop("hours_per_week", None),
        deadline=overrides.pop("deadline", None),
        earliest_start=overrides.pop("earliest_start", MONDAY),
    )
    values: dict[str, Any] = {
        "gaps": frozenset().union(*(c.covers for c in candidates)),
        "candidates": candidates,
        "held_specifications": frozenset(),
        "requirements": (),
        "credit_pools": (),
        "matching_pools": (),
        "constraints": constraints,
    }
    values.update(overrides)
    return Problem(**values)


@st.composite
def problems(draw: st.DrawFn, max_candidates: int = 8) -> Problem:
    """A random small catalogue where every rule can bind: few gaps and specifications,
    prices near the budget and the pools, loads near the weekly limit, dates near the
    deadline, prerequisites on earlier specifications, sometimes a requirement."""
    count = draw(st.integers(1, max_candidates))
    specifications = [f"s{n}" for n in range(draw(st.integers(max(1, count // 2), count)))]
    gaps = [f"g{n}" for n in range(draw(st.integers(0, 4)))]
    credit_pools = tuple(
        CreditPool(f"p{n}", draw(st.integers(0, 600)), draw(st.integers(0, 2)))
        for n in range(draw(st.integers(0, 2)))
    )
    matching_pools = tuple(
        MatchingPool(
            f"m{n}", draw(st.sampled_from([2_500, 3_333, 5_000, 10_000])), draw(st.integers(0, 400))
        )
        for n in range(draw(st.integers(0, 2)))
    )
    candidates = []
    for n in range(count):
        position = draw(st.integers(0, len(specifications) - 1))
        starts = draw(st.integers(0, 60))
        requires: tuple[frozenset[str], ...] = ()
        if position and draw(st.booleans()):
            earlier = specifications[:position]
            requires = (
                frozenset(draw(st.lists(st.sampled_from(earlier), min_size=1, max_size=2))),
            )
        candidates.append(
            Candidate(
                id=f"c{n}",
                specification_id=specifications[position],
                covers=frozenset(draw(st.lists(st.sampled_from(gaps), max_size=2)))
                if gaps
                else frozenset(),
                net_price_minor=draw(st.integers(0, 1_000)),
                hours=draw(st.sampled_from([5.0, 10.0, 12.5, 20.0])),
                starts_on=day(starts),
                ends_on=day(starts + draw(st.integers(0, 40))),
                weekly_hours=draw(st.sampled_from([2.0, 4.0, 6.0, 8.0])),
                credits=draw(st.sampled_from([0.0, 1.0, 2.0, 3.0])),
                requires=requires,
                pools=tuple(
                    (pool.id, draw(st.integers(0, 600)))
                    for pool in credit_pools
                    if draw(st.booleans())
                ),
                matching=tuple(pool.id for pool in matching_pools if draw(st.booleans())),
            )
        )
    requirements: tuple[RequirementGroup, ...] = ()
    if draw(st.integers(0, 3)) == 0:
        members = frozenset(draw(st.lists(st.sampled_from(specifications), min_size=1)))
        requirements = (
            RequirementGroup(
                "r0", members, draw(st.integers(0, 2)), draw(st.sampled_from([None, 2.0, 4.0]))
            ),
        )
    objective: Objective = draw(st.sampled_from(["cost", "time"]))
    return Problem(
        gaps=frozenset(gaps),
        candidates=tuple(candidates),
        held_specifications=frozenset(draw(st.lists(st.sampled_from(specifications), max_size=1))),
        requirements=requirements,
        credit_pools=credit_pools,
        matching_pools=matching_pools,
        constraints=Constraints(
            budget_minor=draw(st.one_of(st.none(), st.integers(0, 2_000))),
            hours_per_week=draw(st.sampled_from([None, 6.0, 10.0, 14.0])),
            deadline=draw(st.one_of(st.none(), st.integers(20, 100).map(day))),
            earliest_start=day(draw(st.sampled_from([0, 0, 10]))),
        ),
        objective=objective,
    )


def meets_every_rule(problem: Problem, chosen: tuple[Candidate, ...]) -> bool:
    """Every rule but the budget, read from the problem's definition."""
    constraints = problem.constraints
    held = problem.held_specifications
    specifications = [c.specification_id for c in chosen]
    if len(set(specifications)) < len(specifications):
        return False
    for c in chosen:
        if c.starts_on < constraints.earliest_start:
            return False
        if constraints.deadline is not None and c.ends_on > constraints.deadline:
            return False
        for clause in c.requires:
            if not clause & held and not any(
                o.specification_id in clause and o.ends_on < c.starts_on for o in chosen
            ):
                return False
    if not problem.gaps <= {gap for c in chosen for gap in c.covers}:
        return False
    for group in problem.requirements:
        counted = [c for c in chosen if c.specification_id in group.specification_ids - held]
        if len(group.specification_ids & held) + len(counted) < group.at_least:
            return False
        credits = group.held_credits + sum(c.credits for c in counted)
        if group.min_credits is not None and credits < group.min_credits - 1e-9:
            return False
    if constraints.hours_per_week is not None:
        days = {
            d for c in chosen for d in range(c.starts_on.toordinal(), c.ends_on.toordinal() + 1)
        }
        for monday in {d - date.fromordinal(d).weekday() for d in days}:
            load = sum(
                c.weekly_hours
                for c in chosen
                if c.starts_on.toordinal() <= monday + 6 and c.ends_on.toordinal() >= monday
            )
            if load > constraints.hours_per_week + 1e-9:
                return False
    return True


def brute_force(problem: Problem) -> tuple[int, int, int] | None:
    """The best objective over every subset, or None when none is feasible.

    Only subsets from which no single offering can be dropped are funded (the funding
    program is the slow part): the best plan has no feasible subset, as dropping an
    offering never costs more, ends later or takes longer."""
    candidates = problem.candidates
    feasible = {
        subset
        for size in range(len(candidates) + 1)
        for subset in combinations(candidates, size)
        if meets_every_rule(problem, subset)
    }
    best: tuple[int, int, int] | None = None
    for subset in feasible:
        if any(subset[:n] + subset[n + 1 :] in feasible for n in range(len(subset))):
            continue
        paid = sum(
            s.out_of_pocket_minor
            for s in fund(subset, problem.credit_pools, problem.matching_pools)
        )
        budget = problem.constraints.budget_minor
        if budget is not None and paid > budget:
            continue
        finish = max((c.ends_on for c in subset), default=None)
        key = objective_key(
            problem.objective, paid, finish, sum(hour_units(c.hours) for c in subset)
        )
        if best is None or key < best:
            best = key
    return best


def without_limits(problem: Problem) -> Problem:
    return replace(
        problem,
        constraints=Constraints(None, None, None, problem.constraints.earliest_start),
    )
