"""The exact solver: optimal against brute force, and the rules a learner's plan keeps."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from cairn.pathways.problem import (
    CreditPool,
    Infeasible,
    MatchingPool,
    Plan,
    Problem,
    RequirementGroup,
    check_plan,
    plan_key,
)
from cairn.pathways.solver import solve
from tests.pathways.problems import brute_force, day, make_candidate, make_problem, problems


def solved(problem: Problem, time_limit_s: float = 5.0) -> Plan:
    plan = solve(problem, time_limit_s)
    assert isinstance(plan, Plan), plan
    assert check_plan(problem, plan) == []
    return plan


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_solver_finds_the_brute_force_optimum(problem: Problem) -> None:
    best = brute_force(problem)
    result = solve(problem, time_limit_s=5.0)
    if best is None:
        assert isinstance(result, Infeasible)
        return
    assert isinstance(result, Plan), result
    assert check_plan(problem, result) == []
    assert result.proven_optimal
    assert result.method == "optimal"
    assert plan_key(problem, result) == best


def test_the_cheapest_plan_after_credit_wins_and_credit_follows_the_deduction_order() -> None:
    dear_but_funded = make_candidate("a", net_price_minor=50_000, pools=(("base", 50_000),))
    cheap_unfunded = make_candidate("b", net_price_minor=20_000)
    problem = make_problem(
        dear_but_funded,
        cheap_unfunded,
        credit_pools=(CreditPool("mid", 40_000, 1), CreditPool("base", 45_000, 0)),
    )
    plan = solved(problem)
    assert [step.candidate_id for step in plan.steps] == ["a"]
    assert plan.steps[0].credit_minor == {"base": 45_000}
    assert plan.out_of_pocket_minor == 5_000
    assert plan.proven_optimal


def test_credit_is_drawn_in_deduction_order_when_the_cost_is_the_same() -> None:
    course = make_candidate(
        "a", net_price_minor=30_000, pools=(("late", 30_000), ("early", 30_000))
    )
    problem = make_problem(
        course, credit_pools=(CreditPool("late", 50_000, 2), CreditPool("early", 20_000, 1))
    )
    plan = solved(problem)
    assert plan.steps[0].credit_minor == {"early": 20_000, "late": 10_000}
    assert plan.out_of_pocket_minor == 0


def test_employer_matching_pays_its_rate_of_the_co_pay_in_whole_cents() -> None:
    course = make_candidate("a", net_price_minor=1_001, matching=("employer",))
    problem = make_problem(course, matching_pools=(MatchingPool("employer", 3_333, 10_000),))
    plan = solved(problem)
    assert plan.steps[0].matching_minor == {"employer": 333}
    assert plan.out_of_pocket_minor == 668


def test_a_prerequisite_is_taken_first_and_must_end_before_the_course_starts() -> None:
    advanced = make_candidate(
        "adv", covers=frozenset({"g1"}), starts_on=day(30), ends_on=day(40),
        requires=(frozenset({"spec-intro"}),),
    )  # fmt: skip
    intro_too_late = make_candidate(
        "late",
        specification_id="spec-intro",
        covers=frozenset(),
        starts_on=day(20),
        ends_on=day(30),
    )
    intro_in_time = make_candidate(
        "intro", specification_id="spec-intro", covers=frozenset(), net_price_minor=15_000,
        starts_on=day(0), ends_on=day(29),
    )  # fmt: skip
    problem = make_problem(advanced, intro_too_late, intro_in_time, gaps=frozenset({"g1"}))
    plan = solved(problem)
    assert [step.candidate_id for step in plan.steps] == ["intro", "adv"]
    assert plan.steps[1].prerequisites_met_by == ("intro",)


def test_a_held_specification_meets_a_prerequisite() -> None:
    advanced = make_candidate("adv", requires=(frozenset({"spec-intro", "spec-other"}),))
    problem = make_problem(advanced, held_specifications=frozenset({"spec-other"}))
    plan = solved(problem)
    assert plan.steps[0].prerequisites_met_by == ("spec-other",)


def test_the_weekly_hours_keep_courses_apart() -> None:
    first = make_candidate("a", covers=frozenset({"g1"}), weekly_hours=6.0)
    overlapping = make_candidate("b", covers=frozenset({"g2"}), weekly_hours=6.0)
    later = make_candidate(
        "c", covers=frozenset({"g2"}), weekly_hours=6.0, net_price_minor=12_000,
        starts_on=day(14), ends_on=day(27),
    )  # fmt: skip
    problem = make_problem(first, overlapping, later, hours_per_week=10.0)
    plan = solved(problem)
    assert [step.candidate_id for step in plan.steps] == ["a", "c"]
    unlimited = solved(make_problem(first, overlapping, later))
    assert [step.candidate_id for step in unlimited.steps] == ["a", "b"]


def test_the_deadline_and_the_earliest_start_bound_the_dates() -> None:
    too_early = make_candidate("a", starts_on=day(-7), ends_on=day(0), net_price_minor=1)
    too_late = make_candidate("b", starts_on=day(30), ends_on=day(60), net_price_minor=2)
    in_time = make_candidate("c", starts_on=day(7), ends_on=day(20))
    plan = solved(make_problem(too_early, too_late, in_time, deadline=day(50)))
    assert [step.candidate_id for step in plan.steps] == ["c"]


def test_ties_on_cost_go_to_the_earlier_finish_then_to_fewer_hours() -> None:
    late = make_candidate("a", ends_on=day(30), hours=5.0)
    early_long = make_candidate("b", ends_on=day(20), hours=30.0)
    early_short = make_candidate("c", ends_on=day(20), hours=20.0)
    plan = solved(make_problem(late, early_long, early_short))
    assert [step.candidate_id for step in plan.steps] == ["c"]


def test_time_first_takes_the_dearer_plan_that_finishes_sooner() -> None:
    cheap_late = make_candidate("a", net_price_minor=1_000, ends_on=day(60))
    dear_soon = make_candidate("b", net_price_minor=9_000, ends_on=day(20))
    by_cost = solved(make_problem(cheap_late, dear_soon))
    by_time = solved(make_problem(cheap_late, dear_soon, objective="time"))
    assert [step.candidate_id for step in by_cost.steps] == ["a"]
    assert [step.candidate_id for step in by_time.steps] == ["b"]
    assert by_time.finish_on == day(20)


def test_a_requirement_counts_held_specifications_and_credits() -> None:
    one = make_candidate("one", covers=frozenset(), credits=2.0, net_price_minor=100)
    two = make_candidate("two", covers=frozenset(), credits=3.0, net_price_minor=200)
    three = make_candidate("three", covers=frozenset(), credits=1.0, net_price_minor=150)
    group = RequirementGroup(
        "stack",
        frozenset({"spec-one", "spec-two", "spec-three", "spec-held"}),
        at_least=2,
        min_credits=4.0,
        held_credits=1.0,
    )
    problem = make_problem(
        one, two, three, gaps=frozenset(), requirements=(group,),
        held_specifications=frozenset({"spec-held"}),
    )  # fmt: skip
    plan = solved(problem)
    assert [step.candidate_id for step in plan.steps] == ["two"]


def test_nothing_to_close_is_an_empty_plan() -> None:
    plan = solved(make_problem(make_candidate("a"), gaps=frozenset()))
    assert plan.steps == ()
    assert plan.finish_on is None
    assert plan.out_of_pocket_minor == 0


def test_out_of_time_the_heuristic_plan_comes_back_unproven() -> None:
    problem = make_problem(make_candidate("a"), make_candidate("b", net_price_minor=5_000))
    plan = solve(problem, time_limit_s=0.0)
    assert isinstance(plan, Plan)
    assert check_plan(problem, plan) == []
    assert not plan.proven_optimal
    assert plan.method == "heuristic"


def test_an_infeasible_problem_is_diagnosed() -> None:
    problem = make_problem(make_candidate("a"), gaps=frozenset({"g1", "rust"}))
    result = solve(problem)
    assert isinstance(result, Infeasible)
    assert [(b.kind, b.gap) for b in result.blockers] == [("no_offering", "rust")]


def test_check_plan_names_every_broken_rule() -> None:
    first = make_candidate("a", covers=frozenset({"g1"}), weekly_hours=6.0)
    second = make_candidate("b", covers=frozenset({"g2"}), weekly_hours=6.0)
    loose = make_problem(first, second)
    plan = solved(loose)
    strict = make_problem(
        first, second, gaps=frozenset({"g1", "g2", "g3"}), hours_per_week=10.0,
        budget_minor=15_000, deadline=day(10),
    )  # fmt: skip
    violations = check_plan(strict, plan)
    assert any("gap g3" in v for v in violations)
    assert any("hours, more than 10.0" in v for v in violations)
    assert any("over the budget" in v for v in violations)
    assert any("after the deadline" in v for v in violations)
