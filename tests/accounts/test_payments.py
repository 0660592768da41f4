"""Paying for learning: programs pay in a fixed order, budgets and this year's matching
limit the split, a payment posts once per enrolment, and settling pays, returns or refunds
each program's reservation."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.accounts import ledger, payments
from cairn.accounts.enums import HoldStatus, ProgramStatus
from cairn.accounts.errors import DuplicatePosting
from cairn.accounts.items import CatalogueItem
from cairn.accounts.ledger_models import Hold
from cairn.accounts.models import Program
from cairn.kit.actor import Actor
from cairn.kit.clock import utcnow
from cairn.kit.errors import PermissionDenied
from cairn.orgs.models import Person
from tests.factories.accounts import make_participant, make_program
from tests.factories.catalogue import EMPLOYER_RULES, FundedCourse, make_funded_course
from tests.factories.orgs import actor, make_person

OPERATOR = Actor.operator()


def _item(price_minor: int = 100000) -> CatalogueItem:
    return CatalogueItem(
        specification_id=uuid.uuid4(),
        slug="data-analytics",
        tags=frozenset(),
        hours=30,
        price_minor=price_minor,
        currency="SGD",
    )


def _pay(session: Session, learner: Person, item: CatalogueItem) -> payments.PaymentPlan:
    today = utcnow().date()
    seen = payments.quote_for(session, OPERATOR, person_id=learner.id, item=item, on=today)
    return payments.pay(
        session,
        OPERATOR,
        person_id=learner.id,
        enrolment_id=uuid.uuid4(),
        item=item,
        on=today,
        expected=seen,
    )


def _kinds(plan: payments.PaymentPlan, program: Program) -> list[tuple[str, int]]:
    return [
        (line.kind, line.amount_minor) for line in plan.quote.lines if line.program_id == program.id
    ]


def test_public_programs_pay_before_employers_whoever_was_joined_first(
    session: Session,
) -> None:
    course = make_funded_course(session)
    # The learner joined the employer's program a day after the public one; a second employer
    # program joined earlier still comes after the public program.
    earlier = make_program(session, org=course.employer, rules=EMPLOYER_RULES, name="Earlier")
    make_participant(session, earlier, person=course.learner, joined_on=date(2025, 1, 1))
    quote = payments.quote_for(
        session, OPERATOR, person_id=course.learner.id, item=_item(), on=utcnow().date()
    )
    credit = [line.program_id for line in quote.lines if line.kind == "credit"]
    assert credit == [course.public_program.id] * 2 + [course.employer_program.id]
    matching = [line.program_id for line in quote.lines if line.kind == "matching"]
    assert matching == [earlier.id, course.employer_program.id]


def test_closed_programs_and_other_learners_quotes_are_out_of_reach(
    session: Session,
) -> None:
    course = make_funded_course(session)
    course.employer_program.status = ProgramStatus.CLOSED
    quote = payments.quote_for(
        session, OPERATOR, person_id=course.learner.id, item=_item(), on=utcnow().date()
    )
    assert {line.program_id for line in quote.lines} == {course.public_program.id}
    someone = actor(session, make_person(session))
    with pytest.raises(PermissionDenied):
        payments.quote_for(
            session, someone, person_id=course.learner.id, item=_item(), on=utcnow().date()
        )


def test_a_budget_limits_the_split_to_what_is_left(session: Session) -> None:
    course = make_funded_course(session, budget_minor=60000)
    plan = _pay(session, course.learner, _item())
    assert sum(amount for _, amount in _kinds(plan, course.public_program)) == 60000
    second = payments.quote_for(
        session, OPERATOR, person_id=course.learner.id, item=_item(), on=utcnow().date()
    )
    assert all(line.program_id != course.public_program.id for line in second.lines)


def test_matching_counts_what_was_matched_this_year_net_of_returns(session: Session) -> None:
    course = make_funded_course(session)
    employer = course.employer_program
    first = _pay(session, course.learner, _item(200000))
    assert ("matching", 35000) in _kinds(first, employer)
    second = payments.quote_for(
        session, OPERATOR, person_id=course.learner.id, item=_item(200000), on=utcnow().date()
    )
    assert ("matching", 15000) in [
        (line.kind, line.amount_minor) for line in second.lines if line.program_id == employer.id
    ]
    payments.settle(session, OPERATOR, enrolment_id=first.holds[0].enrolment_id, completed=False)
    again = payments.quote_for(
        session, OPERATOR, person_id=course.learner.id, item=_item(200000), on=utcnow().date()
    )
    assert ("matching", 35000) in [
        (line.kind, line.amount_minor) for line in again.lines if line.program_id == employer.id
    ]


def test_paying_twice_for_one_enrolment_posts_once(session: Session) -> None:
    course = make_funded_course(session)
    item = _item()
    today = utcnow().date()
    seen = payments.quote_for(session, OPERATOR, person_id=course.learner.id, item=item, on=today)
    enrolment_id = uuid.uuid4()
    first = payments.pay(
        session,
        OPERATOR,
        person_id=course.learner.id,
        enrolment_id=enrolment_id,
        item=item,
        on=today,
        expected=seen,
    )
    # A retry for the same enrolment meets the first payment's keys: refused, not posted.
    again = payments.quote_for(session, OPERATOR, person_id=course.learner.id, item=item, on=today)
    with pytest.raises(DuplicatePosting):
        payments.pay(
            session,
            OPERATOR,
            person_id=course.learner.id,
            enrolment_id=enrolment_id,
            item=item,
            on=today,
            expected=again,
        )
    held = session.scalars(select(Hold).where(Hold.enrolment_id == enrolment_id)).all()
    assert {hold.id for hold in held} == {hold.id for hold in first.holds}


def test_a_program_with_nothing_to_give_places_no_hold(session: Session) -> None:
    course = make_funded_course(session)
    stranger = make_person(session)  # not an employee: the employer program gives nothing
    make_participant(session, course.employer_program, person=stranger)
    make_participant(session, course.public_program, person=stranger)
    plan = _pay(session, stranger, _item())
    assert [hold.program_id for hold in plan.holds] == [course.public_program.id]


def test_settling_pays_returns_and_refunds(session: Session) -> None:
    course: FundedCourse = make_funded_course(session)
    plan = _pay(session, course.learner, _item())
    enrolment_id = plan.holds[0].enrolment_id
    payments.settle(session, OPERATOR, enrolment_id=enrolment_id, completed=True)
    payments.settle(session, OPERATOR, enrolment_id=enrolment_id, completed=True)
    assert {hold.status for hold in plan.holds} == {HoldStatus.CAPTURED}
    payments.settle(session, OPERATOR, enrolment_id=enrolment_id, completed=False)
    assert {hold.status for hold in plan.holds} == {HoldStatus.RELEASED}
    payments.settle(session, OPERATOR, enrolment_id=enrolment_id, completed=False)
    balances = ledger.balances(session, course.public_program, course.learner.id)
    assert balances == {"base": 15000, "bonus": 5000}
