"""The daily run: birthday and yearly grants on their day, expired credit lapsed the day
after its last day (what is left of it), and a second run on the same day posts nothing."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cairn.accounts import ledger, participation, scheduling
from cairn.accounts.enums import AccountKind, ProgramStatus, ReferenceKind, TransferKind
from cairn.accounts.ledger import Leg
from cairn.accounts.ledger_models import Transfer
from cairn.accounts.models import Program
from cairn.kit.actor import Actor, Role, Scope
from cairn.kit.errors import InsufficientScope, NotFound, PermissionDenied
from cairn.orgs.enums import OrgKind
from tests.factories.accounts import (
    TEST_POSTER,
    example_document,
    make_facts,
    make_program,
    make_program_admin,
)
from tests.factories.orgs import actor, make_member, make_org, make_person

OPERATOR = Actor.operator()


def transfers(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Transfer)) or 0


def join_skillsfuture(session: Session, born: date, on: date) -> tuple[Program, Actor]:
    program = make_program(session, rules=example_document("skillsfuture"))
    learner = make_person(session)
    make_facts(session, learner, birth_date=born)
    me = actor(session, learner)
    participation.join(session, me, program.id, consent=True, on=on)
    return program, me


def test_the_mid_career_credit_comes_on_the_40th_birthday_once(session: Session) -> None:
    program, learner = join_skillsfuture(session, date(1986, 6, 15), date(2026, 1, 5))
    assert ledger.balances(session, program, learner.person_id) == {"base": 50_000}

    eve = scheduling.run(session, OPERATOR, as_of=date(2026, 6, 14), program_id=program.id)
    birthday = scheduling.run(session, OPERATOR, as_of=date(2026, 6, 15), program_id=program.id)
    posted = transfers(session)
    again = scheduling.run(session, OPERATOR, as_of=date(2026, 6, 15))

    assert (eve.participants, eve.grants, eve.expiries) == (1, 0, 0)
    assert (birthday.grants, birthday.expiries) == (1, 0)
    assert (again.grants, again.expiries) == (0, 0)
    assert transfers(session) == posted
    assert ledger.balances(session, program, learner.person_id) == {
        "base": 50_000,
        "mid-career": 400_000,
    }
    grant = session.scalars(
        select(Transfer).where(Transfer.kind == TransferKind.GRANT).order_by(Transfer.effective_on)
    ).all()[-1]
    assert grant.effective_on == date(2026, 6, 15)


def test_what_is_left_of_the_2020_top_up_lapses_on_1_january_2026(session: Session) -> None:
    program, learner = join_skillsfuture(session, date(1990, 1, 1), date(2025, 6, 1))
    assert ledger.balances(session, program, learner.person_id) == {
        "base": 50_000,
        "topup-2020": 50_000,
    }
    top_up = ledger.credit_account(session, program, learner.person_id, "topup-2020")
    ledger.post(
        session,
        program=program,
        kind=TransferKind.HOLD,
        idempotency_key="spent-part-of-the-top-up",
        by=TEST_POSTER,
        reason="A course",
        reference=(ReferenceKind.PROGRAM, program.id),
        effective_on=date(2025, 9, 1),
        legs=[
            Leg(top_up, -20_000),
            Leg(ledger.system_account(session, program, AccountKind.HELD), 20_000),
        ],
    )

    last_day = scheduling.run(session, OPERATOR, as_of=date(2025, 12, 31))
    lapsed = scheduling.run(session, OPERATOR, as_of=date(2026, 1, 1))
    later = scheduling.run(session, OPERATOR, as_of=date(2026, 1, 2))

    assert (last_day.expiries, lapsed.expiries, later.expiries) == (0, 1, 0)
    assert ledger.balances(session, program, learner.person_id) == {
        "base": 50_000,
        "topup-2020": 0,
    }
    expired = ledger.system_account(session, program, AccountKind.EXPIRED)
    assert expired.balance_minor == 30_000


def test_the_employer_allowance_comes_every_january_and_lapses_on_31_december(
    session: Session,
) -> None:
    employer = make_org(session, kind=OrgKind.EMPLOYER)
    program = make_program(session, org=employer, rules=example_document("employer_matching"))
    employee = make_member(session, employer, Role.LEARNER)
    participation.join(
        session, actor(session, employee), program.id, consent=True, on=date(2026, 3, 1)
    )
    allowance = ledger.credit_account(session, program, employee.id, "allowance")
    ledger.post(
        session,
        program=program,
        kind=TransferKind.HOLD,
        idempotency_key="a-course-in-2026",
        by=TEST_POSTER,
        reason="A course",
        reference=(ReferenceKind.PROGRAM, program.id),
        effective_on=date(2026, 5, 1),
        legs=[
            Leg(allowance, -40_000),
            Leg(ledger.system_account(session, program, AccountKind.HELD), 40_000),
        ],
    )

    december = scheduling.run(session, OPERATOR, as_of=date(2026, 12, 31))
    new_year = scheduling.run(session, OPERATOR, as_of=date(2027, 1, 1))

    assert (december.grants, december.expiries) == (0, 0)
    assert (new_year.grants, new_year.expiries) == (1, 1)
    assert allowance.balance_minor == 100_000
    assert ledger.system_account(session, program, AccountKind.EXPIRED).balance_minor == 60_000


def test_only_the_platform_runs_every_program_and_admins_run_their_own(session: Session) -> None:
    program = make_program(session, rules=example_document("skillsfuture"))
    admin = actor(session, make_program_admin(session, program))
    stranger = actor(session, make_member(session, make_org(session), Role.PROGRAM_ADMIN))
    read_only = dataclasses.replace(admin, scopes=frozenset({Scope.ACCOUNTS_READ}))
    day = date(2026, 1, 1)

    assert scheduling.run(session, admin, as_of=day, program_id=program.id).programs == 1
    with pytest.raises(PermissionDenied):
        scheduling.run(session, admin, as_of=day)
    with pytest.raises(NotFound):
        scheduling.run(session, stranger, as_of=day, program_id=program.id)
    with pytest.raises(InsufficientScope):
        scheduling.run(session, read_only, as_of=day, program_id=program.id)


def test_a_program_that_is_not_open_grants_nothing_and_lapses_nothing(session: Session) -> None:
    program, learner = join_skillsfuture(session, date(1986, 6, 15), date(2026, 1, 5))
    program.status = ProgramStatus.CLOSED
    posted = transfers(session)

    everyone = scheduling.run(session, OPERATOR, as_of=date(2026, 6, 15))
    named = scheduling.run(session, OPERATOR, as_of=date(2026, 6, 15), program_id=program.id)

    for report in (everyone, named):
        assert (report.programs, report.grants, report.expiries) == (0, 0, 0)
    assert transfers(session) == posted
    assert ledger.balances(session, program, learner.person_id) == {"base": 50_000}
