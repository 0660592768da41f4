"""From the database to a solver problem: gaps, candidates, prices, stacking and
prerequisites."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from cairn.catalogue import offerings, prerequisite_service, stacking_service
from cairn.catalogue.models import SpecificationVersion
from cairn.catalogue.stacking_schemas import StackRuleCreate
from cairn.kit.actor import Actor
from cairn.pathways import service
from cairn.pathways.problem import RequirementGroup
from cairn.pathways.problem_builder import build
from cairn.pathways.schemas import PlanRequest
from tests.factories.accounts import make_credit, make_participant, make_program
from tests.factories.catalogue import make_specification, publish
from tests.factories.credentials import make_award
from tests.factories.pathways import PathwayWorld, make_offering_run, make_world, today


@pytest.fixture
def world(session: Session) -> PathwayWorld:
    return make_world(session)


def test_gaps_are_the_role_skills_below_target(session: Session, world: PathwayWorld) -> None:
    built = build(session, world.learner_actor, world.request(), on=today())

    assert {(gap.label, gap.current, gap.wanted) for gap in built.gaps} == {
        ("Query databases with SQL", 1, 2),
        ("Program in Python", None, 2),
        ("Draw charts", None, 1),
    }
    assert built.problem.gaps == {str(world.sql.id), str(world.python.id), str(world.charts.id)}


def test_an_outcome_closes_a_gap_at_or_above_the_level_wanted(
    session: Session, world: PathwayWorld
) -> None:
    covers = {
        c.id: c.covers
        for c in build(session, world.learner_actor, world.request(), on=today()).problem.candidates
    }

    assert covers[str(world.sql_run.id)] == {str(world.sql.id), str(world.charts.id)}
    # No level on the outcome counts as level 1: enough for charts, wanted at level 1.
    assert covers[str(world.charts_run.id)] == {str(world.charts.id)}
    assert covers[str(world.python_run.id)] == {str(world.python.id)}


def test_only_open_runs_still_taking_enrolments_are_candidates(
    session: Session, world: PathwayWorld
) -> None:
    offerings.close_offering(session, Actor.operator(), world.charts_run.id)
    make_offering_run(
        session, world.python_course, world.college.org, starts_in_days=10, enrol_by=today()
    )
    started = make_offering_run(session, world.python_course, world.college.org, starts_in_days=3)

    built = build(session, world.learner_actor, world.request(), on=today() + timedelta(days=5))

    ids = {c.id for c in built.problem.candidates}
    assert str(world.charts_run.id) not in ids
    assert str(started.id) not in ids
    assert len([c for c in built.problem.candidates if str(world.python.id) in c.covers]) == 2


def test_a_held_specification_is_not_offered_again(session: Session, world: PathwayWorld) -> None:
    make_award(session, world.college, world.python_course, world.learner)

    built = build(session, world.learner_actor, world.request(), on=today())

    assert str(world.python_course.specification_id) in built.problem.held_specifications
    assert not any(
        c.specification_id == str(world.python_course.specification_id)
        for c in built.problem.candidates
    )


def test_net_prices_and_credit_pools_come_from_the_learners_programs(
    session: Session, world: PathwayWorld
) -> None:
    program = make_program(
        session,
        rules={
            "currency": "CAD",
            "tiers": [{"code": "base", "name": "Base credit"}],
            "deduction_order": ["base"],
            "max_credit_per_item_minor": 5_000,
            "subsidies": [{"code": "some", "name": "Subsidy", "rate_bp": 2500}],
        },
    )
    make_credit(session, make_participant(session, program, person=world.learner), 12_000)

    built = build(session, world.learner_actor, world.request(), on=today())

    pool = f"{program.id}/base"
    assert [(p.id, p.capacity_minor) for p in built.problem.credit_pools] == [(pool, 12_000)]
    sql = next(c for c in built.problem.candidates if c.id == str(world.sql_run.id))
    assert sql.net_price_minor == 45_000
    assert sql.pools == ((pool, 5_000),)


def test_a_stackable_target_becomes_a_requirement_group(
    session: Session, world: PathwayWorld
) -> None:
    certificate = world.college.publish(session, "data-certificate", title="Data certificate")
    stacking_service.create_rule(
        session,
        world.college.registrar,
        world.college.org.id,
        StackRuleCreate.model_validate(
            {
                "slug": "data-certificate",
                "title": "Data certificate",
                "kind": "n_of",
                "n": 2,
                "target_specification_id": certificate.specification_id,
                "specification_ids": [
                    world.sql_course.specification_id,
                    world.python_course.specification_id,
                    world.charts_course.specification_id,
                ],
            }
        ),
    )
    request = PlanRequest(target_specification="data-certificate")

    built = build(session, world.learner_actor, request, on=today())

    assert built.gaps == ()
    assert built.problem.requirements == (
        RequirementGroup(
            id=built.problem.requirements[0].id,
            specification_ids=frozenset(
                str(v.specification_id)
                for v in (world.sql_course, world.python_course, world.charts_course)
            ),
            at_least=2,
        ),
    )
    assert len(built.problem.candidates) == 4


# Prerequisites -----------------------------------------------------------------------------


def _data_science(
    session: Session, world: PathwayWorld, *required: SpecificationVersion
) -> SpecificationVersion:
    """The only Python course left, requiring one of ``required`` first, with one run
    starting in four weeks; the world's own Python runs are closed."""
    college = world.college
    for run in (world.python_run, world.python_late_run):
        offerings.close_offering(session, Actor.operator(), run.id)
    draft = make_specification(
        session,
        college.educator,
        college.org,
        slug="data-science",
        title="Data science",
        prerequisites="Statistics first.",
        outcomes=[{"statement": "Model data.", "skill_id": world.python.id, "level": 2}],
    )
    prerequisite_service.set_prerequisites(
        session, college.educator, draft.id, [[v.specification_id for v in required]]
    )
    course = publish(session, college.educator, college.registrar, draft)
    make_offering_run(session, course, college.org, starts_in_days=28, price_minor=40_000)
    return course


def test_a_plan_takes_the_prerequisite_first_though_it_closes_no_gap(
    session: Session, world: PathwayWorld
) -> None:
    statistics = world.college.publish(session, "statistics", title="Statistics")
    early = make_offering_run(
        session, statistics, world.college.org, starts_in_days=1, weeks=2, price_minor=10_000
    )
    make_offering_run(session, statistics, world.college.org, starts_in_days=30)  # too late
    course = _data_science(session, world, statistics)

    built = build(session, world.learner_actor, world.request(), on=today())
    plan = service.plan(session, world.learner_actor, world.request())

    by_spec = {c.specification_id: c for c in built.problem.candidates}
    assert by_spec[str(statistics.specification_id)].covers == frozenset()
    assert by_spec[str(course.specification_id)].requires == (
        frozenset({str(statistics.specification_id)}),
    )
    assert plan.feasible
    assert [step.title for step in plan.steps] == ["Statistics", "SQL and charts", "Data science"]
    assert plan.steps[0].offering_id == early.id
    assert plan.steps[2].prerequisites_met_by == ["Statistics"]
    assert "Its prerequisites are met by “Statistics”." in plan.steps[2].explanation


def test_a_prerequisite_held_already_needs_no_step(session: Session, world: PathwayWorld) -> None:
    statistics = world.college.publish(session, "statistics", title="Statistics")
    first_aid = world.college.publish(session, "first-aid", title="First aid")
    make_offering_run(session, statistics, world.college.org, starts_in_days=1, weeks=2)
    make_award(session, world.college, first_aid, world.learner)
    _data_science(session, world, statistics, first_aid)

    plan = service.plan(session, world.learner_actor, world.request())

    assert plan.feasible
    assert [step.title for step in plan.steps] == ["SQL and charts", "Data science"]
    assert plan.steps[1].prerequisites_met_by == ["First aid"]


def test_a_prerequisite_nobody_runs_is_diagnosed(session: Session, world: PathwayWorld) -> None:
    unrun = world.college.publish(session, "statistics", title="Statistics")
    _data_science(session, world, unrun)

    plan = service.plan(session, world.learner_actor, world.request())

    assert not plan.feasible
    assert plan.blockers == ["The prerequisites of Data science cannot be met in time."]
