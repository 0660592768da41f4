"""The audit finds every kind of broken ledger, each named by the row at fault, and nothing
in a ledger kept by the posting services. Broken ledgers are made by inserting bad rows
(entries and transfers are append-only) and by changing the rows that may change."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from cairn.accounts import holds, ledger
from cairn.accounts.audit import AuditReport, Violation, ViolationCode, audit_ledger
from cairn.accounts.enums import AccountKind, HoldStatus, ReferenceKind, TransferKind
from cairn.accounts.ledger_models import CreditLot, Entry, Hold, LedgerAccount, Transfer
from cairn.accounts.models import Program
from tests.factories.accounts import (
    TEST_POSTER,
    make_credit,
    make_participant,
    make_program,
    simple_rules,
)

ON = date(2026, 3, 2)


def busy_program(session: Session) -> tuple[Program, Hold]:
    """A program with a grant, an open hold, a captured one and an expiry: a clean ledger."""
    program = make_program(session, budget_minor=1_000_000)
    participant = make_participant(session, program)
    make_credit(session, participant, 30_000)
    credit = ledger.credit_account(session, program, participant.person_id, "base")
    subsidy = ledger.system_account(session, program, AccountKind.FUNDING, "subsidy")
    placed = [
        holds.place_hold(
            session,
            program=program,
            person_id=participant.person_id,
            enrolment_id=uuid.uuid4(),
            by=TEST_POSTER,
            idempotency_key=f"enrol-{program.id}-{number}",
            reason="Enrolled",
            sources=[(credit, 5_000), (subsidy, 2_000)],
            budget_minor=program.budget_minor,
        )
        for number in range(2)
    ]
    holds.capture(session, placed[1], by=TEST_POSTER, reason="Completed")
    ledger.expire(
        session, program=program, account=credit, amount_minor=1_000, on=ON, by=TEST_POSTER
    )
    return program, placed[0]


def raw_transfer(
    session: Session,
    program: Program,
    entries: list[tuple[LedgerAccount, int]],
    *,
    keep_balances: bool = True,
    fields: dict[str, object] | None = None,
) -> Transfer:
    """A transfer inserted as it stands, with no check, cached balances kept in step unless
    told otherwise."""
    values: dict[str, object] = {
        "program_id": program.id,
        "kind": TransferKind.ADJUSTMENT,
        "idempotency_key": f"raw-{uuid.uuid4()}",
        "actor_label": "tests",
        "reason": "Inserted by a test",
        "reference_kind": ReferenceKind.PROGRAM,
        "reference_id": program.id,
        "effective_on": ON,
        **(fields or {}),
    }
    transfer = Transfer(**values)
    session.add(transfer)
    session.flush()
    for account, amount in entries:
        session.add(Entry(transfer_id=transfer.id, account_id=account.id, amount_minor=amount))
        if keep_balances:
            account.balance_minor += amount
    session.flush()
    return transfer


def codes(report: AuditReport) -> list[ViolationCode]:
    return sorted(violation.code for violation in report.violations)


def only(report: AuditReport, code: ViolationCode) -> Violation:
    assert codes(report) == [code], report.violations
    return report.violations[0]


def test_a_ledger_kept_by_the_services_is_clean_and_counted(session: Session) -> None:
    busy_program(session)

    report = audit_ledger(session)

    assert report.violations == []
    assert report.clean
    assert report.transfers_checked >= 5
    assert report.entries_checked >= 11
    assert report.accounts_checked >= 6


def test_a_transfer_that_does_not_sum_to_zero_or_has_one_entry_is_found(
    session: Session,
) -> None:
    program, _ = busy_program(session)
    spent = ledger.system_account(session, program, AccountKind.SPENT)

    lopsided = raw_transfer(session, program, [(spent, 100)])

    violation = only(audit_ledger(session), ViolationCode.UNBALANCED)
    assert violation.transfer_id == lopsided.id
    assert "summing to 100" in violation.message


def test_a_cached_balance_that_differs_from_its_entries_is_found(session: Session) -> None:
    program, _ = busy_program(session)
    spent = ledger.system_account(session, program, AccountKind.SPENT)
    session.execute(
        update(LedgerAccount).where(LedgerAccount.id == spent.id).values(balance_minor=1)
    )

    violation = only(audit_ledger(session), ViolationCode.STALE_BALANCE)
    assert violation.account_id == spent.id
    assert "sum to 7000" in violation.message


def test_entries_taking_an_account_below_zero_are_found(session: Session) -> None:
    program, _ = busy_program(session)
    expired = ledger.system_account(session, program, AccountKind.EXPIRED)
    funding = ledger.system_account(session, program, AccountKind.FUNDING)
    # The database's check refuses a negative cached balance: only the entries go below zero.
    raw_transfer(session, program, [(funding, 1_500), (expired, -1_500)], keep_balances=False)
    funding.balance_minor += 1_500
    session.flush()

    report = audit_ledger(session)

    assert codes(report) == [ViolationCode.NEGATIVE_BALANCE, ViolationCode.STALE_BALANCE]
    negative = next(v for v in report.violations if v.code is ViolationCode.NEGATIVE_BALANCE)
    assert negative.account_id == expired.id
    assert "below zero: -500" in negative.message


def test_an_entry_on_another_programs_account_is_found(session: Session) -> None:
    program, _ = busy_program(session)
    other = make_program(session, rules=simple_rules("CAD"))
    funding = ledger.system_account(session, program, AccountKind.FUNDING)
    foreign = ledger.system_account(session, other, AccountKind.SPENT)

    moved = raw_transfer(session, program, [(funding, -300), (foreign, 300)])

    violation = only(audit_ledger(session), ViolationCode.FOREIGN_ACCOUNT)
    assert (violation.transfer_id, violation.account_id) == (moved.id, foreign.id)


@pytest.mark.parametrize("missing", ["actor_label", "reason"])
def test_a_transfer_that_does_not_say_who_or_why_is_found(session: Session, missing: str) -> None:
    program, _ = busy_program(session)
    funding = ledger.system_account(session, program, AccountKind.FUNDING)
    spent = ledger.system_account(session, program, AccountKind.SPENT)

    silent = raw_transfer(session, program, [(funding, -5), (spent, 5)], fields={missing: "  "})

    assert only(audit_ledger(session), ViolationCode.MISSING_TRAIL).transfer_id == silent.id


def test_held_money_that_open_holds_do_not_account_for_is_found(session: Session) -> None:
    program, hold = busy_program(session)
    session.add(
        Hold(
            program_id=program.id,
            person_id=hold.person_id,
            enrolment_id=uuid.uuid4(),
            amount_minor=hold.amount_minor,
            hold_transfer_id=hold.hold_transfer_id,
        )
    )
    session.flush()

    violation = only(audit_ledger(session), ViolationCode.HELD_MISMATCH)
    assert violation.program_id == program.id
    assert "open reservations total 14000" in violation.message


def test_open_holds_in_a_program_without_a_held_account_are_found(session: Session) -> None:
    _, hold = busy_program(session)
    other = make_program(session)
    session.add(
        Hold(
            program_id=other.id,
            person_id=hold.person_id,
            enrolment_id=uuid.uuid4(),
            amount_minor=10,
            hold_transfer_id=hold.hold_transfer_id,
        )
    )
    session.flush()

    report = audit_ledger(session)

    assert codes(report) == [ViolationCode.HELD_MISMATCH, ViolationCode.HOLD_MISMATCH]
    held = next(v for v in report.violations if v.code is ViolationCode.HELD_MISMATCH)
    assert (held.program_id, held.account_id) == (other.id, None)


def test_a_hold_whose_status_or_amount_disagrees_with_its_transfers_is_found(
    session: Session,
) -> None:
    program, hold = busy_program(session)
    captured = session.scalars(
        select(Hold.id).where(Hold.program_id == program.id, Hold.status == HoldStatus.CAPTURED)
    ).one()
    session.execute(update(Hold).where(Hold.id == captured).values(status=HoldStatus.RELEASED))

    violation = only(audit_ledger(session), ViolationCode.HOLD_MISMATCH)
    assert violation.hold_id == captured
    assert "status" in violation.message

    session.execute(update(Hold).where(Hold.id == captured).values(status=HoldStatus.CAPTURED))
    session.execute(
        update(Hold).where(Hold.id == hold.id).values(settle_transfer_id=hold.hold_transfer_id)
    )
    assert only(audit_ledger(session), ViolationCode.HOLD_MISMATCH).hold_id == hold.id


def test_a_hold_whose_amount_differs_from_what_its_transfer_held_is_found(
    session: Session,
) -> None:
    _, hold = busy_program(session)
    session.execute(update(Hold).where(Hold.id == hold.id).values(amount_minor=1))

    report = audit_ledger(session)

    assert codes(report) == [ViolationCode.HELD_MISMATCH, ViolationCode.HOLD_MISMATCH]
    mismatch = next(v for v in report.violations if v.code is ViolationCode.HOLD_MISMATCH)
    assert mismatch.hold_id == hold.id
    assert "hold transfer" in mismatch.message


def test_a_credit_lot_without_its_grant_is_found(session: Session) -> None:
    _, hold = busy_program(session)
    credit = session.get_one(LedgerAccount, hold_source_account(session, hold))
    lot = CreditLot(
        account_id=credit.id,
        transfer_id=hold.hold_transfer_id,
        grant_key="made-up",
        amount_minor=5_000,
        granted_on=ON,
    )
    session.add(lot)
    session.flush()

    assert only(audit_ledger(session), ViolationCode.LOT_WITHOUT_GRANT).lot_id == lot.id


def hold_source_account(session: Session, hold: Hold) -> uuid.UUID:
    return session.scalars(
        select(Entry.account_id).where(
            Entry.transfer_id == hold.hold_transfer_id, Entry.amount_minor == -5_000
        )
    ).one()


def test_a_repeated_idempotency_key_is_found(session: Session) -> None:
    if session.get_bind().dialect.name == "sqlite":
        pytest.skip("SQLite cannot drop the unique index that stops it inside a transaction")
    program, _ = busy_program(session)
    session.execute(
        text("ALTER TABLE ledger_transfers DROP CONSTRAINT uq_ledger_transfers_idempotency_key")
    )
    funding = ledger.system_account(session, program, AccountKind.FUNDING)
    spent = ledger.system_account(session, program, AccountKind.SPENT)
    for _ in range(2):
        raw_transfer(
            session, program, [(funding, -5), (spent, 5)], fields={"idempotency_key": "twice"}
        )

    violation = only(audit_ledger(session), ViolationCode.REPEATED_KEY)
    assert "“twice” was used by 2 transfers" in violation.message
