"""Planning, saving, following and re-planning a learner's pathway, on a real database."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from cairn.catalogue import enrolment_service
from cairn.kit.actor import Actor, Scope
from cairn.kit.errors import InsufficientScope, NotFound
from cairn.pathways import service
from cairn.pathways.enums import Objective, PathwayStatus, StepStatus
from cairn.pathways.errors import NoPlan, PathwayClosed
from tests.factories.accounts import make_credit, make_participant, make_program
from tests.factories.catalogue import make_enrolment
from tests.factories.orgs import actor as actor_of
from tests.factories.orgs import make_member
from tests.factories.pathways import (
    PathwayWorld,
    make_offering_run,
    make_pathway,
    make_world,
    today,
)


@pytest.fixture
def world(session: Session) -> PathwayWorld:
    return make_world(session)


def test_the_cheapest_plan_closes_every_gap_and_says_how(
    session: Session, world: PathwayWorld
) -> None:
    plan = service.plan(session, world.learner_actor, world.request())

    assert plan.feasible
    assert plan.method == "optimal"
    assert [step.offering_id for step in plan.steps] == [world.sql_run.id, world.python_late_run.id]
    assert plan.out_of_pocket_minor == 100_000
    assert {gap.label: (gap.current, gap.wanted) for gap in plan.gaps} == {
        "Query databases with SQL": (1, 2),
        "Program in Python": (None, 2),
        "Draw charts": (None, 1),
    }
    first = plan.steps[0]
    assert first.closes == ["Draw charts", "Query databases with SQL"]
    assert first.out_of_pocket_minor == 60_000
    assert (
        "Closes your skill gaps: “Draw charts” and “Query databases with SQL”." in first.explanation
    )
    assert "You pay CA$600.00." in first.explanation
    assert any("Basic spreadsheet use." in sentence for sentence in first.explanation)


def test_soonest_finish_takes_the_earlier_dearer_run(session: Session, world: PathwayWorld) -> None:
    plan = service.plan(session, world.learner_actor, world.request(objective=Objective.TIME))

    assert world.python_run.id in [step.offering_id for step in plan.steps]
    assert plan.out_of_pocket_minor == 140_000


def test_a_budget_too_small_is_short_by_the_difference(
    session: Session, world: PathwayWorld
) -> None:
    plan = service.plan(session, world.learner_actor, world.request(budget_minor=90_000))

    assert not plan.feasible
    assert plan.blockers == ["Budget short by CA$100.00."]


def test_a_skill_nobody_teaches_in_time_is_named(session: Session, world: PathwayWorld) -> None:
    deadline = today() + timedelta(days=45)
    plan = service.plan(session, world.learner_actor, world.request(deadline=deadline))

    assert not plan.feasible
    assert "No offering teaches Program in Python at level 2 before your deadline." in (
        plan.blockers
    )


def test_only_accepted_languages_and_deliveries_are_planned(
    session: Session, world: PathwayWorld
) -> None:
    plan = service.plan(session, world.learner_actor, world.request(languages=["fr"]))

    assert not plan.feasible
    assert len(plan.blockers) == 3  # every gap: nothing is taught in French


def test_credit_and_subsidy_lower_what_the_learner_pays(
    session: Session, world: PathwayWorld
) -> None:
    program = make_program(
        session,
        rules={
            "currency": "CAD",
            "tiers": [{"code": "base", "name": "Base credit"}],
            "deduction_order": ["base"],
            "subsidies": [{"code": "half", "name": "Course-fee subsidy", "rate_bp": 5000}],
        },
        name="Skills Fund",
    )
    make_credit(session, make_participant(session, program, person=world.learner), 20_000)

    plan = service.plan(session, world.learner_actor, world.request())

    assert plan.feasible
    assert plan.out_of_pocket_minor == 50_000 - 20_000  # half of 600 + 400, less the credit
    assert sum(step.subsidy_minor for step in plan.steps) == 50_000
    credited = [line for step in plan.steps for line in step.credit]
    assert [(line.program, line.tier, line.amount_minor) for line in credited] == [
        ("Skills Fund", "Base credit", 20_000)
    ]
    assert any("Credit: CA$200.00" in s for step in plan.steps for s in step.explanation)


def test_a_saved_pathway_is_listed_and_shown_to_its_learner_only(
    session: Session, world: PathwayWorld
) -> None:
    pathway = make_pathway(session, world)

    assert pathway.title == "Pathway to Data analyst at Harbour Logistics"
    assert [p.id for p in service.list_pathways(session, world.learner_actor)] == [pathway.id]
    shown = service.show(session, world.learner_actor, pathway.id)
    assert [step.status for step in shown.steps] == [StepStatus.PLANNED, StepStatus.PLANNED]
    assert shown.steps[0].explanation[0].startswith("Closes your skill gaps:")
    colleague = actor_of(session, make_member(session, world.employer))
    with pytest.raises(NotFound):
        service.show(session, colleague, pathway.id)
    assert service.list_pathways(session, colleague) == []


def test_tokens_need_the_pathway_scopes(session: Session, world: PathwayWorld) -> None:
    reader = Actor(
        world.learner_actor.person_id,
        world.learner_actor.email,
        world.learner_actor.memberships,
        scopes=frozenset({Scope.PATHWAYS_READ}),
    )
    assert service.plan(session, reader, world.request()).feasible
    with pytest.raises(InsufficientScope):
        service.save(session, reader, world.request())
    with pytest.raises(InsufficientScope):
        service.list_pathways(session, Actor(reader.person_id, reader.email, scopes=frozenset()))


def test_a_role_profile_of_another_organisation_is_not_found(
    session: Session, world: PathwayWorld
) -> None:
    outsider = actor_of(session, make_member(session, world.college.org))
    with pytest.raises(NotFound):
        service.plan(session, outsider, world.request())
    with pytest.raises(NotFound):
        service.plan(session, world.learner_actor, world.request(target_profile_id=uuid.uuid4()))


def test_saving_an_infeasible_plan_is_refused_with_its_blockers(
    session: Session, world: PathwayWorld
) -> None:
    with pytest.raises(NoPlan, match=r"Budget short by CA\$100\.00"):
        make_pathway(session, world, budget_minor=90_000)


def test_steps_follow_enrolment_and_a_replan_keeps_what_is_under_way(
    session: Session, world: PathwayWorld
) -> None:
    pathway = make_pathway(session, world)
    make_enrolment(session, world.learner, world.sql_run)

    shown = service.show(session, world.learner_actor, pathway.id)
    assert [step.status for step in shown.steps] == [StepStatus.ENROLLED, StepStatus.PLANNED]

    # A cheaper Python course appears; the re-plan keeps the enrolment and takes it.
    bargain = make_offering_run(
        session, world.python_course, world.college.org, starts_in_days=60, price_minor=10_000
    )
    service.replan(session, world.learner_actor, pathway.id)
    shown = service.show(session, world.learner_actor, pathway.id)

    assert [(step.offering_id, step.status) for step in shown.steps] == [
        (world.sql_run.id, StepStatus.ENROLLED),
        (bargain.id, StepStatus.PLANNED),
    ]
    assert shown.dropped == 1
    assert shown.out_of_pocket_minor == 10_000  # what is left to pay


def test_completing_every_step_achieves_the_pathway(session: Session, world: PathwayWorld) -> None:
    pathway = make_pathway(session, world)
    operator = Actor.operator()
    for offering in (world.sql_run, world.python_late_run):
        enrolment = make_enrolment(session, world.learner, offering)
        enrolment_service.complete(session, operator, enrolment.id)

    shown = service.show(session, world.learner_actor, pathway.id)

    assert shown.status is PathwayStatus.ACHIEVED
    assert {step.status for step in shown.steps} == {StepStatus.COMPLETED}
    with pytest.raises(PathwayClosed):
        service.replan(session, world.learner_actor, pathway.id)


def test_an_archived_pathway_is_kept_but_no_longer_replanned(
    session: Session, world: PathwayWorld
) -> None:
    pathway = make_pathway(session, world)
    service.archive(session, world.learner_actor, pathway.id)

    assert service.get(session, world.learner_actor, pathway.id).status is PathwayStatus.ARCHIVED
    with pytest.raises(PathwayClosed):
        service.replan(session, world.learner_actor, pathway.id)
