"""The exact pathway solver: pre-filter, integer program, heuristic fallback, diagnosis.

Policy (decision 0042): the heuristic runs first, as it is cheap, and its plan bounds
which offerings can still matter (none dearer on its own than the heuristic's whole plan,
for cost; none ending after it, for time). The integer program is solved with funding
relaxed to continuous amounts, and its choice funded in whole cents: when that meets the
budget and the cost bound the relaxation proved, it is optimal in whole cents too;
otherwise the program is solved again with whole-cent funding. All of it runs within
``time_limit_s``. A proven optimum is returned as ``optimal``; when time runs out, the
better of the program's incumbent and the heuristic's plan is returned, unproven and
named for who found it; a proven infeasibility, or none found at all, is diagnosed.
"""

from __future__ import annotations

import time
from dataclasses import replace

from cairn.pathways.diagnosis import diagnose
from cairn.pathways.heuristic import heuristic_among
from cairn.pathways.levels import Outcome, solve_levels
from cairn.pathways.plans import build_plan
from cairn.pathways.prefilter import least_out_of_pocket, prefilter
from cairn.pathways.problem import Candidate, Infeasible, Plan, Problem, plan_key

DIAGNOSIS_SHARE = 0.25
"""A diagnosis gets what is left of the time limit, and at least this share of it."""


def solve(problem: Problem, time_limit_s: float = 0.2) -> Plan | Infeasible:
    """The best plan for ``problem``, or why there is none."""
    started = time.perf_counter()

    def remaining() -> float:
        return max(time_limit_s - (time.perf_counter() - started), 0.0)

    def diagnosis(known_infeasible: bool) -> Infeasible:
        limit = max(remaining(), DIAGNOSIS_SHARE * time_limit_s)
        return diagnose(problem, limit, known_infeasible=known_infeasible)

    def elapsed() -> float:
        return (time.perf_counter() - started) * 1000

    candidates = prefilter(problem)
    fallback = heuristic_among(problem, candidates, started=started)
    if fallback is not None:
        candidates = _within_bound(problem, candidates, fallback)
    known = fallback.out_of_pocket_minor if fallback is not None else None
    outcome = solve_levels(
        problem, candidates, time_limit_s=remaining(), exact_funding=False, known_cost=known
    )
    if outcome.status == "infeasible":
        return diagnosis(known_infeasible=True)
    incumbent = _funded(problem, outcome)
    if outcome.status == "optimal" and not _proven(outcome, incumbent):
        outcome = solve_levels(
            problem, candidates, time_limit_s=remaining(), exact_funding=True, known_cost=known
        )
        if outcome.status == "infeasible":
            return diagnosis(known_infeasible=True)
        incumbent = _funded(problem, outcome) or incumbent
    if outcome.status == "optimal" and incumbent is not None and _proven(outcome, incumbent):
        return replace(incumbent, proven_optimal=True, solve_ms=elapsed())
    plans = [plan for plan in (incumbent, fallback) if plan is not None]
    if not plans:
        # Time ran out with no plan at all: one last search for any, as long as a diagnosis
        # would take, rather than a diagnosis that cannot say what blocks a feasible plan.
        last = solve_levels(
            problem,
            candidates,
            time_limit_s=max(remaining(), DIAGNOSIS_SHARE * time_limit_s),
            exact_funding=True,
            levels=("finish",),
        )
        if last.status not in ("optimal", "stopped"):
            return diagnosis(known_infeasible=last.status == "infeasible")
        plans = [
            build_plan(problem, last.chosen, method="optimal", proven_optimal=False, solve_ms=0.0)
        ]
    best = min(plans, key=lambda plan: plan_key(problem, plan))
    return replace(best, proven_optimal=False, solve_ms=elapsed())


def _funded(problem: Problem, outcome: Outcome) -> Plan | None:
    """The outcome's choice as a plan funded in whole cents, if it keeps the budget (with
    funding relaxed, a choice may look a few cents cheaper than it is)."""
    if outcome.status not in ("optimal", "stopped"):
        return None
    plan = build_plan(problem, outcome.chosen, method="optimal", proven_optimal=False, solve_ms=0.0)
    budget = problem.constraints.budget_minor
    if budget is not None and plan.out_of_pocket_minor > budget:
        return None
    return plan


def _proven(outcome: Outcome, plan: Plan | None) -> bool:
    """An optimal outcome's plan is optimal in whole cents when it pays no more than the
    least any plan could pay with funding relaxed."""
    if plan is None:
        return False
    return outcome.cost_bound is None or plan.out_of_pocket_minor <= outcome.cost_bound


def _within_bound(
    problem: Problem, candidates: tuple[Candidate, ...], bound: Plan
) -> tuple[Candidate, ...]:
    """Offerings that could still be part of a plan at least as good as ``bound``: one
    dearer on its own than the whole of ``bound`` cannot be, for cost; one ending after
    it cannot be, for time."""
    if problem.objective == "time":
        if bound.finish_on is None:
            return ()
        return tuple(c for c in candidates if c.ends_on <= bound.finish_on)
    credit_pools = {pool.id: pool for pool in problem.credit_pools}
    matching_pools = {pool.id: pool for pool in problem.matching_pools}
    ceiling = bound.out_of_pocket_minor + 1e-6
    return tuple(
        c for c in candidates if least_out_of_pocket(c, credit_pools, matching_pools) <= ceiling
    )
