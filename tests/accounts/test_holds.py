"""Reserving credit for an enrolment: paid at completion, returned on withdrawal to each
account it came from, settled once however often it is asked, and never past the budget."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from cairn.accounts import holds, ledger
from cairn.accounts.enums import AccountKind, HoldStatus, TransferKind
from cairn.accounts.errors import BudgetExhausted, HoldSettled, Overdraft, Unbalanced
from cairn.accounts.ledger_models import Hold, LedgerAccount
from cairn.accounts.models import Program
from tests.factories.accounts import (
    TEST_POSTER,
    make_credit,
    make_participant,
    make_program,
    simple_rules,
)


@dataclass
class Learner:
    program: Program
    person_id: uuid.UUID
    base: LedgerAccount
    subsidy: LedgerAccount


def learner_with_credit(session: Session, *, budget_minor: int | None = None) -> Learner:
    program = make_program(session, rules=simple_rules(), budget_minor=budget_minor)
    participant = make_participant(session, program)
    make_credit(session, participant, 30_000)
    return Learner(
        program,
        participant.person_id,
        ledger.credit_account(session, program, participant.person_id, "base"),
        ledger.system_account(session, program, AccountKind.FUNDING, "subsidy"),
    )


def hold_for(
    session: Session,
    learner: Learner,
    *,
    credit: int = 20_000,
    subsidy: int = 5_000,
    key: str = "enrol-1",
    budget_minor: int | None = None,
) -> Hold:
    sources = [(learner.base, credit), (learner.subsidy, subsidy)]
    return holds.place_hold(
        session,
        program=learner.program,
        person_id=learner.person_id,
        enrolment_id=uuid.uuid5(uuid.NAMESPACE_URL, key),
        by=TEST_POSTER,
        idempotency_key=key,
        reason="Enrolled in Wound care essentials",
        sources=[source for source in sources if source[1]],
        budget_minor=budget_minor,
    )


def balance(session: Session, program: Program, kind: AccountKind) -> int:
    return ledger.system_account(session, program, kind).balance_minor


def test_a_hold_reserves_credit_and_subsidy_and_capture_pays_it(session: Session) -> None:
    learner = learner_with_credit(session)

    hold = hold_for(session, learner)

    assert (hold.status, hold.amount_minor) == (HoldStatus.HELD, 25_000)
    assert learner.base.balance_minor == 10_000
    assert learner.subsidy.balance_minor == -5_000
    assert balance(session, learner.program, AccountKind.HELD) == 25_000

    paid = holds.capture(session, hold, by=TEST_POSTER, reason="Completed")

    assert paid.kind is TransferKind.CAPTURE
    assert (hold.status, hold.settle_transfer_id) == (HoldStatus.CAPTURED, paid.id)
    assert hold.settled_at is not None
    assert balance(session, learner.program, AccountKind.HELD) == 0
    assert balance(session, learner.program, AccountKind.SPENT) == 25_000


def test_a_release_returns_each_amount_to_where_it_came_from(session: Session) -> None:
    learner = learner_with_credit(session)
    hold = hold_for(session, learner)

    returned = holds.release(session, hold, by=TEST_POSTER, reason="Withdrew")

    assert returned.kind is TransferKind.RELEASE
    assert hold.status is HoldStatus.RELEASED
    assert learner.base.balance_minor == 30_000
    assert learner.subsidy.balance_minor == 0
    assert balance(session, learner.program, AccountKind.HELD) == 0
    assert holds.release(session, hold, by=TEST_POSTER, reason="Withdrew").id == returned.id


def test_a_double_capture_posts_once(session: Session) -> None:
    learner = learner_with_credit(session)
    hold = hold_for(session, learner)

    first = holds.capture(session, hold, by=TEST_POSTER, reason="Completed")
    second = holds.capture(session, hold, by=TEST_POSTER, reason="Completed, again")

    assert second.id == first.id
    assert balance(session, learner.program, AccountKind.SPENT) == 25_000


def test_capture_after_release_and_release_after_capture_are_refused(session: Session) -> None:
    learner = learner_with_credit(session)
    released = hold_for(session, learner, key="enrol-1")
    captured = hold_for(session, learner, key="enrol-2", credit=5_000, subsidy=0)
    holds.release(session, released, by=TEST_POSTER, reason="Withdrew")
    holds.capture(session, captured, by=TEST_POSTER, reason="Completed")

    with pytest.raises(HoldSettled, match="already released"):
        holds.capture(session, released, by=TEST_POSTER, reason="Completed")
    with pytest.raises(HoldSettled, match="refund it instead"):
        holds.release(session, captured, by=TEST_POSTER, reason="Withdrew")
    with pytest.raises(HoldSettled, match="Only a paid reservation"):
        holds.refund(session, released, by=TEST_POSTER, reason="Refund")

    assert balance(session, learner.program, AccountKind.SPENT) == 5_000


def test_a_refund_returns_a_paid_hold_to_its_sources_once(session: Session) -> None:
    learner = learner_with_credit(session)
    hold = hold_for(session, learner)
    holds.capture(session, hold, by=TEST_POSTER, reason="Completed")

    refunded = holds.refund(session, hold, by=TEST_POSTER, reason="Course cancelled")
    again = holds.refund(session, hold, by=TEST_POSTER, reason="Course cancelled")

    assert again.id == refunded.id
    assert refunded.kind is TransferKind.REFUND
    assert hold.status is HoldStatus.RELEASED
    assert (learner.base.balance_minor, learner.subsidy.balance_minor) == (30_000, 0)
    assert balance(session, learner.program, AccountKind.SPENT) == 0
    with pytest.raises(HoldSettled):
        holds.capture(session, hold, by=TEST_POSTER, reason="Completed")


def test_placing_the_same_hold_twice_reserves_once(session: Session) -> None:
    learner = learner_with_credit(session)

    first = hold_for(session, learner)
    again = hold_for(session, learner)

    assert again.id == first.id
    assert learner.base.balance_minor == 10_000


def test_replaying_a_hold_that_took_all_the_credit_returns_it_instead_of_an_overdraft(
    session: Session,
) -> None:
    learner = learner_with_credit(session)

    first = hold_for(session, learner, credit=30_000)
    again = hold_for(session, learner, credit=30_000)

    assert again.id == first.id
    assert learner.base.balance_minor == 0


def test_replaying_a_hold_that_took_the_last_of_the_budget_returns_it(session: Session) -> None:
    learner = learner_with_credit(session)

    first = hold_for(session, learner, credit=10_000, subsidy=5_000, budget_minor=15_000)
    again = hold_for(session, learner, credit=10_000, subsidy=5_000, budget_minor=15_000)

    assert again.id == first.id
    assert balance(session, learner.program, AccountKind.HELD) == 15_000


def test_a_hold_past_the_credit_is_an_overdraft(session: Session) -> None:
    learner = learner_with_credit(session)

    with pytest.raises(Overdraft, match="base credit"):
        hold_for(session, learner, credit=30_001)

    assert balance(session, learner.program, AccountKind.HELD) == 0


def test_a_hold_past_the_budget_is_refused_counting_held_and_spent(session: Session) -> None:
    learner = learner_with_credit(session)
    paid = hold_for(session, learner, key="enrol-1", credit=10_000, subsidy=0, budget_minor=30_000)
    holds.capture(session, paid, by=TEST_POSTER, reason="Completed")
    hold_for(session, learner, key="enrol-2", credit=10_000, subsidy=5_000, budget_minor=30_000)

    with pytest.raises(BudgetExhausted, match=r"SGD50\.00 of its budget left"):
        hold_for(session, learner, key="enrol-3", credit=0, subsidy=5_001, budget_minor=30_000)

    last = hold_for(session, learner, key="enrol-4", credit=0, subsidy=5_000, budget_minor=30_000)
    assert last.amount_minor == 5_000


def test_a_hold_must_take_something_from_each_source(session: Session) -> None:
    learner = learner_with_credit(session)

    with pytest.raises(Unbalanced):
        hold_for(session, learner, credit=0, subsidy=0)
