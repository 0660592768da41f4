"""One level of the pathway problem as a mixed-integer program, solved by HiGHS through
SciPy (``levels`` chains them).

Columns: ``x``, one binary per candidate, then — when the level has a cost to minimise or
to bound — credit drawn per (candidate, pool) and matching paid per (candidate, matching
pool), in cents. Rows: every gap closed, one offering per specification, prerequisites
ending in time, requirements, hours per week, funding. The objective is the level's:
out-of-pocket, hours (in hundredths), or, for the finish level, the sum of end days, which
steers a search for any plan ending by a day toward early ones (decision 0042).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy.optimize import LinearConstraint, milp  # type: ignore[import-untyped]
from scipy.sparse import coo_array  # type: ignore[import-untyped]

from cairn.pathways.problem import (
    BASIS_POINTS,
    Candidate,
    Problem,
    clause_met_by_held,
    hour_units,
    week_starts,
)

INTEGRAL_TOLERANCE = 1e-6
"""How far from an integer a solver's integral optimum may read."""

Status = Literal["optimal", "stopped", "infeasible", "unknown"]
Level = Literal["cost", "finish", "hours"]


@dataclass(frozen=True)
class LevelResult:
    """One program's answer: ``optimal`` (for the finish level: a plan was found),
    ``stopped`` (time ran out with a plan), ``infeasible``, or ``unknown`` (time ran out
    without one); the offerings chosen and the objective's value."""

    status: Status
    chosen: tuple[Candidate, ...] = ()
    value: int = 0


@dataclass
class _Rows:
    rows: list[int] = field(default_factory=list)
    cols: list[int] = field(default_factory=list)
    data: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)

    def add(self, entries: list[tuple[int, float]], lower: float, upper: float) -> None:
        number = len(self.lower)
        for column, value in entries:
            self.rows.append(number)
            self.cols.append(column)
            self.data.append(value)
        self.lower.append(lower)
        self.upper.append(upper)

    def constraint(self, width: int) -> LinearConstraint:
        matrix = coo_array((self.data, (self.rows, self.cols)), shape=(len(self.lower), width))
        return LinearConstraint(matrix.tocsr(), np.array(self.lower), np.array(self.upper))


class Model:
    """One level's program over ``candidates`` of ``problem``: at most ``cost_at_most``
    out-of-pocket (and the budget), and at most ``cutoff`` on the level's objective.

    With ``exact_funding`` off, credit and matching are continuous: a relaxation (a set
    may look a few cents cheaper than whole cents allow) that HiGHS solves several times
    faster; the solver checks its answer in whole cents. Funding columns are left out
    when nothing bounds the cost at this level."""

    def __init__(
        self,
        problem: Problem,
        candidates: Sequence[Candidate],
        *,
        level: Level,
        cost_at_most: int | None,
        exact_funding: bool,
        cutoff: int | None = None,
    ) -> None:
        self.problem = problem
        self.candidates = tuple(candidates)
        self.level = level
        self.exact_funding = exact_funding
        budget = problem.constraints.budget_minor
        caps = [cap for cap in (budget, cost_at_most) if cap is not None]
        self.cost_at_most = min(caps) if caps else None
        n = len(self.candidates)
        upper: list[float] = [1.0] * n
        self.credit_columns: list[tuple[int, str]] = []
        self.matching_columns: list[tuple[int, str]] = []
        if level == "cost" or self.cost_at_most is not None:
            self._funding_columns(upper)
        self.first_credit = n
        self.first_matching = n + len(self.credit_columns)
        self.funding_width = len(self.credit_columns) + len(self.matching_columns)
        self.width = len(upper)
        self.upper = np.array(upper)
        self.rows = _Rows()
        self._cover_gaps()
        self._one_per_specification()
        self._prerequisites()
        self._requirements()
        self._weekly_hours()
        self._funding()
        if cutoff is not None:
            # A plan this good is known to exist: the row lets HiGHS discard the rest.
            self.rows.add(self._entries(self.objective()), -np.inf, float(cutoff))

    def _funding_columns(self, upper: list[float]) -> None:
        credit_pools = {pool.id: pool for pool in self.problem.credit_pools}
        matching_pools = {pool.id: pool for pool in self.problem.matching_pools}
        for i, candidate in enumerate(self.candidates):
            for pool_id, limit in dict(candidate.pools).items():
                pool = credit_pools.get(pool_id)
                bound = min(limit, candidate.net_price_minor, pool.capacity_minor) if pool else 0
                if bound > 0:
                    self.credit_columns.append((i, pool_id))
                    upper.append(bound)
        for i, candidate in enumerate(self.candidates):
            for pool_id in dict.fromkeys(candidate.matching):
                matching = matching_pools.get(pool_id)
                if matching is None:
                    continue
                bound = min(
                    matching.capacity_minor,
                    matching.rate_bp * candidate.net_price_minor // BASIS_POINTS,
                )
                if bound > 0:
                    self.matching_columns.append((i, pool_id))
                    upper.append(bound)

    # Constraints -------------------------------------------------------------------------

    def _cover_gaps(self) -> None:
        covering: dict[str, list[int]] = {gap: [] for gap in self.problem.gaps}
        for i, candidate in enumerate(self.candidates):
            for gap in candidate.covers:
                if gap in covering:
                    covering[gap].append(i)
        for columns in covering.values():
            self.rows.add([(i, 1.0) for i in columns], 1.0, np.inf)

    def by_specification(self) -> dict[str, list[int]]:
        grouped: dict[str, list[int]] = {}
        for i, candidate in enumerate(self.candidates):
            grouped.setdefault(candidate.specification_id, []).append(i)
        return grouped

    def _one_per_specification(self) -> None:
        for columns in self.by_specification().values():
            if len(columns) > 1:
                self.rows.add([(i, 1.0) for i in columns], -np.inf, 1.0)

    def _prerequisites(self) -> None:
        held = self.problem.held_specifications
        grouped = self.by_specification()
        for i, candidate in enumerate(self.candidates):
            for clause in candidate.requires:
                if clause_met_by_held(clause, held) is not None:
                    continue
                providers = [
                    j
                    for spec in clause
                    for j in grouped.get(spec, ())
                    if self.candidates[j].ends_on < candidate.starts_on
                ]
                self.rows.add([(i, -1.0), *((j, 1.0) for j in providers)], 0.0, np.inf)

    def _requirements(self) -> None:
        held = self.problem.held_specifications
        for group in self.problem.requirements:
            members = [
                (i, candidate.credits)
                for i, candidate in enumerate(self.candidates)
                if candidate.specification_id in group.specification_ids - held
            ]
            needed = group.at_least - len(group.specification_ids & held)
            if needed > 0:
                self.rows.add([(i, 1.0) for i, _ in members], float(needed), np.inf)
            if group.min_credits is not None and group.min_credits > group.held_credits:
                self.rows.add(
                    [(i, credits) for i, credits in members if credits],
                    group.min_credits - group.held_credits,
                    np.inf,
                )

    def _weekly_hours(self) -> None:
        """One row per week in which some offering starts: a week's load is never more than
        that of the last week before it (or itself) in which one of its offerings started,
        where all of them already run."""
        limit = self.problem.constraints.hours_per_week
        if limit is None:
            return
        spans = [
            (i, week_starts(c.starts_on, c.ends_on))
            for i, c in enumerate(self.candidates)
            if c.weekly_hours > 0
        ]
        seen: set[tuple[int, ...]] = set()
        for monday in sorted({weeks.start for _, weeks in spans}):
            columns = tuple(i for i, weeks in spans if monday in weeks)
            loads = [(i, self.candidates[i].weekly_hours) for i in columns]
            if columns not in seen and sum(load for _, load in loads) > limit:
                seen.add(columns)
                self.rows.add(loads, -np.inf, limit)

    def _funding(self) -> None:
        credit_of: dict[int, list[int]] = {}
        matching_of: dict[int, list[int]] = {}
        by_pool: dict[tuple[str, bool], list[int]] = {}
        for offset, (i, pool_id) in enumerate(self.credit_columns):
            column = self.first_credit + offset
            credit_of.setdefault(i, []).append(column)
            by_pool.setdefault((pool_id, False), []).append(column)
        for offset, (i, pool_id) in enumerate(self.matching_columns):
            column = self.first_matching + offset
            matching_of.setdefault(i, []).append(column)
            by_pool.setdefault((pool_id, True), []).append(column)
        capacity = {pool.id: pool.capacity_minor for pool in self.problem.credit_pools}
        matching_capacity = {pool.id: pool.capacity_minor for pool in self.problem.matching_pools}
        rates = {pool.id: pool.rate_bp for pool in self.problem.matching_pools}
        for i, candidate in enumerate(self.candidates):
            credit = credit_of.get(i, [])
            matching = matching_of.get(i, [])
            net = float(candidate.net_price_minor)
            if credit or matching:
                entries = [(column, 1.0) for column in credit + matching]
                self.rows.add([*entries, (i, -net)], -np.inf, 0.0)
            for column in matching:
                # m <= rate * (net * x - credit) / 10,000, divided through by the rate so
                # that the row's coefficients stay near the prices (HiGHS's numerics).
                rate = float(rates[self.matching_columns[column - self.first_matching][1]])
                self.rows.add(
                    [(column, BASIS_POINTS / rate), *((c, 1.0) for c in credit), (i, -net)],
                    -np.inf,
                    0.0,
                )
        for (pool_id, is_matching), columns in by_pool.items():
            cap = (matching_capacity if is_matching else capacity)[pool_id]
            if sum(self.upper[column] for column in columns) > cap:
                self.rows.add([(column, 1.0) for column in columns], -np.inf, float(cap))
        if self.cost_at_most is not None:
            self.rows.add(self._entries(self.out_of_pocket()), -np.inf, float(self.cost_at_most))

    # Objective and solving ---------------------------------------------------------------

    @staticmethod
    def _entries(vector: np.ndarray) -> list[tuple[int, float]]:
        return [(int(column), float(vector[column])) for column in np.flatnonzero(vector)]

    def out_of_pocket(self) -> np.ndarray:
        vector = np.zeros(self.width)
        vector[: len(self.candidates)] = [c.net_price_minor for c in self.candidates]
        vector[self.first_credit : self.first_credit + self.funding_width] = -1.0
        return vector

    def objective(self) -> np.ndarray:
        if self.level == "cost":
            return self.out_of_pocket()
        vector = np.zeros(self.width)
        if self.level == "finish":
            first = self.problem.constraints.earliest_start.toordinal() - 1
            vector[: len(self.candidates)] = [
                c.ends_on.toordinal() - first for c in self.candidates
            ]
        else:
            vector[: len(self.candidates)] = [hour_units(c.hours) for c in self.candidates]
        return vector

    def solve(self, *, time_limit_s: float) -> LevelResult:
        """This level's optimum within ``time_limit_s``; for the finish level, the first
        plan found (``mip_rel_gap`` 1 stops at the first incumbent)."""
        if self.width == 0:  # nothing to choose: feasible when choosing nothing is
            empty = all(
                lo <= 0 <= up for lo, up in zip(self.rows.lower, self.rows.upper, strict=True)
            )
            return LevelResult("optimal" if empty else "infeasible")
        if time_limit_s <= 0:
            return LevelResult("unknown")
        integrality = np.ones(self.width)
        if not self.exact_funding:
            integrality[self.first_credit :] = 0.0
        vector = self.objective()
        result = milp(
            vector,
            integrality=integrality,
            bounds=(np.zeros(self.width), self.upper),
            constraints=[self.rows.constraint(self.width)],
            # HiGHS's presolve (and the restarts it brings) cost more than they saved on
            # these programs: a quarter of the time at the median, a third at p95.
            options={
                "time_limit": time_limit_s,
                "mip_rel_gap": 1.0 if self.level == "finish" else 0.0,
                "presolve": False,
            },
        )
        if result.status == 2:
            return LevelResult("infeasible")
        if result.x is None:
            return LevelResult("unknown")
        values = np.asarray(result.x)
        chosen = tuple(c for c, v in zip(self.candidates, values, strict=False) if v > 0.5)
        # Every level is integral once funded in whole cents; with relaxed funding the cost
        # optimum may fall between cents, and no plan pays less than its ceiling.
        value = math.ceil(float(vector @ values) - INTEGRAL_TOLERANCE)
        return LevelResult("optimal" if result.status == 0 else "stopped", chosen, value)
