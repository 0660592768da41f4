"""Whatever sequence of grants, holds, settlements, expiries and bad postings a program sees,
the books hold: the audit finds nothing, every balance equals a model kept in plain Python,
and a program's balances sum to zero. Each example runs in a savepoint rolled back after it,
so examples share the test's database session without seeing each other."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cairn.accounts import holds, ledger
from cairn.accounts.audit import audit_ledger
from cairn.accounts.enums import AccountKind, HoldStatus, ReferenceKind, TransferKind
from cairn.accounts.errors import (
    BudgetExhausted,
    DuplicatePosting,
    HoldSettled,
    Overdraft,
    Unbalanced,
)
from cairn.accounts.ledger_models import Hold, LedgerAccount
from cairn.accounts.models import Program
from cairn.kit.errors import DomainError
from tests.factories.accounts import TEST_POSTER, make_participant, make_program

LEARNERS = 3
BUDGET = 20_000
DAY = date(2026, 3, 2)

Operation = tuple[str, int, int, int]
operations = st.one_of(
    st.tuples(
        st.just("grant"), st.integers(0, LEARNERS - 1), st.integers(1, 6_000), st.integers(0, 3)
    ),
    st.tuples(
        st.just("hold"), st.integers(0, LEARNERS - 1), st.integers(0, 6_000), st.integers(0, 4_000)
    ),
    st.tuples(
        st.sampled_from(["capture", "release", "refund"]),
        st.integers(0, 5),
        st.just(0),
        st.just(0),
    ),
    st.tuples(
        st.just("expire"), st.integers(0, LEARNERS - 1), st.integers(0, 3_000), st.integers(0, 1)
    ),
    st.tuples(st.just("bad"), st.integers(0, LEARNERS - 1), st.integers(1, 500), st.just(0)),
)


@dataclass
class Placed:
    hold: Hold
    learner: int
    credit: int
    subsidy: int
    settled: str = ""
    """How it was settled: "capture", "release", "refund", or "" while open."""


@dataclass
class Model:
    """What the ledger should say, worked out without it."""

    credit: list[int] = field(default_factory=lambda: [0] * LEARNERS)
    funding: int = 0
    subsidy: int = 0
    held: int = 0
    spent: int = 0
    expired: int = 0
    grants: dict[tuple[int, int], int] = field(default_factory=dict)
    expiries: dict[tuple[int, int], int] = field(default_factory=dict)
    holds: list[Placed] = field(default_factory=list)


@dataclass
class World:
    session: Session
    program: Program
    people: list[uuid.UUID]
    participants: list[uuid.UUID]
    model: Model = field(default_factory=Model)

    def credit(self, learner: int) -> LedgerAccount:
        return ledger.credit_account(self.session, self.program, self.people[learner], "base")

    def system(self, kind: AccountKind, purpose: str | None = None) -> LedgerAccount:
        return ledger.system_account(self.session, self.program, kind, purpose)


def expect(error: type[DomainError] | None, action: Callable[[], object]) -> bool:
    """Run ``action``; it must raise ``error`` (or nothing when None). True if it posted."""
    if error is None:
        action()
        return True
    with pytest.raises(error):
        action()
    return False


def grant(world: World, learner: int, amount: int, key: int) -> None:
    model = world.model
    before = model.grants.get((learner, key))
    if (
        expect(
            DuplicatePosting if before not in (None, amount) else None,
            lambda: ledger.grant(
                world.session,
                program=world.program,
                person_id=world.people[learner],
                tier="base",
                amount_minor=amount,
                grant_key=f"g{key}",
                granted_on=DAY,
                expires_on=None,
                by=TEST_POSTER,
                reason="Property test grant",
                participant_id=world.participants[learner],
            ),
        )
        and before is None
    ):
        model.grants[(learner, key)] = amount
        model.credit[learner] += amount
        model.funding -= amount


def place(world: World, learner: int, credit: int, subsidy: int) -> None:
    model = world.model
    error: type[DomainError] | None = None
    if credit + subsidy == 0:
        error = Unbalanced
    elif credit > model.credit[learner]:
        error = Overdraft
    elif BUDGET - model.held - model.spent < credit + subsidy:
        error = BudgetExhausted
    sources = [
        (world.credit(learner), credit),
        (world.system(AccountKind.FUNDING, "subsidy"), subsidy),
    ]
    placed: list[Hold] = []
    if expect(
        error,
        lambda: placed.append(
            holds.place_hold(
                world.session,
                program=world.program,
                person_id=world.people[learner],
                enrolment_id=uuid.uuid4(),
                by=TEST_POSTER,
                idempotency_key=f"hold-{uuid.uuid4()}",
                reason="Property test enrolment",
                sources=[(account, amount) for account, amount in sources if amount],
                budget_minor=BUDGET,
            )
        ),
    ):
        model.credit[learner] -= credit
        model.subsidy -= subsidy
        model.held += credit + subsidy
        model.holds.append(Placed(placed[0], learner, credit, subsidy))


SETTLE = {"capture": holds.capture, "release": holds.release, "refund": holds.refund}
OPEN_TO = {"capture": "", "release": "", "refund": "capture"}
"""The state a hold must be in for each settlement to post."""


def settle(world: World, how: str, index: int) -> None:
    model = world.model
    if not model.holds:
        return
    placed = model.holds[index % len(model.holds)]
    replay = placed.settled == how
    error = None if replay or placed.settled == OPEN_TO[how] else HoldSettled
    posted = expect(
        error, lambda: SETTLE[how](world.session, placed.hold, by=TEST_POSTER, reason=how)
    )
    if not posted or replay:
        return
    total = placed.credit + placed.subsidy
    if how == "capture":
        model.held -= total
        model.spent += total
    else:
        if how == "release":
            model.held -= total
        else:
            model.spent -= total
        model.credit[placed.learner] += placed.credit
        model.subsidy += placed.subsidy
    placed.settled = how


def lapse(world: World, learner: int, amount: int, day: int) -> None:
    model = world.model
    before = model.expiries.get((learner, day))
    if amount == 0:
        error: type[DomainError] | None = None
    elif before is not None:
        error = None if before == amount else DuplicatePosting
    else:
        error = Overdraft if amount > model.credit[learner] else None
    posted = expect(
        error,
        lambda: ledger.expire(
            world.session,
            program=world.program,
            account=world.credit(learner),
            amount_minor=amount,
            on=DAY + timedelta(days=day),
            by=TEST_POSTER,
        ),
    )
    if posted and amount and before is None:
        model.expiries[(learner, day)] = amount
        model.credit[learner] -= amount
        model.expired += amount


def bad_posting(world: World, learner: int, amount: int) -> None:
    with pytest.raises(Unbalanced):
        ledger.post(
            world.session,
            program=world.program,
            kind=TransferKind.ADJUSTMENT,
            idempotency_key=f"bad-{uuid.uuid4()}",
            by=TEST_POSTER,
            reason="Property test: must be refused",
            reference=(ReferenceKind.PROGRAM, world.program.id),
            effective_on=DAY,
            legs=[
                ledger.Leg(world.system(AccountKind.FUNDING), -amount),
                ledger.Leg(world.credit(learner), amount + 1),
            ],
        )


def check(world: World) -> None:
    model, session = world.model, world.session
    report = audit_ledger(session)
    assert report.violations == []
    assert [world.credit(i).balance_minor for i in range(LEARNERS)] == model.credit
    assert world.system(AccountKind.FUNDING).balance_minor == model.funding
    assert world.system(AccountKind.FUNDING, "subsidy").balance_minor == model.subsidy
    assert world.system(AccountKind.HELD).balance_minor == model.held
    assert world.system(AccountKind.SPENT).balance_minor == model.spent
    assert world.system(AccountKind.EXPIRED).balance_minor == model.expired
    total = session.scalar(
        select(func.sum(LedgerAccount.balance_minor)).where(
            LedgerAccount.program_id == world.program.id
        )
    )
    assert total == 0
    statuses = {"": HoldStatus.HELD, "capture": HoldStatus.CAPTURED}
    for placed in model.holds:
        assert placed.hold.status is statuses.get(placed.settled, HoldStatus.RELEASED)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(operations, max_size=14))
def test_any_sequence_of_postings_keeps_every_invariant(
    session: Session, steps: list[Operation]
) -> None:
    example = session.begin_nested()
    try:
        program = make_program(session, budget_minor=BUDGET)
        participants = [make_participant(session, program) for _ in range(LEARNERS)]
        world = World(
            session,
            program,
            [p.person_id for p in participants],
            [p.id for p in participants],
        )
        for name, first, second, third in steps:
            if name == "grant":
                grant(world, first, second, third)
            elif name == "hold":
                place(world, first, second, third)
            elif name == "expire":
                lapse(world, first, second, third)
            elif name == "bad":
                bad_posting(world, first, second)
            else:
                settle(world, name, first)
        check(world)
    finally:
        example.rollback()
