"""Why no plan exists: the constraint that blocks, named so a learner can act on it."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from cairn.pathways.diagnosis import diagnose
from cairn.pathways.problem import CreditPool, Infeasible, Problem, RequirementGroup
from cairn.pathways.solver import solve
from tests.pathways.problems import brute_force, day, make_candidate, make_problem, problems


def kinds(result: Infeasible) -> list[tuple[str, str | None]]:
    return [(blocker.kind, blocker.gap) for blocker in result.blockers]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_infeasible_problem_names_a_blocker(problem: Problem) -> None:
    if brute_force(problem) is None:
        result = diagnose(problem)
        assert result.blockers
        assert all(blocker.detail for blocker in result.blockers)
    else:
        assert diagnose(problem).blockers == ()


def test_a_gap_no_offering_closes_is_named() -> None:
    problem = make_problem(make_candidate("a"), gaps=frozenset({"g1", "rust", "cobol"}))
    result = diagnose(problem)
    assert kinds(result) == [("no_offering", "cobol"), ("no_offering", "rust")]
    assert "rust" in result.blockers[1].detail


def test_a_short_budget_is_reported_with_its_shortfall() -> None:
    first = make_candidate(
        "a", covers=frozenset({"g1"}), net_price_minor=30_000, pools=(("base", 30_000),)
    )
    second = make_candidate("b", covers=frozenset({"g2"}), net_price_minor=15_000)
    dearer = make_candidate("c", covers=frozenset({"g2"}), net_price_minor=18_000)
    problem = make_problem(
        first, second, dearer, budget_minor=20_000, credit_pools=(CreditPool("base", 10_000, 0),)
    )
    result = solve(problem)
    assert isinstance(result, Infeasible)
    assert kinds(result) == [("budget", None)]
    # The cheapest plan pays 20,000 for the first after credit and 15,000 for the second.
    assert result.blockers[0].shortfall_minor == 15_000


def test_a_gap_every_offering_of_which_costs_too_much_is_named() -> None:
    problem = make_problem(make_candidate("a", net_price_minor=30_000), budget_minor=10_000)
    result = diagnose(problem)
    assert kinds(result) == [("budget", "g1")]
    assert result.blockers[0].shortfall_minor == 20_000


def test_too_few_hours_a_week_are_named() -> None:
    first = make_candidate("a", covers=frozenset({"g1"}), weekly_hours=6.0)
    second = make_candidate("b", covers=frozenset({"g2"}), weekly_hours=6.0)
    result = diagnose(make_problem(first, second, hours_per_week=10.0))
    assert kinds(result) == [("hours_per_week", None)]
    heavy = diagnose(make_problem(first, hours_per_week=4.0))
    assert kinds(heavy) == [("hours_per_week", "g1")]


def test_a_deadline_too_soon_is_named() -> None:
    first = make_candidate("a", covers=frozenset({"g1"}))
    second = make_candidate("b", covers=frozenset({"g2"}), starts_on=day(14), ends_on=day(40))
    result = diagnose(make_problem(first, second, deadline=day(30)))
    assert kinds(result) == [("deadline", "g2")]
    # In time, only two offerings of one specification close the two gaps between them.
    one = make_candidate("one", specification_id="spec", covers=frozenset({"g1"}))
    other = make_candidate("other", specification_id="spec", covers=frozenset({"g2"}))
    late = make_candidate("late", covers=frozenset({"g2"}), starts_on=day(14), ends_on=day(40))
    overall = diagnose(make_problem(one, other, late, deadline=day(30)))
    assert kinds(overall) == [("deadline", None)]


def test_several_blockers_are_reported_together() -> None:
    heavy = make_candidate("a", covers=frozenset({"g1"}), weekly_hours=9.0)
    late = make_candidate("b", covers=frozenset({"g2"}), starts_on=day(14), ends_on=day(40))
    result = diagnose(make_problem(heavy, late, deadline=day(30), hours_per_week=8.0))
    assert kinds(result) == [("hours_per_week", "g1"), ("deadline", "g2")]


def test_a_prerequisite_that_cannot_be_met_in_time_is_named() -> None:
    advanced = make_candidate(
        "adv", starts_on=day(7), ends_on=day(20), requires=(frozenset({"spec-intro"}),)
    )
    intro = make_candidate("intro", covers=frozenset(), starts_on=day(0), ends_on=day(10))
    result = diagnose(make_problem(advanced, intro))
    assert [(b.kind, b.gap, b.specification_id) for b in result.blockers] == [
        ("prerequisite", "g1", "spec-adv")
    ]


def test_a_requirement_too_few_offerings_can_meet_is_named() -> None:
    group = RequirementGroup("stack", frozenset({"spec-a", "spec-b", "spec-c"}), at_least=3)
    problem = make_problem(
        make_candidate("a"), make_candidate("b"), gaps=frozenset(), requirements=(group,)
    )
    result = diagnose(problem)
    assert kinds(result) == [("requirement", None)]
    assert "stack" in result.blockers[0].detail


def test_a_feasible_problem_has_no_blocker() -> None:
    assert diagnose(make_problem(make_candidate("a"))).blockers == ()
