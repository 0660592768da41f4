"""Pathways: a learner plans the cheapest or quickest way to a target role or credential,
saves it, follows it and re-plans it.

Only the learner sees and changes their pathways (anyone else gets a 404, as for any object
they may not see); API tokens need ``pathways:read`` or ``pathways:write``. A saved step
follows the learner's record whenever the pathway is shown or re-planned: an enrolment in
its offering makes it enrolled, completing it (or holding an award of its specification)
completed, withdrawing dropped. A re-plan keeps enrolled and completed steps (their
specifications count as held, their gaps as closed, their cost as committed) and plans the
rest anew; the steps it replaces are kept as dropped. A pathway whose gaps are all closed by
completed steps, with nothing left to do, is achieved."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy.orm import Session

from cairn.catalogue.enums import EnrolmentStatus, Participation
from cairn.credentials import repository as credentials_repository
from cairn.kit.actor import Actor, Scope, require_person, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import NotFound
from cairn.kit.i18n import gettext, lazy_gettext
from cairn.pathways import explain, repository
from cairn.pathways.enums import Objective, PathwayStatus, StepStatus
from cairn.pathways.errors import NoPlan, PathwayClosed
from cairn.pathways.models import Pathway, PathwayStep
from cairn.pathways.problem import Infeasible, Plan
from cairn.pathways.problem_builder import Built, build
from cairn.pathways.repository import RoleProfileHead
from cairn.pathways.schemas import GapRead, PathwayRead, PlanRead, PlanRequest
from cairn.pathways.solver import solve

KEPT = frozenset({StepStatus.ENROLLED, StepStatus.COMPLETED})


def _today() -> date:
    return utcnow().date()


def role_profiles(session: Session, actor: Actor) -> list[RoleProfileHead]:
    """The role profiles a learner may aim at: those of their organisations."""
    require_scope(actor, Scope.PATHWAYS_READ)
    require_person(actor)
    return repository.role_profiles_in(session, actor.org_ids)


def _solve(
    session: Session,
    actor: Actor,
    request: PlanRequest,
    on: date | None,
    kept: Mapping[uuid.UUID, frozenset[str]] | None = None,
) -> tuple[Built, Plan | Infeasible]:
    built = build(session, actor, request, on=on or _today(), kept=kept)
    return built, solve(built.problem)


def plan(
    session: Session, actor: Actor, request: PlanRequest, *, on: date | None = None
) -> PlanRead:
    """The best plan for the actor's own target and limits, every step explained, or why
    there is none; nothing is saved."""
    require_scope(actor, Scope.PATHWAYS_READ)
    require_person(actor)
    built, outcome = _solve(session, actor, request, on)
    return _plan_read(built, outcome)


def _plan_read(built: Built, outcome: Plan | Infeasible) -> PlanRead:
    gaps = [GapRead(**gap.__dict__) for gap in built.gaps]
    if isinstance(outcome, Infeasible):
        return PlanRead(
            target=built.target.title,
            currency=built.currency,
            feasible=False,
            method=None,
            proven_optimal=False,
            out_of_pocket_minor=None,
            finish_on=None,
            total_hours=None,
            gaps=gaps,
            steps=[],
            blockers=_blockers(built, outcome),
        )
    facts = explain.plan_facts(built, outcome)
    return PlanRead(
        target=built.target.title,
        currency=built.currency,
        feasible=True,
        method=outcome.method,
        proven_optimal=outcome.proven_optimal,
        out_of_pocket_minor=outcome.out_of_pocket_minor,
        finish_on=outcome.finish_on,
        total_hours=outcome.total_hours,
        gaps=gaps,
        steps=[
            explain.step_read(
                fact,
                position=index,
                offering_id=uuid.UUID(step.candidate_id),
                specification_id=uuid.UUID(step.specification_id),
                status=None,
                currency=built.currency,
            )
            for index, (step, fact) in enumerate(zip(outcome.steps, facts, strict=True), 1)
        ],
        blockers=[],
    )


def _blockers(built: Built, infeasible: Infeasible) -> list[str]:
    sentences = [explain.blocker_sentence(built, blocker) for blocker in infeasible.blockers]
    return list(dict.fromkeys(sentences)) or [gettext("No plan meets your constraints.")]


def _refuse(built: Built, infeasible: Infeasible) -> NoPlan:
    return NoPlan(
        lazy_gettext(
            "No plan meets your constraints: %(reasons)s",
            reasons=" ".join(_blockers(built, infeasible)),
        )
    )


def save(
    session: Session, actor: Actor, request: PlanRequest, *, on: date | None = None
) -> Pathway:
    """Plan and keep the plan as the actor's pathway; refused, with every blocker, when no
    plan exists."""
    require_scope(actor, Scope.PATHWAYS_WRITE)
    require_person(actor)
    built, outcome = _solve(session, actor, request, on)
    if isinstance(outcome, Infeasible):
        raise _refuse(built, outcome)
    pathway = Pathway(
        person_id=actor.person_id,
        title=gettext("Pathway to %(target)s", target=built.target.title)[:300],
        target_profile_id=built.target.profile_id,
        target_specification_id=built.target.specification_id,
        objective=request.objective,
        budget_minor=request.budget_minor,
        currency=built.currency,
        hours_per_week=request.hours_per_week,
        deadline=request.deadline,
        languages=list(request.languages),
        deliveries=[delivery.value for delivery in request.deliveries],
        method=outcome.method,
        proven_optimal=outcome.proven_optimal,
        out_of_pocket_minor=outcome.out_of_pocket_minor,
        finish_on=outcome.finish_on,
        gaps=[gap.as_json() for gap in built.gaps],
        planned_at=utcnow(),
        status=PathwayStatus.ACTIVE if outcome.steps else PathwayStatus.ACHIEVED,
    )
    session.add(pathway)
    session.flush()
    _add_steps(session, pathway, built, outcome, first=1)
    session.flush()
    return pathway


def _add_steps(
    session: Session, pathway: Pathway, built: Built, outcome: Plan, *, first: int
) -> None:
    for position, (step, facts) in enumerate(
        zip(outcome.steps, explain.plan_facts(built, outcome), strict=True), first
    ):
        session.add(
            PathwayStep(
                pathway_id=pathway.id,
                position=position,
                offering_id=uuid.UUID(step.candidate_id),
                specification_id=uuid.UUID(step.specification_id),
                closes=sorted(step.closes),
                net_price_minor=step.net_price_minor,
                credit_minor=sum(step.credit_minor.values()),
                matching_minor=sum(step.matching_minor.values()),
                out_of_pocket_minor=step.out_of_pocket_minor,
                explanation=facts,
            )
        )


def list_pathways(session: Session, actor: Actor) -> Sequence[Pathway]:
    """The actor's own pathways, newest first."""
    require_scope(actor, Scope.PATHWAYS_READ)
    require_person(actor)
    return repository.pathways_of(session, actor.person_id)


def _own(session: Session, actor: Actor, pathway_id: uuid.UUID) -> Pathway:
    pathway = repository.get_pathway(session, pathway_id)
    if pathway is None or actor.system or pathway.person_id != actor.person_id:
        raise NotFound(lazy_gettext("Pathway not found."))
    return pathway


def get(session: Session, actor: Actor, pathway_id: uuid.UUID) -> Pathway:
    """One of the actor's pathways, its steps brought up to date with their record."""
    require_scope(actor, Scope.PATHWAYS_READ)
    pathway = _own(session, actor, pathway_id)
    _follow(session, pathway)
    return pathway


def show(session: Session, actor: Actor, pathway_id: uuid.UUID) -> PathwayRead:
    """A pathway as it stands, every step explained."""
    return read(session, get(session, actor, pathway_id))


def read(session: Session, pathway: Pathway) -> PathwayRead:
    steps = repository.steps_of(session, pathway.id)
    shown = [step for step in steps if step.status is not StepStatus.DROPPED]
    return PathwayRead(
        id=pathway.id,
        title=pathway.title,
        status=pathway.status,
        target_profile_id=pathway.target_profile_id,
        target_specification_id=pathway.target_specification_id,
        objective=pathway.objective,
        budget_minor=pathway.budget_minor,
        currency=pathway.currency,
        hours_per_week=pathway.hours_per_week,
        deadline=pathway.deadline,
        method=pathway.method,
        proven_optimal=pathway.proven_optimal,
        out_of_pocket_minor=pathway.out_of_pocket_minor,
        finish_on=pathway.finish_on,
        planned_at=pathway.planned_at,
        gaps=[GapRead.model_validate(gap) for gap in pathway.gaps],
        steps=[
            explain.step_read(
                step.explanation,
                position=index,
                offering_id=step.offering_id,
                specification_id=step.specification_id,
                status=step.status,
                currency=pathway.currency,
            )
            for index, step in enumerate(shown, 1)
        ],
        dropped=len(steps) - len(shown),
    )


def _follow(session: Session, pathway: Pathway) -> list[PathwayStep]:
    """Bring each step's status in line with the learner's enrolments and awards, and mark
    the pathway achieved when its gaps are all closed."""
    steps = list(repository.steps_of(session, pathway.id))
    enrolments = repository.enrolments_in(
        session, pathway.person_id, [step.offering_id for step in steps]
    )
    held = set(credentials_repository.held_specification_ids(session, pathway.person_id))
    for step in steps:
        if step.status is StepStatus.DROPPED:
            continue
        enrolment = enrolments.get(step.offering_id)
        enrolled = enrolment.status if enrolment is not None else None
        if step.specification_id in held or enrolled is EnrolmentStatus.COMPLETED:
            step.status = StepStatus.COMPLETED
        elif enrolled is EnrolmentStatus.ENROLLED:
            step.status = StepStatus.ENROLLED
        elif enrolled is EnrolmentStatus.WITHDRAWN:
            step.status = StepStatus.DROPPED
    if pathway.status is PathwayStatus.ACTIVE and _achieved(pathway, steps, held):
        pathway.status = PathwayStatus.ACHIEVED
    session.flush()
    return steps


def _achieved(pathway: Pathway, steps: list[PathwayStep], held: set[uuid.UUID]) -> bool:
    if pathway.target_specification_id in held:
        return True
    live = [step for step in steps if step.status is not StepStatus.DROPPED]
    if not live or any(step.status is not StepStatus.COMPLETED for step in live):
        return False
    closed = {gap for step in live for gap in step.closes}
    return all(gap["skill_id"] in closed for gap in pathway.gaps)


def replan(
    session: Session, actor: Actor, pathway_id: uuid.UUID, *, on: date | None = None
) -> Pathway:
    """Plan what is left: enrolled and completed steps stay, the others are replaced."""
    require_scope(actor, Scope.PATHWAYS_WRITE)
    pathway = _own(session, actor, pathway_id)
    steps = _follow(session, pathway)
    if pathway.status is not PathwayStatus.ACTIVE:
        raise PathwayClosed(lazy_gettext("This pathway is no longer followed."))
    kept = [step for step in steps if step.status in KEPT]
    built, outcome = _solve(
        session,
        actor,
        _request_of(pathway),
        on,
        kept={step.specification_id: frozenset(step.closes) for step in kept},
    )
    if isinstance(outcome, Infeasible):
        raise _refuse(built, outcome)
    for step in steps:
        if step.status is StepStatus.PLANNED:
            step.status = StepStatus.DROPPED
    _add_steps(
        session, pathway, built, outcome, first=max((s.position for s in steps), default=0) + 1
    )
    closed_before = {gap for step in kept for gap in step.closes}
    pathway.gaps = [
        *(gap for gap in pathway.gaps if gap["skill_id"] in closed_before),
        *(gap.as_json() for gap in built.gaps),
    ]
    pathway.method = outcome.method
    pathway.proven_optimal = outcome.proven_optimal
    pathway.out_of_pocket_minor = outcome.out_of_pocket_minor
    ends = [step.explanation["ends_on"] for step in kept]
    pathway.finish_on = max(
        [
            *(date.fromisoformat(end) for end in ends),
            *([outcome.finish_on] if outcome.finish_on else []),
        ],
        default=None,
    )
    pathway.planned_at = utcnow()
    session.flush()
    return pathway


def _request_of(pathway: Pathway) -> PlanRequest:
    return PlanRequest(
        target_profile_id=pathway.target_profile_id,
        target_specification=(
            str(pathway.target_specification_id) if pathway.target_specification_id else None
        ),
        budget_minor=pathway.budget_minor,
        currency=pathway.currency,
        hours_per_week=pathway.hours_per_week,
        deadline=pathway.deadline,
        objective=Objective(pathway.objective),
        languages=list(pathway.languages),
        deliveries=[Participation(value) for value in pathway.deliveries],
    )


def archive(session: Session, actor: Actor, pathway_id: uuid.UUID) -> Pathway:
    """Stop following a pathway; it is kept, as it was, in the list."""
    require_scope(actor, Scope.PATHWAYS_WRITE)
    pathway = _own(session, actor, pathway_id)
    pathway.status = PathwayStatus.ARCHIVED
    session.flush()
    return pathway
