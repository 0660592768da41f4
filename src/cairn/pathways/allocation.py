"""Funding a chosen set of offerings: credit by pool, employer matching and the learner's
share, in whole cents (the rules are in ``problem``'s docstring).

``fund`` is exact: a small integer program over the chosen offerings only, so the
amounts a plan shows are the least the learner can pay for that set; among equally cheap
allocations it draws from pools in their deduction order. ``greedy_share`` is the
heuristic's quick estimate: pools in deduction order, then matching. Any allocation it
makes is valid, so its cost is never below the exact one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import LinearConstraint, milp  # type: ignore[import-untyped]
from scipy.sparse import coo_array  # type: ignore[import-untyped]

from cairn.pathways.problem import BASIS_POINTS, Candidate, CreditPool, MatchingPool

FUNDING_TIME_LIMIT_S = 1.0
"""A funding program has a few dozen variables; this only guards against the unforeseen."""


@dataclass(frozen=True)
class Share:
    """How one offering is paid for."""

    credit: Mapping[str, int]
    matching: Mapping[str, int]
    out_of_pocket_minor: int


def greedy_share(
    candidate: Candidate,
    credit_left: dict[str, int],
    matching_left: dict[str, int],
    credit_pools: Sequence[CreditPool],
    rates: Mapping[str, int],
) -> Share:
    """Draw credit in deduction order, then matching by the highest rate, taking what is
    drawn out of ``credit_left`` and ``matching_left``."""
    limits = dict(candidate.pools)
    copay = candidate.net_price_minor
    credit: dict[str, int] = {}
    for pool in credit_pools:
        amount = min(limits.get(pool.id, 0), credit_left.get(pool.id, 0), copay)
        if amount > 0:
            credit[pool.id] = amount
            credit_left[pool.id] -= amount
            copay -= amount
    matching: dict[str, int] = {}
    unmatched = copay
    for pool_id in sorted(candidate.matching, key=lambda k: (-rates.get(k, 0), k)):
        if pool_id not in rates:
            continue
        amount = min(rates[pool_id] * copay // BASIS_POINTS, matching_left[pool_id], unmatched)
        if amount > 0:
            matching[pool_id] = amount
            matching_left[pool_id] -= amount
            unmatched -= amount
    return Share(credit, matching, unmatched)


def fund(
    chosen: Sequence[Candidate],
    credit_pools: Sequence[CreditPool],
    matching_pools: Sequence[MatchingPool],
) -> tuple[Share, ...]:
    """The cheapest allocation for the learner, one share per chosen offering."""
    greedy = _greedy_all(chosen, credit_pools, matching_pools)
    if _surely_cheapest(chosen, credit_pools, greedy):
        return greedy
    program = _FundingProgram(chosen, credit_pools, matching_pools)
    if not program.columns:
        return tuple(Share({}, {}, candidate.net_price_minor) for candidate in chosen)
    values = program.solve()
    if values is None:
        return _greedy_all(chosen, credit_pools, matching_pools)
    return program.shares(values)


def _surely_cheapest(
    chosen: Sequence[Candidate], credit_pools: Sequence[CreditPool], shares: Sequence[Share]
) -> bool:
    """The greedy allocation is the cheapest when the learner pays nothing, or when no
    matching is involved and it draws as much credit as any allocation could: no more
    than the offerings' prices allow, nor than the pools can give them."""
    if all(share.out_of_pocket_minor == 0 for share in shares):
        return True
    if any(share.matching for share in shares) or any(c.matching for c in chosen):
        return False
    capacity = {pool.id: pool.capacity_minor for pool in credit_pools}
    by_offering = sum(
        min(c.net_price_minor, sum(max(limit, 0) for p, limit in c.pools if p in capacity))
        for c in chosen
    )
    by_pool = sum(
        min(
            cap,
            sum(
                min(max(limit, 0), c.net_price_minor)
                for c in chosen
                for p, limit in c.pools
                if p == pool_id
            ),
        )
        for pool_id, cap in capacity.items()
    )
    drawn = sum(sum(share.credit.values()) for share in shares)
    return drawn >= min(by_offering, by_pool)


def _greedy_all(
    chosen: Sequence[Candidate],
    credit_pools: Sequence[CreditPool],
    matching_pools: Sequence[MatchingPool],
) -> tuple[Share, ...]:
    ordered = sorted(credit_pools, key=lambda pool: (pool.order, pool.id))
    credit_left = {pool.id: pool.capacity_minor for pool in credit_pools}
    matching_left = {pool.id: pool.capacity_minor for pool in matching_pools}
    rates = {pool.id: pool.rate_bp for pool in matching_pools}
    return tuple(
        greedy_share(candidate, credit_left, matching_left, ordered, rates) for candidate in chosen
    )


class _FundingProgram:
    """Columns: credit (offering, pool) then matching (offering, pool), all integers."""

    def __init__(
        self,
        chosen: Sequence[Candidate],
        credit_pools: Sequence[CreditPool],
        matching_pools: Sequence[MatchingPool],
    ) -> None:
        self.chosen = chosen
        self.credit_pools = {pool.id: pool for pool in credit_pools}
        self.matching_pools = {pool.id: pool for pool in matching_pools}
        ranked = sorted(credit_pools, key=lambda pool: (pool.order, pool.id))
        self.rank = {pool.id: position for position, pool in enumerate(ranked)}
        self.columns: list[tuple[int, str, bool]] = []
        """(offering position, pool id, is matching)."""
        upper: list[float] = []
        for position, candidate in enumerate(chosen):
            for pool_id, limit in dict(candidate.pools).items():
                pool = self.credit_pools.get(pool_id)
                bound = min(limit, candidate.net_price_minor, pool.capacity_minor) if pool else 0
                if bound > 0:
                    self.columns.append((position, pool_id, False))
                    upper.append(bound)
        for position, candidate in enumerate(chosen):
            for pool_id in dict.fromkeys(candidate.matching):
                matching = self.matching_pools.get(pool_id)
                if matching is None:
                    continue
                bound = min(
                    matching.capacity_minor,
                    matching.rate_bp * candidate.net_price_minor // BASIS_POINTS,
                )
                if bound > 0:
                    self.columns.append((position, pool_id, True))
                    upper.append(bound)
        self.upper = np.array(upper, dtype=float)

    def _constraints(self) -> LinearConstraint:
        rows: list[int] = []
        cols: list[int] = []
        data: list[float] = []
        upper: list[float] = []

        def row(entries: list[tuple[int, float]], bound: float) -> None:
            number = len(upper)
            for column, value in entries:
                rows.append(number)
                cols.append(column)
                data.append(value)
            upper.append(bound)

        credit_of: dict[int, list[int]] = {}
        matching_of: dict[int, list[int]] = {}
        by_pool: dict[tuple[str, bool], list[int]] = {}
        for column, (position, pool_id, is_matching) in enumerate(self.columns):
            (matching_of if is_matching else credit_of).setdefault(position, []).append(column)
            by_pool.setdefault((pool_id, is_matching), []).append(column)
        for position, candidate in enumerate(self.chosen):
            credit = credit_of.get(position, [])
            matching = matching_of.get(position, [])
            net = float(candidate.net_price_minor)
            if credit or matching:
                row([(column, 1.0) for column in credit + matching], net)
            for column in matching:
                rate = float(self.matching_pools[self.columns[column][1]].rate_bp)
                row([(column, BASIS_POINTS), *((c, rate) for c in credit)], rate * net)
        for (pool_id, is_matching), columns in by_pool.items():
            pools: Mapping[str, CreditPool | MatchingPool] = (
                self.matching_pools if is_matching else self.credit_pools
            )
            row([(column, 1.0) for column in columns], float(pools[pool_id].capacity_minor))
        matrix = coo_array((data, (rows, cols)), shape=(len(upper), len(self.columns)))
        return LinearConstraint(matrix.tocsr(), -np.inf, np.array(upper))

    def solve(self) -> np.ndarray | None:
        constraints = [self._constraints()]
        integrality = np.ones(len(self.columns))
        bounds = (np.zeros(len(self.columns)), self.upper)
        options = {"time_limit": FUNDING_TIME_LIMIT_S, "mip_rel_gap": 0.0}
        first = milp(
            -np.ones(len(self.columns)),
            integrality=integrality,
            bounds=bounds,
            constraints=constraints,
            options=options,
        )
        if first.x is None:
            return None
        if len({pool for _, pool, matching in self.columns if not matching}) < 2:
            return np.asarray(first.x)
        funded = float(round(-first.fun))
        constraints.append(LinearConstraint(np.ones((1, len(self.columns))), funded, np.inf))
        order = np.array(
            [0.0 if matching else float(self.rank[pool]) for _, pool, matching in self.columns]
        )
        second = milp(
            order,
            integrality=integrality,
            bounds=bounds,
            constraints=constraints,
            options=options,
        )
        return np.asarray(second.x if second.x is not None else first.x)

    def shares(self, values: np.ndarray) -> tuple[Share, ...]:
        """Whole cents from the solver's values, clamped to every rule in integer arithmetic:
        the values are integral within the solver's tolerance, and a cent of tolerance must
        never become a cent over a limit."""
        credit: list[dict[str, int]] = [{} for _ in self.chosen]
        matching: list[dict[str, int]] = [{} for _ in self.chosen]
        credit_left = {pool_id: pool.capacity_minor for pool_id, pool in self.credit_pools.items()}
        matching_left = {
            pool_id: pool.capacity_minor for pool_id, pool in self.matching_pools.items()
        }
        for column, (position, pool_id, is_matching) in enumerate(self.columns):
            if is_matching:
                continue
            candidate = self.chosen[position]
            room = candidate.net_price_minor - sum(credit[position].values())
            amount = min(round(float(values[column])), int(self.upper[column]), room)
            amount = min(amount, credit_left[pool_id])
            if amount > 0:
                credit[position][pool_id] = amount
                credit_left[pool_id] -= amount
        shares: list[Share] = []
        for position, candidate in enumerate(self.chosen):
            copay = candidate.net_price_minor - sum(credit[position].values())
            unmatched = copay
            for column, (owner, pool_id, is_matching) in enumerate(self.columns):
                if owner != position or not is_matching:
                    continue
                rate = self.matching_pools[pool_id].rate_bp
                amount = min(
                    round(float(values[column])),
                    rate * copay // BASIS_POINTS,
                    matching_left[pool_id],
                    unmatched,
                )
                if amount > 0:
                    matching[position][pool_id] = amount
                    matching_left[pool_id] -= amount
                    unmatched -= amount
            shares.append(Share(credit[position], matching[position], unmatched))
        return tuple(shares)
