"""Funding a chosen set: the learner pays the least that credit and matching allow, in
whole cents, against every allocation enumerated."""

from __future__ import annotations

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.pathways.allocation import fund
from cairn.pathways.problem import BASIS_POINTS, Candidate, CreditPool, MatchingPool
from tests.pathways.problems import make_candidate


@st.composite
def funding_cases(
    draw: st.DrawFn,
) -> tuple[list[Candidate], tuple[CreditPool, ...], tuple[MatchingPool, ...]]:
    """Up to three offerings of a few cents, two credit pools and one matching pool, so
    every allocation can be enumerated."""
    credit_pools = tuple(
        CreditPool(f"p{n}", draw(st.integers(0, 8)), n) for n in range(draw(st.integers(0, 2)))
    )
    matching_pools = tuple(
        MatchingPool(
            "m", draw(st.sampled_from([2_500, 3_333, 5_000, 10_000])), draw(st.integers(0, 5))
        )
        for _ in range(draw(st.integers(0, 1)))
    )
    chosen = [
        make_candidate(
            f"c{n}",
            net_price_minor=draw(st.integers(0, 5)),
            pools=tuple(
                (p.id, draw(st.integers(0, 6))) for p in credit_pools if draw(st.booleans())
            ),
            matching=tuple(m.id for m in matching_pools if draw(st.booleans())),
        )
        for n in range(draw(st.integers(1, 3)))
    ]
    return chosen, credit_pools, matching_pools


def least_paid(
    chosen: list[Candidate],
    credit_pools: tuple[CreditPool, ...],
    matching_pools: tuple[MatchingPool, ...],
) -> int:
    """Every credit allocation in whole cents, each with the most matching it leaves room
    for: with one matching pool, each co-pay's own cap, then the pool's."""
    edges = [(n, pool, limit) for n, c in enumerate(chosen) for pool, limit in c.pools]
    capacity = {p.id: p.capacity_minor for p in credit_pools}
    best = sum(c.net_price_minor for c in chosen)
    for amounts in product(*(range(min(limit, capacity[pool]) + 1) for _, pool, limit in edges)):
        drawn = [0] * len(chosen)
        per_pool = dict.fromkeys(capacity, 0)
        for (n, pool, _), amount in zip(edges, amounts, strict=True):
            drawn[n] += amount
            per_pool[pool] += amount
        if any(drawn[n] > c.net_price_minor for n, c in enumerate(chosen)):
            continue
        if any(per_pool[pool] > capacity[pool] for pool in capacity):
            continue
        copays = [c.net_price_minor - drawn[n] for n, c in enumerate(chosen)]
        matching = 0
        for employer in matching_pools:
            wanted = sum(
                employer.rate_bp * copays[n] // BASIS_POINTS
                for n, c in enumerate(chosen)
                if employer.id in c.matching
            )
            matching += min(wanted, employer.capacity_minor)
        best = min(best, sum(copays) - matching)
    return best


@settings(max_examples=100, deadline=None)
@given(funding_cases())
def test_funding_leaves_the_learner_the_least_to_pay(
    case: tuple[list[Candidate], tuple[CreditPool, ...], tuple[MatchingPool, ...]],
) -> None:
    chosen, credit_pools, matching_pools = case
    shares = fund(chosen, credit_pools, matching_pools)
    assert sum(share.out_of_pocket_minor for share in shares) == least_paid(
        chosen, credit_pools, matching_pools
    )
    for candidate, share in zip(chosen, shares, strict=True):
        limits = dict(candidate.pools)
        assert all(0 < amount <= limits[pool] for pool, amount in share.credit.items())
        copay = candidate.net_price_minor - sum(share.credit.values())
        assert share.out_of_pocket_minor == copay - sum(share.matching.values()) >= 0
    for pool in credit_pools:
        assert sum(share.credit.get(pool.id, 0) for share in shares) <= pool.capacity_minor
    for matching in matching_pools:
        assert (
            sum(share.matching.get(matching.id, 0) for share in shares) <= matching.capacity_minor
        )


def test_credit_goes_where_matching_cannot_reach() -> None:
    """Credit spent on a matched offering would only replace the employer's share."""
    matched = make_candidate("a", net_price_minor=1_000, pools=(("base", 1_000),), matching=("m",))
    unmatched = make_candidate("b", net_price_minor=1_000, pools=(("base", 1_000),))
    shares = fund(
        [matched, unmatched], (CreditPool("base", 1_000, 0),), (MatchingPool("m", 5_000, 1_000),)
    )
    assert [share.credit for share in shares] == [{}, {"base": 1_000}]
    assert [share.out_of_pocket_minor for share in shares] == [500, 0]
