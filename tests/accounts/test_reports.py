"""What programs and learners read: the dashboard's budget, commitments and spend; balances
by tier with what expires when; a monthly statement that adds up; the finance CSV."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date

import pytest
from sqlalchemy.orm import Session

from cairn.accounts import holds, ledger, reports, scheduling
from cairn.accounts.ledger_models import CreditLot, Hold, LedgerAccount
from cairn.accounts.models import Participant, Program
from cairn.accounts.money import format_money
from cairn.kit.actor import Actor, Role
from cairn.kit.clock import utcnow
from cairn.kit.errors import InvalidInput, NotFound
from cairn.orgs.models import Person
from tests.factories.accounts import (
    TEST_POSTER,
    make_credit,
    make_participant,
    make_program,
    make_program_admin,
    simple_rules,
)
from tests.factories.orgs import actor, make_member, make_org, make_person


def two_tiers(session: Session) -> tuple[Program, Participant]:
    rules = simple_rules("SGD", ("topup", "base"))
    rules["tiers"][0]["expiry"] = {"on": "2026-12-31"}
    program = make_program(session, rules=rules, budget_minor=1_000_000, name="SkillsFuture")
    participant = make_participant(session, program, joined_on=date(2026, 1, 5))
    make_credit(session, participant, 50_000, tier="base", granted_on=date(2026, 1, 5))
    make_credit(
        session,
        participant,
        30_000,
        tier="topup",
        granted_on=date(2026, 2, 10),
        expires_on=date(2026, 12, 31),
    )
    return program, participant


def hold(session: Session, program: Program, account: LedgerAccount, amount: int) -> None:
    holds.place_hold(
        session,
        program=program,
        person_id=account.person_id or uuid.uuid4(),
        enrolment_id=uuid.uuid4(),
        by=TEST_POSTER,
        idempotency_key=f"hold-{uuid.uuid4()}",
        reason="Wound care essentials",
        sources=[(account, amount)],
        budget_minor=program.budget_minor,
    )


def test_the_dashboard_shows_budget_commitments_spend_and_tiers(session: Session) -> None:
    program, participant = two_tiers(session)
    base = ledger.credit_account(session, program, participant.person_id, "base")
    hold(session, program, base, 10_000)
    hold(session, program, base, 5_000)
    [first, _] = sorted(
        (h for h in session.query(Hold).filter_by(program_id=program.id)),
        key=lambda h: h.amount_minor,
        reverse=True,
    )
    holds.capture(session, first, by=TEST_POSTER, reason="Completed")
    admin = actor(session, make_program_admin(session, program))

    board = reports.program_dashboard(session, admin, program.id)

    assert (board.committed_minor, board.spent_minor, board.budget_left_minor) == (
        5_000,
        10_000,
        985_000,
    )
    assert (board.credit_outstanding_minor, board.expired_minor, board.participants) == (
        65_000,
        0,
        1,
    )
    assert [(t.code, t.granted_minor, t.outstanding_minor) for t in board.tiers] == [
        ("topup", 30_000, 30_000),
        ("base", 50_000, 35_000),
    ]
    assert [person.id for _, person in reports.participants(session, admin, program.id)] == [
        participant.person_id
    ]


def test_balances_say_what_expires_when(session: Session) -> None:
    program, participant = two_tiers(session)
    learner = actor(session, session.get_one(Person, participant.person_id))

    [account] = reports.balances(session, learner)

    assert account.program.id == program.id
    assert account.total_minor == 80_000
    assert [(t.code, t.balance_minor, t.expiring) for t in account.tiers] == [
        ("topup", 30_000, [(30_000, date(2026, 12, 31))]),
        ("base", 50_000, []),
    ]


def test_the_earliest_expiring_credit_is_counted_as_spent_first() -> None:
    lots = [
        CreditLot(amount_minor=100, expires_on=date(2026, 6, 30)),
        CreditLot(amount_minor=100, expires_on=date(2026, 12, 31)),
        CreditLot(amount_minor=100, expires_on=None),
    ]

    assert reports.expiring_parts(lots, 250) == [(50, date(2026, 6, 30)), (100, date(2026, 12, 31))]
    assert reports.expiring_parts(lots, 120) == [(20, date(2026, 12, 31))]


def test_a_monthly_statement_adds_up_and_an_empty_month_says_so(session: Session) -> None:
    program, participant = two_tiers(session)
    learner = actor(session, session.get_one(Person, participant.person_id))
    scheduling.run(session, Actor.operator(), as_of=date(2027, 1, 1))

    february = reports.statement(session, learner, month=date(2026, 2, 1))
    january_2027 = reports.statement(session, learner, month=reports.parse_month("2027-01"))
    march = reports.statement(session, learner, month=date(2026, 3, 1), program_id=program.id)

    [feb] = february.programs
    assert [(t.code, t.opening_minor, t.closing_minor) for t in feb.tiers] == [
        ("topup", 0, 30_000),
        ("base", 50_000, 50_000),
    ]
    assert [line.description for line in feb.tiers[0].lines] == [
        "Credit granted: Granted for a test"
    ]
    assert not february.empty
    assert march.empty
    [jan] = january_2027.programs
    assert [line.amount_minor for line in jan.tiers[0].lines] == [-30_000]
    assert jan.tiers[0].lines[0].description.startswith("Credit expired: ")
    assert reports.parse_month(None) == utcnow().date().replace(day=1)
    with pytest.raises(InvalidInput) as wrong:
        reports.parse_month("2026-13")
    assert [e.field for e in wrong.value.field_errors] == ["month"]


def test_statements_are_for_the_learner_and_their_programs_admins_only(session: Session) -> None:
    program, participant = two_tiers(session)
    admin = actor(session, make_program_admin(session, program))
    stranger = actor(session, make_member(session, make_org(session), Role.PROGRAM_ADMIN))
    other_learner = actor(session, make_person(session))

    seen = reports.statement(
        session, admin, person_id=participant.person_id, month=date(2026, 2, 1)
    )

    assert seen.person.id == participant.person_id
    for outsider in (stranger, other_learner):
        with pytest.raises(NotFound):
            reports.balances(session, outsider, person_id=participant.person_id)
    with pytest.raises(NotFound):
        reports.balances(session, Actor.operator(), person_id=uuid.uuid4())
    with pytest.raises(NotFound):
        reports.statement(
            session,
            admin,
            person_id=participant.person_id,
            month=date(2026, 2, 1),
            program_id=uuid.uuid4(),
        )


def test_the_finance_csv_lists_every_entry_with_stable_headers(session: Session) -> None:
    program, _ = two_tiers(session)
    admin = actor(session, make_program_admin(session, program))

    text = reports.finance_csv(
        session, admin, program.id, start=date(2026, 2, 1), end=date(2026, 2, 28)
    )
    everything = reports.finance_csv(
        session, admin, program.id, start=date(2026, 1, 1), end=date(2026, 12, 31)
    )

    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == reports.CSV_HEADERS
    assert [(r["kind"], r["account_kind"], r["amount_minor"], r["amount"]) for r in rows] == [
        ("grant", "learner_credit", "30000", format_money(30_000, "SGD")),
        ("grant", "funding", "-30000", format_money(-30_000, "SGD")),
    ]
    assert rows[0]["posted_by"] == "tests"
    assert rows[0]["reference_kind"] == "grant"
    assert len(list(csv.DictReader(io.StringIO(everything)))) == 4
    with pytest.raises(InvalidInput):
        reports.finance_csv(
            session, admin, program.id, start=date(2026, 2, 1), end=date(2026, 1, 1)
        )
    learner = actor(session, make_member(session, make_org(session), Role.LEARNER))
    with pytest.raises(NotFound):
        reports.finance_csv(
            session, learner, program.id, start=date(2026, 1, 1), end=date(2026, 1, 2)
        )
