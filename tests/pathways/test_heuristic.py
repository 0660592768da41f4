"""The greedy fallback: always a feasible plan or none, never better than the optimum."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from cairn.pathways.heuristic import heuristic
from cairn.pathways.problem import CreditPool, Problem, check_plan, plan_key
from tests.pathways.problems import brute_force, day, make_candidate, make_problem, problems


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_heuristic_plan_is_feasible_and_no_better_than_the_optimum(problem: Problem) -> None:
    plan = heuristic(problem)
    if plan is None:
        return
    assert check_plan(problem, plan) == []
    assert plan.method == "heuristic"
    assert not plan.proven_optimal
    best = brute_force(problem)
    assert best is not None
    assert plan_key(problem, plan) >= best


def test_it_prefers_the_cheapest_offering_per_gap_closed() -> None:
    two_gaps = make_candidate("both", covers=frozenset({"g1", "g2"}), net_price_minor=15_000)
    first = make_candidate("one", covers=frozenset({"g1"}), net_price_minor=10_000)
    second = make_candidate("two", covers=frozenset({"g2"}), net_price_minor=10_000)
    plan = heuristic(make_problem(two_gaps, first, second))
    assert plan is not None
    assert [step.candidate_id for step in plan.steps] == ["both"]


def test_it_takes_an_offering_with_the_prerequisite_that_makes_it_possible() -> None:
    advanced = make_candidate(
        "adv", starts_on=day(21), ends_on=day(34), requires=(frozenset({"spec-intro"}),)
    )
    intro = make_candidate("intro", covers=frozenset(), ends_on=day(13))
    problem = make_problem(advanced, intro)
    plan = heuristic(problem)
    assert plan is not None
    assert [step.candidate_id for step in plan.steps] == ["intro", "adv"]
    assert check_plan(problem, plan) == []


def test_steps_a_later_choice_made_redundant_are_dropped() -> None:
    narrow = make_candidate("narrow", covers=frozenset({"g1"}), net_price_minor=1_000)
    wide = make_candidate("wide", covers=frozenset({"g1", "g2", "g3"}), net_price_minor=4_000)
    other = make_candidate("other", covers=frozenset({"g2"}), net_price_minor=3_000)
    plan = heuristic(make_problem(narrow, wide, other))
    assert plan is not None
    assert [step.candidate_id for step in plan.steps] == ["wide"]


def test_it_keeps_the_budget_and_the_weekly_hours() -> None:
    funded = make_candidate(
        "funded", covers=frozenset({"g1"}), net_price_minor=9_000, pools=(("base", 9_000),)
    )
    dear = make_candidate("dear", covers=frozenset({"g2"}), net_price_minor=7_000, weekly_hours=6.0)
    busy = make_candidate("busy", covers=frozenset({"g2"}), net_price_minor=2_000, weekly_hours=8.0)
    problem = make_problem(
        funded, dear, busy, budget_minor=7_000, hours_per_week=12.0,
        credit_pools=(CreditPool("base", 9_000, 0),),
    )  # fmt: skip
    plan = heuristic(problem)
    assert plan is not None
    assert check_plan(problem, plan) == []
    assert {step.candidate_id for step in plan.steps} == {"funded", "dear"}


def test_no_plan_when_nothing_closes_a_gap() -> None:
    assert heuristic(make_problem(make_candidate("a"), gaps=frozenset({"g1", "g9"}))) is None
