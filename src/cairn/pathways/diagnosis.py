"""Why no plan exists: the constraints that block, named so a learner can act on them.

First, gap by gap: a gap no offering closes at all, or none that starts in time, ends by
the deadline, fits the weekly hours, is affordable on its own, or has prerequisites that
can be met. Then requirements that too few specifications are left to meet. Those are
certain on their own. Otherwise the constraints are relaxed in turn (budget, hours per
week, deadline, prerequisites, requirements) until a plan exists, and each relaxed one is
tried again alone, so that only those that truly block are named; a blocking budget is
reported with its shortfall, the least out-of-pocket above it when the other blockers are
lifted too.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from cairn.kit.i18n import gettext
from cairn.pathways.allocation import fund
from cairn.pathways.levels import Outcome, solve_levels
from cairn.pathways.prefilter import (
    least_out_of_pocket,
    prefilter,
    with_prerequisites,
    within_reach,
)
from cairn.pathways.problem import (
    HOURS_TOLERANCE,
    Blocker,
    BlockerKind,
    Candidate,
    Infeasible,
    Problem,
    clause_met_by_held,
)

RELAXATION_ORDER: tuple[BlockerKind, ...] = (
    "budget",
    "hours_per_week",
    "deadline",
    "prerequisite",
    "requirement",
)


def diagnose(
    problem: Problem, time_limit_s: float = 1.0, *, known_infeasible: bool = False
) -> Infeasible:
    """The blockers of an infeasible problem (none for a feasible one, or when the time
    runs out before any relaxation is shown to help). ``known_infeasible`` skips checking
    that no plan exists, which the solver has just proved."""
    deadline = time.perf_counter() + time_limit_s
    # Only offerings within reach of a gap or a requirement can block or unblock anything.
    problem = replace(problem, candidates=tuple(within_reach(problem)))
    blockers = [*_gap_blockers(problem), *_requirement_blockers(problem)]
    if blockers:
        return Infeasible(tuple(blockers))

    def feasible(relaxed: Sequence[BlockerKind]) -> Outcome:
        """Funding relaxed to continuous amounts, as the solver first does, then the
        choice funded in whole cents against the budget."""
        trial = relax(problem, relaxed)
        outcome = solve_levels(
            trial,
            prefilter(trial),
            time_limit_s=max(deadline - time.perf_counter(), 0.0),
            exact_funding=False,
            levels=("cost",),
        )
        budget = trial.constraints.budget_minor
        if _found(outcome) and budget is not None and _paid(problem, outcome.chosen) > budget:
            return Outcome("unknown")
        return outcome

    outcome = Outcome("infeasible") if known_infeasible else feasible(())
    if _found(outcome):
        return Infeasible(())
    applicable = [kind for kind in RELAXATION_ORDER if _applies(problem, kind)]
    relaxed: list[BlockerKind] = []
    for kind in applicable:
        relaxed.append(kind)
        outcome = feasible(relaxed)
        if _found(outcome):
            break
    else:
        if outcome.status != "infeasible":
            return Infeasible(())  # out of time: nothing shown to help
        # Even with every constraint lifted, one offering per specification cannot close
        # every gap: offerings of one specification that close different gaps.
        detail = gettext("No choice of one offering per specification closes every gap.")
        return Infeasible((Blocker("no_offering", None, None, None, detail),))
    for kind in list(relaxed[:-1]):
        trial = [other for other in relaxed if other != kind]
        attempt = feasible(trial)
        if _found(attempt):
            relaxed, outcome = trial, attempt
    if "budget" in relaxed:
        # The shortfall in whole cents: the cheapest plan funded exactly, not relaxed.
        lifted = relax(problem, relaxed)
        exact = solve_levels(
            lifted,
            prefilter(lifted),
            time_limit_s=max(deadline - time.perf_counter(), 0.0),
            exact_funding=True,
            levels=("cost",),
        )
        if exact.status == "optimal":
            outcome = exact
    return Infeasible(tuple(_describe(problem, relaxed, outcome)))


def _found(outcome: Outcome) -> bool:
    return outcome.status in ("optimal", "stopped")


def _paid(problem: Problem, chosen: Sequence[Candidate]) -> int:
    shares = fund(chosen, problem.credit_pools, problem.matching_pools)
    return sum(share.out_of_pocket_minor for share in shares)


def relax(problem: Problem, kinds: Sequence[BlockerKind]) -> Problem:
    """``problem`` without the constraints named."""
    constraints = problem.constraints
    if "budget" in kinds:
        constraints = replace(constraints, budget_minor=None)
    if "hours_per_week" in kinds:
        constraints = replace(constraints, hours_per_week=None)
    if "deadline" in kinds:
        constraints = replace(constraints, deadline=None)
    relaxed = replace(problem, constraints=constraints)
    if "prerequisite" in kinds:
        relaxed = replace(
            relaxed, candidates=tuple(replace(c, requires=()) for c in problem.candidates)
        )
    if "requirement" in kinds:
        relaxed = replace(relaxed, requirements=())
    return relaxed


def _applies(problem: Problem, kind: BlockerKind) -> bool:
    constraints = problem.constraints
    return {
        "budget": constraints.budget_minor is not None,
        "hours_per_week": constraints.hours_per_week is not None,
        "deadline": constraints.deadline is not None,
        "prerequisite": any(c.requires for c in problem.candidates),
        "requirement": bool(problem.requirements),
    }.get(kind, False)


def _gap_blockers(problem: Problem) -> list[Blocker]:
    constraints = problem.constraints
    credit_pools = {pool.id: pool for pool in problem.credit_pools}
    matching_pools = {pool.id: pool for pool in problem.matching_pools}
    budget = constraints.budget_minor
    limit = constraints.hours_per_week

    def least(candidate: Candidate) -> float:
        return least_out_of_pocket(candidate, credit_pools, matching_pools)

    stages: list[tuple[BlockerKind, Callable[[Candidate], bool]]] = [
        ("no_offering", lambda c: c.starts_on >= constraints.earliest_start),
        ("deadline", lambda c: constraints.deadline is None or c.ends_on <= constraints.deadline),
        ("hours_per_week", lambda c: limit is None or c.weekly_hours <= limit + HOURS_TOLERANCE),
        ("budget", lambda c: budget is None or least(c) <= budget + 1e-6),
    ]
    survivors = list(problem.candidates)
    stage_of: dict[str, tuple[BlockerKind, list[Candidate]]] = {}
    for kind, keep in stages:
        before = survivors
        survivors = [c for c in survivors if keep(c)]
        for gap in problem.gaps:
            if gap not in stage_of and not any(gap in c.covers for c in survivors):
                stage_of[gap] = (kind, [c for c in before if gap in c.covers])
    reachable = with_prerequisites(problem, survivors)
    for gap in problem.gaps:
        if gap not in stage_of and not any(gap in c.covers for c in reachable):
            stage_of[gap] = ("prerequisite", [c for c in survivors if gap in c.covers])
    blockers: list[Blocker] = []
    for gap in sorted(problem.gaps):
        if gap in stage_of:
            kind, offerings = stage_of[gap]
            blockers.append(_gap_blocker(problem, gap, kind, offerings, least))
    return blockers


def _gap_blocker(
    problem: Problem,
    gap: str,
    kind: BlockerKind,
    offerings: list[Candidate],
    least: Callable[[Candidate], float],
) -> Blocker:
    constraints = problem.constraints
    if not any(gap in c.covers for c in problem.candidates):
        return Blocker(
            "no_offering", gap, None, None, gettext("No offering closes %(gap)s.", gap=gap)
        )
    if kind == "no_offering":
        detail = gettext(
            "No offering that closes %(gap)s starts on or after %(date)s.",
            gap=gap,
            date=constraints.earliest_start.isoformat(),
        )
        return Blocker(kind, gap, None, None, detail)
    if kind == "deadline":
        detail = gettext(
            "Every offering that closes %(gap)s ends after the deadline, %(date)s.",
            gap=gap,
            date=constraints.deadline.isoformat() if constraints.deadline else "",
        )
        return Blocker(kind, gap, None, None, detail)
    if kind == "hours_per_week":
        detail = gettext(
            "Every offering that closes %(gap)s needs more than %(hours)s hours a week.",
            gap=gap,
            hours=f"{constraints.hours_per_week:g}",
        )
        return Blocker(kind, gap, None, None, detail)
    if kind == "budget":
        cheapest = min(offerings, key=least)
        shortfall = math.ceil(least(cheapest)) - (constraints.budget_minor or 0)
        detail = gettext("Every offering that closes %(gap)s costs more than the budget.", gap=gap)
        return Blocker(kind, gap, cheapest.specification_id, shortfall, detail)
    blocked = min(offerings, key=lambda c: (c.starts_on, c.id))
    detail = gettext(
        "The prerequisites of every offering that closes %(gap)s cannot be met in time.",
        gap=gap,
    )
    return Blocker("prerequisite", gap, blocked.specification_id, None, detail)


def _requirement_blockers(problem: Problem) -> list[Blocker]:
    """Requirements that the offerings left cannot meet even all together."""
    held = problem.held_specifications
    available = with_prerequisites(problem, _usable_without_budget(problem))
    blockers: list[Blocker] = []
    for group in problem.requirements:
        options = {
            c.specification_id for c in available if c.specification_id in group.specification_ids
        } - held
        count = len(group.specification_ids & held) + len(options)
        best_credits: dict[str, float] = {}
        for c in available:
            if c.specification_id in options:
                best_credits[c.specification_id] = max(
                    best_credits.get(c.specification_id, 0.0), c.credits
                )
        credits = group.held_credits + sum(best_credits.values())
        if count < group.at_least or (
            group.min_credits is not None and credits < group.min_credits - HOURS_TOLERANCE
        ):
            detail = gettext(
                "Too few offerings are left to meet the requirement %(group)s.", group=group.id
            )
            blockers.append(Blocker("requirement", None, None, None, detail))
    return blockers


def _usable_without_budget(problem: Problem) -> list[Candidate]:
    constraints = problem.constraints
    limit = constraints.hours_per_week
    return [
        c
        for c in problem.candidates
        if c.starts_on >= constraints.earliest_start
        and (constraints.deadline is None or c.ends_on <= constraints.deadline)
        and (limit is None or c.weekly_hours <= limit + HOURS_TOLERANCE)
    ]


def _describe(problem: Problem, relaxed: Sequence[BlockerKind], outcome: Outcome) -> list[Blocker]:
    """A blocker for each constraint that must be lifted; ``outcome`` is the plan found
    with them lifted (in the relaxed problem's terms)."""
    constraints = problem.constraints
    originals = {c.id: c for c in problem.candidates}
    chosen = [originals[c.id] for c in outcome.chosen]
    blockers: list[Blocker] = []
    for kind in relaxed:
        if kind == "budget":
            shortfall = _paid(problem, chosen) - (constraints.budget_minor or 0)
            detail = gettext("The cheapest plan that meets the other constraints is over budget.")
            blockers.append(Blocker(kind, None, None, max(shortfall, 1), detail))
        elif kind == "hours_per_week":
            detail = gettext(
                "No plan fits in %(hours)s hours a week.",
                hours=f"{constraints.hours_per_week:g}",
            )
            blockers.append(Blocker(kind, None, None, None, detail))
        elif kind == "deadline":
            detail = gettext(
                "No plan finishes by the deadline, %(date)s.",
                date=constraints.deadline.isoformat() if constraints.deadline else "",
            )
            blockers.append(Blocker(kind, None, None, None, detail))
        elif kind == "prerequisite":
            blockers.extend(_unmet_prerequisites(problem, chosen))
        else:
            detail = gettext("The requirements cannot be met within the other constraints.")
            blockers.append(Blocker("requirement", None, None, None, detail))
    return blockers


def _unmet_prerequisites(problem: Problem, chosen: Sequence[Candidate]) -> list[Blocker]:
    """The specifications in the relaxed plan whose prerequisites it leaves unmet."""
    held = problem.held_specifications
    specifications = sorted(
        {
            c.specification_id
            for c in chosen
            for clause in c.requires
            if clause_met_by_held(clause, held) is None
            and not any(o.specification_id in clause and o.ends_on < c.starts_on for o in chosen)
        }
    )
    if not specifications:
        detail = gettext("Prerequisites cannot be met in time within the other constraints.")
        return [Blocker("prerequisite", None, None, None, detail)]
    return [
        Blocker(
            "prerequisite",
            None,
            spec,
            None,
            gettext(
                "The prerequisites of %(specification)s cannot be met in time.", specification=spec
            ),
        )
        for spec in specifications
    ]
