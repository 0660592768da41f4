"""A chosen set of offerings made into an explained ``Plan``: steps by start date, each
with what it closes, how it is paid for and what meets its prerequisites."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from cairn.pathways.allocation import fund
from cairn.pathways.problem import (
    Candidate,
    Plan,
    Problem,
    Step,
    clause_met_by_held,
)


def build_plan(
    problem: Problem,
    chosen: Sequence[Candidate],
    *,
    method: Literal["optimal", "heuristic"],
    proven_optimal: bool,
    solve_ms: float,
) -> Plan:
    """The plan for ``chosen``, funded as cheaply as the pools allow."""
    ordered = sorted(chosen, key=lambda c: (c.starts_on, c.ends_on, c.id))
    shares = fund(ordered, problem.credit_pools, problem.matching_pools)
    steps = tuple(
        Step(
            candidate_id=candidate.id,
            specification_id=candidate.specification_id,
            closes=candidate.covers & problem.gaps,
            starts_on=candidate.starts_on,
            ends_on=candidate.ends_on,
            net_price_minor=candidate.net_price_minor,
            credit_minor=share.credit,
            matching_minor=share.matching,
            out_of_pocket_minor=share.out_of_pocket_minor,
            prerequisites_met_by=_met_by(problem, candidate, ordered),
            hours=candidate.hours,
        )
        for candidate, share in zip(ordered, shares, strict=True)
    )
    return Plan(
        steps=steps,
        out_of_pocket_minor=sum(step.out_of_pocket_minor for step in steps),
        finish_on=max((step.ends_on for step in steps), default=None),
        total_hours=sum(candidate.hours for candidate in ordered),
        method=method,
        proven_optimal=proven_optimal,
        solve_ms=solve_ms,
    )


def _met_by(problem: Problem, candidate: Candidate, chosen: Sequence[Candidate]) -> tuple[str, ...]:
    """Per clause: a held specification, else the earliest-ending chosen offering that
    meets it in time (empty for a clause the plan leaves unmet, which a feasible plan
    never does)."""
    met: list[str] = []
    for clause in candidate.requires:
        held = clause_met_by_held(clause, problem.held_specifications)
        if held is not None:
            met.append(held)
            continue
        earlier = [
            other
            for other in chosen
            if other.specification_id in clause and other.ends_on < candidate.starts_on
        ]
        if earlier:
            met.append(min(earlier, key=lambda c: (c.ends_on, c.id)).id)
    return tuple(met)
