"""Candidates that cannot matter, removed before the integer program is built.

A catalogue of 5,000 credentials has some 20,000 offerings; a learner's handful of gaps
touch a few hundred. Every removal here keeps every optimal plan (decision 0042):

- an offering that breaks a constraint on its own (dates, weekly load, its least
  out-of-pocket over the budget) or whose prerequisites nothing left can meet in time;
- an offering that closes no gap, counts toward no unmet requirement and can meet no
  prerequisite of one that does: leaving it out of a plan never costs more, ends later or
  takes longer;
- an offering of the same specification as another that is at least as good in every
  respect (closes as much, runs inside its dates, loads no more, costs no more, funded at
  least as well, same prerequisites): the better one can always take its place;
- an offering whose only use is closing gaps when an offering of another specification
  is as good in every respect for those gaps (``outclassed``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence

from cairn.pathways.problem import (
    BASIS_POINTS,
    HOURS_TOLERANCE,
    Candidate,
    CreditPool,
    MatchingPool,
    Problem,
    clause_met_by_held,
    week_starts,
)


def prefilter(problem: Problem) -> tuple[Candidate, ...]:
    """The candidates that may appear in an optimal plan, in the problem's order."""
    usable = usable_alone(problem, within_reach(problem))
    usable = with_prerequisites(problem, usable)
    return tuple(outclassed(problem, undominated(problem, relevant(problem, usable))))


def within_reach(problem: Problem) -> list[Candidate]:
    """Offerings that close a gap or count toward an unmet requirement, and every offering
    of a specification their prerequisites name, and so on: a superset of ``relevant``
    found in a few passes of set lookups, since the whole catalogue goes through it."""
    gaps = problem.gaps
    held = problem.held_specifications
    wanted = unmet_requirement_specifications(problem)
    reached: list[Candidate] = []
    named: set[str] = set()
    for candidate in problem.candidates:
        if not candidate.covers.isdisjoint(gaps) or candidate.specification_id in wanted:
            reached.append(candidate)
    seen = {candidate.id for candidate in reached}
    frontier = reached
    while frontier:
        needed = {
            spec
            for candidate in frontier
            for clause in candidate.requires
            if clause.isdisjoint(held)
            for spec in clause
        } - named
        if not needed:
            break
        named |= needed
        frontier = [
            candidate
            for candidate in problem.candidates
            if candidate.specification_id in needed and candidate.id not in seen
        ]
        seen.update(candidate.id for candidate in frontier)
        reached.extend(frontier)
    return reached


def least_out_of_pocket(
    candidate: Candidate,
    credit_pools: Mapping[str, CreditPool],
    matching_pools: Mapping[str, MatchingPool],
) -> float:
    """A lower bound on what the learner pays for this offering in any plan: all the
    credit it could draw, then all the matching that co-pay could attract. What the learner
    pays never falls as the co-pay grows, so the least co-pay gives the bound."""
    net = candidate.net_price_minor
    credit = sum(
        min(limit, credit_pools[pool_id].capacity_minor)
        for pool_id, limit in candidate.pools
        if pool_id in credit_pools and limit > 0
    )
    copay = net - min(net, credit)
    matching = sum(
        min(
            float(matching_pools[pool_id].capacity_minor),
            matching_pools[pool_id].rate_bp * copay / BASIS_POINTS,
        )
        for pool_id in set(candidate.matching)
        if pool_id in matching_pools
    )
    return copay - min(float(copay), matching)


def usable_alone(problem: Problem, candidates: Iterable[Candidate]) -> list[Candidate]:
    """Offerings that break no constraint on their own."""
    constraints = problem.constraints
    credit_pools = {pool.id: pool for pool in problem.credit_pools}
    matching_pools = {pool.id: pool for pool in problem.matching_pools}
    kept: list[Candidate] = []
    for candidate in candidates:
        if candidate.starts_on < constraints.earliest_start or (
            candidate.ends_on < candidate.starts_on
        ):
            continue
        if constraints.deadline is not None and candidate.ends_on > constraints.deadline:
            continue
        limit = constraints.hours_per_week
        if limit is not None and candidate.weekly_hours > limit + HOURS_TOLERANCE:
            continue
        budget = constraints.budget_minor
        if budget is not None and (
            least_out_of_pocket(candidate, credit_pools, matching_pools) > budget + 1e-6
        ):
            continue
        kept.append(candidate)
    return kept


class _EndsBySpecification:
    """The offerings of each specification by end date, to ask "does one end in time?"."""

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        grouped: dict[str, list[Candidate]] = {}
        for candidate in candidates:
            grouped.setdefault(candidate.specification_id, []).append(candidate)
        self.offerings = {
            spec: sorted(offerings, key=lambda c: c.ends_on) for spec, offerings in grouped.items()
        }
        self.ends = {
            spec: [c.ends_on.toordinal() for c in offerings]
            for spec, offerings in self.offerings.items()
        }

    def ending_before(self, specification_id: str, day: int) -> Sequence[Candidate]:
        ends = self.ends.get(specification_id)
        if not ends:
            return ()
        return self.offerings[specification_id][: bisect_left(ends, day)]


def with_prerequisites(problem: Problem, candidates: list[Candidate]) -> list[Candidate]:
    """Drop offerings whose prerequisites nothing left can meet in time, until none is."""
    held = problem.held_specifications
    while True:
        index = _EndsBySpecification(candidates)
        kept = [
            candidate
            for candidate in candidates
            if all(
                clause_met_by_held(clause, held) is not None
                or any(
                    index.ending_before(spec, candidate.starts_on.toordinal()) for spec in clause
                )
                for clause in candidate.requires
            )
        ]
        if len(kept) == len(candidates):
            return kept
        candidates = kept


def unmet_requirement_specifications(problem: Problem) -> frozenset[str]:
    """Specifications counting toward a requirement the learner has not already met."""
    held = problem.held_specifications
    wanted: set[str] = set()
    for group in problem.requirements:
        count_met = len(group.specification_ids & held) >= group.at_least
        credits_met = group.min_credits is None or group.held_credits >= group.min_credits
        if not (count_met and credits_met):
            wanted |= group.specification_ids - held
    return frozenset(wanted)


def relevant(problem: Problem, candidates: list[Candidate]) -> list[Candidate]:
    """Offerings that close a gap, count toward an unmet requirement, or can meet in time a
    prerequisite of a relevant one."""
    held = problem.held_specifications
    wanted = unmet_requirement_specifications(problem)
    index = _EndsBySpecification(candidates)
    useful: set[str] = set()
    queue: list[Candidate] = []
    for candidate in candidates:
        if candidate.covers & problem.gaps or candidate.specification_id in wanted:
            useful.add(candidate.id)
            queue.append(candidate)
    while queue:
        candidate = queue.pop()
        for clause in candidate.requires:
            if clause_met_by_held(clause, held) is not None:
                continue
            for spec in clause:
                for provider in index.ending_before(spec, candidate.starts_on.toordinal()):
                    if provider.id not in useful:
                        useful.add(provider.id)
                        queue.append(provider)
    return [candidate for candidate in candidates if candidate.id in useful]


def _funded_as_well(better: Candidate, worse: Candidate) -> bool:
    """``better`` costs no more and can draw on every pool ``worse`` can, as much: any
    funding of ``worse`` can be matched, so it never costs the learner more."""
    if better.net_price_minor > worse.net_price_minor or not set(better.matching) >= set(
        worse.matching
    ):
        return False
    limits = dict(better.pools)
    return all(limits.get(pool_id, 0) >= limit for pool_id, limit in worse.pools)


def _fits_inside(problem: Problem, better: Candidate, worse: Candidate) -> bool:
    """``better`` ends no later and, when weekly hours are limited, loads no week more."""
    if better.ends_on > worse.ends_on or better.hours > worse.hours:
        return False
    if problem.constraints.hours_per_week is None:
        return True
    inside = week_starts(better.starts_on, better.ends_on)
    around = week_starts(worse.starts_on, worse.ends_on)
    return (
        inside.start >= around.start
        and inside.stop <= around.stop
        and better.weekly_hours <= worse.weekly_hours
    )


def _dominates(problem: Problem, better: Candidate, worse: Candidate) -> bool:
    """``better`` can replace ``worse`` in any plan at no loss (same specification)."""
    if not (
        _fits_inside(problem, better, worse)
        and _funded_as_well(better, worse)
        and better.credits >= worse.credits
        and (better.covers & problem.gaps) >= (worse.covers & problem.gaps)
    ):
        return False
    held = problem.held_specifications
    unmet = {clause for clause in better.requires if clause_met_by_held(clause, held) is None}
    if not unmet:
        return True
    # Prerequisites met in time for ``worse`` are met in time for a later start.
    return better.starts_on >= worse.starts_on and unmet == {
        clause for clause in worse.requires if clause_met_by_held(clause, held) is None
    }


def undominated(problem: Problem, candidates: list[Candidate]) -> list[Candidate]:
    """Drop offerings another of the same specification can always replace; of offerings
    alike in every respect, the first is kept."""
    grouped: dict[str, list[int]] = {}
    for position, candidate in enumerate(candidates):
        grouped.setdefault(candidate.specification_id, []).append(position)
    dropped: set[int] = set()
    for positions in grouped.values():
        for worse_position in positions:
            worse = candidates[worse_position]
            for better_position in positions:
                if better_position == worse_position or better_position in dropped:
                    continue
                better = candidates[better_position]
                if _dominates(problem, better, worse) and (
                    better_position < worse_position or not _dominates(problem, worse, better)
                ):
                    dropped.add(worse_position)
                    break
    return [c for position, c in enumerate(candidates) if position not in dropped]


def outclassed(problem: Problem, candidates: list[Candidate]) -> list[Candidate]:
    """Drop an offering whose only use is to close gaps (no requirement counts its
    specification, no prerequisite names it) when an offering of another specification
    closes them too, needs nothing first, ends no later, loads no week more and costs no
    more, and every offering of that other specification closes them: in a plan, the
    other takes its place, or, its specification already chosen, makes it redundant."""
    held = problem.held_specifications
    gaps = problem.gaps
    named = {
        spec
        for c in candidates
        for clause in c.requires
        if clause_met_by_held(clause, held) is None
        for spec in clause
    }
    wanted = unmet_requirement_specifications(problem)
    common: dict[str, frozenset[str]] = {}
    for c in candidates:
        common[c.specification_id] = common.get(c.specification_id, c.covers) & c.covers
    free_by_gap: dict[str, list[tuple[int, Candidate]]] = {gap: [] for gap in gaps}
    for position, c in enumerate(candidates):
        if all(clause_met_by_held(clause, held) is not None for clause in c.requires):
            for gap in c.covers & gaps:
                free_by_gap[gap].append((position, c))
    for offerings in free_by_gap.values():
        offerings.sort(key=lambda item: item[1].net_price_minor)
    prices = {
        gap: [c.net_price_minor for _, c in offerings] for gap, offerings in free_by_gap.items()
    }

    def replaces(better: Candidate, worse: Candidate, closes: frozenset[str]) -> bool:
        return (
            better.specification_id != worse.specification_id
            and common[better.specification_id] >= closes
            and _fits_inside(problem, better, worse)
            and _funded_as_well(better, worse)
        )

    dropped: set[int] = set()
    for position, worse in enumerate(candidates):
        if worse.specification_id in named or worse.specification_id in wanted:
            continue
        closes = worse.covers & gaps
        if not closes:
            continue
        rarest = min(closes, key=lambda gap: len(free_by_gap[gap]))
        cheap_enough = bisect_right(prices[rarest], worse.net_price_minor)
        for better_position, better in free_by_gap[rarest][:cheap_enough]:
            if not replaces(better, worse, closes):
                continue
            # Alike both ways (``better`` as plain, ``worse`` needing nothing first): the
            # first is kept, so that one of them always is.
            mutual = (
                better.specification_id not in named
                and better.specification_id not in wanted
                and all(clause_met_by_held(clause, held) is not None for clause in worse.requires)
                and replaces(worse, better, better.covers & gaps)
            )
            if better_position < position or not mutual:
                dropped.add(position)
                break
    return [c for position, c in enumerate(candidates) if position not in dropped]
