"""Enrolling and paying: the split is shown first and confirmed as seen, the enrolment and
every program's hold are written together or not at all, completion pays the programs,
withdrawal and cancellation give everything back."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cairn.accounts import holds, ledger
from cairn.accounts.enums import HoldStatus
from cairn.accounts.errors import Overdraft, QuoteChanged
from cairn.accounts.ledger_models import Hold
from cairn.accounts.models import Participant
from cairn.accounts.pricing import Quote
from cairn.catalogue import enrolment_service, offerings
from cairn.catalogue.enums import EnrolmentStatus
from cairn.catalogue.offering_models import Enrolment
from cairn.kit.actor import Actor, Role, Scope
from cairn.kit.errors import Conflict, InsufficientScope, NotFound, PermissionDenied
from cairn.orgs.models import Person
from tests.factories.accounts import make_credit
from tests.factories.catalogue import FundedCourse, make_enrolment, make_funded_course
from tests.factories.orgs import actor, make_member, make_org


@pytest.fixture
def course(session: Session) -> FundedCourse:
    return make_funded_course(session)


def _learner(session: Session, course: FundedCourse) -> Actor:
    return actor(session, course.learner)


def _balances(session: Session, course: FundedCourse) -> dict[str, int]:
    found: dict[str, int] = {}
    for program in (course.public_program, course.employer_program):
        found.update(ledger.balances(session, program, course.learner.id))
    return found


def _rows(session: Session, course: FundedCourse) -> tuple[int, int]:
    enrolments = session.scalar(
        select(func.count())
        .select_from(Enrolment)
        .where(Enrolment.offering_id == course.offering.id)
    )
    held = session.scalar(
        select(func.count()).select_from(Hold).where(Hold.person_id == course.learner.id)
    )
    return enrolments or 0, held or 0


def _split(quote: Quote) -> list[tuple[str, str | None, int]]:
    return [(line.kind, line.tier, line.amount_minor) for line in quote.lines]


def test_the_split_is_shown_line_by_line_before_confirming(
    session: Session, course: FundedCourse
) -> None:
    preview = enrolment_service.quote(session, _learner(session, course), course.offering.id)
    assert _split(preview.quote) == [
        ("subsidy", None, 50000),
        ("credit", "bonus", 5000),
        ("credit", "base", 15000),
        ("credit", "allowance", 10000),
        ("matching", None, 10000),
    ]
    assert preview.quote.copay_minor == 10000
    assert all(line.explanation for line in preview.quote.lines)
    assert _rows(session, course) == (0, 0)


def test_confirming_the_split_seen_enrols_and_reserves_each_programs_share(
    session: Session, course: FundedCourse
) -> None:
    enrolment = make_enrolment(session, course.learner, course.offering)
    assert enrolment.status is EnrolmentStatus.ENROLLED
    assert (enrolment.subsidy_minor, enrolment.credit_minor, enrolment.employer_minor) == (
        50000,
        30000,
        10000,
    )
    assert enrolment.copay_minor == 10000
    assert len(enrolment.quote["lines"]) == 5
    placed = session.scalars(select(Hold).where(Hold.enrolment_id == enrolment.id)).all()
    assert sorted(hold.amount_minor for hold in placed) == [20000, 70000]
    assert _balances(session, course) == {"base": 0, "bonus": 0, "allowance": 0}


def test_a_changed_split_is_shown_again_and_nothing_is_reserved(
    session: Session, course: FundedCourse
) -> None:
    learner = _learner(session, course)
    seen = enrolment_service.quote(session, learner, course.offering.id).quote
    # More allowance arrives before the learner confirms.
    participant = session.scalars(
        select(Participant).where(
            Participant.program_id == course.employer_program.id,
            Participant.person_id == course.learner.id,
        )
    ).one()
    make_credit(session, participant, 4000, tier="allowance")

    with pytest.raises(QuoteChanged) as refused:
        enrolment_service.enrol(session, learner, course.offering.id, expected=seen)
    assert refused.value.quote.copay_minor == 8000
    assert _rows(session, course) == (0, 0)
    enrolment = enrolment_service.enrol(
        session, learner, course.offering.id, expected=refused.value.quote
    )
    assert enrolment.copay_minor == 8000


def test_a_failure_in_the_second_programs_hold_leaves_no_enrolment_and_no_hold(
    session: Session, course: FundedCourse, monkeypatch: pytest.MonkeyPatch
) -> None:
    learner = _learner(session, course)
    seen = enrolment_service.quote(session, learner, course.offering.id).quote
    real = holds.place_hold
    calls: list[Hold] = []

    def second_fails(*args: Any, **kwargs: Any) -> Hold:
        if calls:
            raise Overdraft("Not enough in the allowance.")
        calls.append(real(*args, **kwargs))
        return calls[-1]

    monkeypatch.setattr(holds, "place_hold", second_fails)
    with pytest.raises(Overdraft):
        enrolment_service.enrol(session, learner, course.offering.id, expected=seen)
    assert len(calls) == 1  # the public program's hold was placed, then undone
    assert _rows(session, course) == (0, 0)
    assert _balances(session, course) == {"base": 15000, "bonus": 5000, "allowance": 10000}


def test_one_place_per_learner_and_offering(session: Session, course: FundedCourse) -> None:
    make_enrolment(session, course.learner, course.offering)
    with pytest.raises(Conflict, match="You are already enrolled"):
        make_enrolment(session, course.learner, course.offering)


def test_full_closed_and_late_offerings_take_nobody(session: Session, course: FundedCourse) -> None:
    operator = Actor.operator()
    offering = course.offering
    other = make_member(session, course.employer, Role.LEARNER)
    offering.capacity = 1
    make_enrolment(session, other, offering)
    learner = _learner(session, course)
    with pytest.raises(Conflict, match="full"):
        enrolment_service.quote(session, learner, offering.id)
    offering.capacity = None
    offering.enrol_by = offering.starts_on.replace(day=1)
    with pytest.raises(Conflict, match="Enrolment closed on 2031-03-01"):
        enrolment_service.quote(session, learner, offering.id, on=offering.starts_on)
    offerings.close_offering(session, operator, offering.id)
    with pytest.raises(Conflict, match="not open"):
        enrolment_service.quote(session, learner, offering.id)


def test_completion_pays_and_cannot_then_be_withdrawn(
    session: Session, course: FundedCourse
) -> None:
    enrolment = make_enrolment(session, course.learner, course.offering)
    educator = actor(session, course.educator)
    enrolment_service.complete(session, educator, enrolment.id)
    assert enrolment.status is EnrolmentStatus.COMPLETED
    statuses = session.scalars(select(Hold.status).where(Hold.enrolment_id == enrolment.id))
    assert set(statuses) == {HoldStatus.CAPTURED}
    with pytest.raises(Conflict, match="completed enrolment cannot be withdrawn"):
        enrolment_service.withdraw(session, _learner(session, course), enrolment.id)
    with pytest.raises(Conflict, match="already completed"):
        enrolment_service.complete(session, educator, enrolment.id)


def test_withdrawing_gives_every_reservation_back(session: Session, course: FundedCourse) -> None:
    enrolment = make_enrolment(session, course.learner, course.offering)
    learner = _learner(session, course)
    enrolment_service.withdraw(session, learner, enrolment.id)
    assert enrolment.status is EnrolmentStatus.WITHDRAWN
    assert _balances(session, course) == {"base": 15000, "bonus": 5000, "allowance": 10000}
    with pytest.raises(Conflict, match="withdrawn"):
        enrolment_service.withdraw(session, learner, enrolment.id)
    again = make_enrolment(session, course.learner, course.offering)
    assert again.id != enrolment.id


def test_cancelling_an_offering_releases_every_hold(session: Session, course: FundedCourse) -> None:
    enrolment = make_enrolment(session, course.learner, course.offering)
    offerings.cancel_offering(session, actor(session, course.educator), course.offering.id)
    assert enrolment.status is EnrolmentStatus.WITHDRAWN
    statuses = session.scalars(select(Hold.status).where(Hold.enrolment_id == enrolment.id))
    assert set(statuses) == {HoldStatus.RELEASED}
    assert _balances(session, course) == {"base": 15000, "bonus": 5000, "allowance": 10000}


def test_who_may_complete_withdraw_and_see_an_enrolment(
    session: Session, course: FundedCourse
) -> None:
    enrolment = make_enrolment(session, course.learner, course.offering)
    learner = _learner(session, course)
    with pytest.raises(PermissionDenied, match="educators and registrars"):
        enrolment_service.complete(session, learner, enrolment.id)
    with pytest.raises(PermissionDenied, match="Only the learner"):
        enrolment_service.withdraw(session, actor(session, course.educator), enrolment.id)
    college_learner = actor(session, make_member(session, course.college, Role.LEARNER))
    with pytest.raises(PermissionDenied):
        enrolment_service.complete(session, college_learner, enrolment.id)
    elsewhere = actor(session, make_member(session, make_org(session), Role.EDUCATOR))
    with pytest.raises(NotFound):
        enrolment_service.complete(session, elsewhere, enrolment.id)
    with pytest.raises(NotFound):
        enrolment_service.get_enrolment(session, elsewhere, enrolment.id)
    assert (
        enrolment_service.get_enrolment(session, learner, enrolment.id).quote.copay_minor == 10000
    )


def test_api_tokens_need_the_accounts_scopes(session: Session, course: FundedCourse) -> None:
    learner = _learner(session, course)
    reader = replace(learner, scopes=frozenset({Scope.ACCOUNTS_READ, Scope.CATALOGUE_READ}))
    seen = enrolment_service.quote(session, reader, course.offering.id).quote
    with pytest.raises(InsufficientScope):
        enrolment_service.enrol(session, reader, course.offering.id, expected=seen)
    with pytest.raises(InsufficientScope):
        enrolment_service.quote(session, replace(learner, scopes=frozenset()), course.offering.id)


def test_my_enrolments_and_an_offerings_learners(session: Session, course: FundedCourse) -> None:
    enrolment = make_enrolment(session, course.learner, course.offering)
    [mine] = enrolment_service.my_enrolments(session, _learner(session, course))
    assert mine.enrolment.id == enrolment.id
    assert mine.offering.version.title == "Data analytics"
    view, learners = enrolment_service.offering_enrolments(
        session, actor(session, course.educator), course.offering.id
    )
    assert view.places_taken == 1
    assert [person.id for _, person in learners] == [course.learner.id]
    with pytest.raises(PermissionDenied):
        enrolment_service.offering_enrolments(
            session, _learner_of(session, course), view.offering.id
        )


def _learner_of(session: Session, course: FundedCourse) -> Actor:
    """A learner of the provider itself: a member without the role to manage offerings."""
    person: Person = make_member(session, course.college, Role.LEARNER)
    return actor(session, person)
