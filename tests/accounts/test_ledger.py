"""Posting to the ledger: balanced transfers only, no overdraft, each key posted once, and
history the database itself will not let anyone rewrite."""

from __future__ import annotations

import uuid
from datetime import date

import httpx
import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from cairn.accounts import ledger, ledger_repository
from cairn.accounts.enums import AccountKind, ReferenceKind, TransferKind
from cairn.accounts.errors import (
    AccountMismatch,
    DuplicatePosting,
    Overdraft,
    Unbalanced,
    problem_types,
)
from cairn.accounts.ledger import Leg
from cairn.accounts.ledger_models import Entry, LedgerAccount, Transfer
from cairn.accounts.models import Program
from cairn.kit.actor import Actor
from tests.factories.accounts import (
    TEST_POSTER,
    make_credit,
    make_participant,
    make_program,
    simple_rules,
)
from tests.factories.orgs import actor, make_person

ON = date(2026, 3, 2)


def entry_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Entry)) or 0


def adjust(session: Session, program: Program, key: str, legs: list[Leg]) -> Transfer:
    return ledger.post(
        session,
        program=program,
        kind=TransferKind.ADJUSTMENT,
        idempotency_key=key,
        by=TEST_POSTER,
        reason="Correction agreed with finance",
        reference=(ReferenceKind.PROGRAM, program.id),
        effective_on=ON,
        legs=legs,
    )


def test_a_balanced_posting_moves_balances_and_records_who_why_and_what(
    session: Session,
) -> None:
    program = make_program(session)
    person = make_person(session, name="Alex Tan")
    funding = ledger.system_account(session, program, AccountKind.FUNDING)
    credit = ledger.credit_account(session, program, person.id, "base")

    posted = ledger.post(
        session,
        program=program,
        kind=TransferKind.ADJUSTMENT,
        idempotency_key="adjust-1",
        by=ledger.posted_by(actor(session, person)),
        reason="Correction agreed with finance",
        reference=(ReferenceKind.PROGRAM, program.id),
        effective_on=ON,
        legs=[Leg(funding, -2500), Leg(credit, 2500)],
    )

    assert (funding.balance_minor, credit.balance_minor) == (-2500, 2500)
    assert ledger.balances(session, program, person.id) == {"base": 2500}
    assert (posted.actor_id, posted.actor_label) == (person.id, person.email)
    assert (posted.reason, posted.reference_id, posted.effective_on) == (
        "Correction agreed with finance",
        program.id,
        ON,
    )
    amounts = session.scalars(
        select(Entry.amount_minor)
        .where(Entry.transfer_id == posted.id)
        .order_by(Entry.amount_minor)
    ).all()
    assert amounts == [-2500, 2500]


def test_the_operator_posts_as_nobody_in_people() -> None:
    assert ledger.posted_by(Actor.operator()) == ledger.PostedBy(None, ledger.OPERATOR_LABEL)


def test_system_and_credit_accounts_are_made_once(session: Session) -> None:
    program = make_program(session)
    person = make_person(session)

    subsidy = ledger.system_account(session, program, AccountKind.FUNDING, "subsidy")

    assert subsidy.code == "funding:subsidy"
    assert ledger.system_account(session, program, AccountKind.FUNDING, "subsidy") is subsidy
    assert ledger.credit_account(session, program, person.id, "base") is (
        ledger.credit_account(session, program, person.id, "base")
    )
    with pytest.raises(ValueError, match="credit_account"):
        ledger.system_account(session, program, AccountKind.LEARNER_CREDIT)


@pytest.mark.parametrize(
    ("amounts", "words"),
    [((-100, 90), "sum to"), ((-100,), "at least two"), ((0, 0), "moves nothing")],
)
def test_an_unbalanced_posting_is_refused_and_nothing_is_written(
    session: Session, amounts: tuple[int, ...], words: str
) -> None:
    program = make_program(session)
    funding = ledger.system_account(session, program, AccountKind.FUNDING)
    held = ledger.system_account(session, program, AccountKind.HELD)
    accounts = [funding, held]
    legs = [Leg(accounts[i], amount) for i, amount in enumerate(amounts)]

    with pytest.raises(Unbalanced, match=words):
        adjust(session, program, "bad", legs)

    assert entry_count(session) == 0
    assert session.scalar(select(func.count()).select_from(Transfer)) == 0


def test_accounts_of_another_program_or_currency_are_refused(session: Session) -> None:
    program = make_program(session)
    other = make_program(session, rules=simple_rules("CAD"))
    funding = ledger.system_account(session, program, AccountKind.FUNDING)
    foreign = ledger.system_account(session, other, AccountKind.HELD)

    with pytest.raises(AccountMismatch, match=foreign.code):
        adjust(session, program, "foreign", [Leg(funding, -5), Leg(foreign, 5)])

    assert entry_count(session) == 0


def test_an_overdraft_is_refused_naming_the_account_and_shortfall(session: Session) -> None:
    program = make_program(session)
    participant = make_participant(session, program, person=make_person(session, name="Alex"))
    make_credit(session, participant, 10_000)
    credit = ledger.credit_account(session, program, participant.person_id, "base")
    held = ledger.system_account(session, program, AccountKind.HELD)
    before = entry_count(session)

    with pytest.raises(Overdraft) as refused:
        adjust(session, program, "too-much", [Leg(credit, -12_550), Leg(held, 12_550)])

    assert str(refused.value) == (
        "Not enough in Alex's base credit: SGD25.50 short; nothing was posted."
    )
    assert entry_count(session) == before
    assert (credit.balance_minor, held.balance_minor) == (10_000, 0)


def test_the_same_key_and_legs_return_the_first_transfer_without_posting(
    session: Session,
) -> None:
    program = make_program(session)
    funding = ledger.system_account(session, program, AccountKind.FUNDING)
    held = ledger.system_account(session, program, AccountKind.HELD)
    legs = [Leg(funding, -700), Leg(held, 700)]

    first = adjust(session, program, "once", legs)
    again = adjust(session, program, "once", list(reversed(legs)))

    assert again.id == first.id
    assert held.balance_minor == 700
    assert entry_count(session) == 2


def test_the_same_key_with_other_legs_is_refused_naming_the_key(session: Session) -> None:
    program = make_program(session)
    funding = ledger.system_account(session, program, AccountKind.FUNDING)
    held = ledger.system_account(session, program, AccountKind.HELD)
    adjust(session, program, "key-7", [Leg(funding, -700), Leg(held, 700)])

    with pytest.raises(DuplicatePosting, match="key-7"):
        adjust(session, program, "key-7", [Leg(funding, -701), Leg(held, 701)])

    assert held.balance_minor == 700


def test_a_refusal_leaves_the_callers_transaction_usable(session: Session) -> None:
    program = make_program(session)
    funding = ledger.system_account(session, program, AccountKind.FUNDING)
    held = ledger.system_account(session, program, AccountKind.HELD)
    with pytest.raises(Overdraft):
        adjust(session, program, "a", [Leg(held, -1), Leg(funding, 1)])

    adjust(session, program, "b", [Leg(funding, -1), Leg(held, 1)])
    session.flush()

    assert (
        session.scalar(select(LedgerAccount.balance_minor).where(LedgerAccount.id == held.id)) == 1
    )


def test_entries_and_transfers_cannot_be_changed_or_deleted(session: Session) -> None:
    program = make_program(session)
    lot = make_credit(session, make_participant(session, program), 500)

    for statement in (
        update(Entry).where(Entry.transfer_id == lot.transfer_id).values(amount_minor=5000),
        delete(Entry).where(Entry.transfer_id == lot.transfer_id),
        update(Transfer).where(Transfer.id == lot.transfer_id).values(reason="rewritten"),
        delete(Transfer).where(Transfer.id == lot.transfer_id),
    ):
        with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
            session.execute(statement)


def test_a_grant_is_credit_from_funding_once_per_grant_key(session: Session) -> None:
    program = make_program(session)
    participant = make_participant(session, program)

    lot = make_credit(session, participant, 50_000, grant_key="base:age-25", expires_on=ON)
    again = make_credit(session, participant, 50_000, grant_key="base:age-25", expires_on=ON)

    assert again.id == lot.id
    assert (lot.amount_minor, lot.expires_on, lot.grant_key) == (50_000, ON, "base:age-25")
    assert ledger.balances(session, program, participant.person_id) == {"base": 50_000}
    funding = ledger.system_account(session, program, AccountKind.FUNDING)
    assert funding.balance_minor == -50_000
    with pytest.raises(DuplicatePosting):
        make_credit(session, participant, 40_000, grant_key="base:age-25")


def test_expiry_moves_credit_to_expired_once_a_day_and_nothing_posts_nothing(
    session: Session,
) -> None:
    program = make_program(session)
    participant = make_participant(session, program)
    make_credit(session, participant, 900)
    credit = ledger.credit_account(session, program, participant.person_id, "base")

    lapsed = ledger.expire(
        session, program=program, account=credit, amount_minor=400, on=ON, by=TEST_POSTER
    )
    again = ledger.expire(
        session, program=program, account=credit, amount_minor=400, on=ON, by=TEST_POSTER
    )

    assert lapsed is not None
    assert again is not None
    assert again.id == lapsed.id
    assert credit.balance_minor == 500
    assert ledger.system_account(session, program, AccountKind.EXPIRED).balance_minor == 400
    nothing = ledger.expire(
        session, program=program, account=credit, amount_minor=0, on=ON, by=TEST_POSTER
    )
    assert nothing is None


def test_the_ledgers_problem_codes_are_on_the_api_reference(http: httpx.Client) -> None:
    page = http.get("/api/v1/docs").text
    codes = {problem.code for problem in problem_types()}

    assert {"ledger_unbalanced", "ledger_overdraft", "ledger_duplicate_posting"} <= codes
    assert "budget_exhausted" in codes
    for code in codes:
        assert f'id="problem-{code}"' in page


def test_an_unknown_person_is_described_as_a_learner(session: Session) -> None:
    program = make_program(session)
    account = LedgerAccount(
        program_id=program.id,
        kind=AccountKind.LEARNER_CREDIT,
        code="credit:nobody",
        person_id=uuid.uuid4(),
        tier="base",
        currency="SGD",
    )

    assert ledger.describe_account(session, account) == "a learner's base credit"


def losing_the_race(monkeypatch: pytest.MonkeyPatch, name: str, misses: int) -> None:
    """Make ``ledger_repository.<name>`` miss ``misses`` times, as when another client's
    row is not committed yet at the look-up but is by the insert."""
    real = getattr(ledger_repository, name)
    calls = iter(range(misses))

    def look_up(*args: object) -> object:
        return None if next(calls, None) is not None else real(*args)

    monkeypatch.setattr(ledger_repository, name, look_up)


def test_a_key_clash_with_no_transfer_behind_it_is_not_taken_for_a_replay(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = make_program(session)
    funding = ledger.system_account(session, program, AccountKind.FUNDING)
    held = ledger.system_account(session, program, AccountKind.HELD)
    adjust(session, program, "raced", [Leg(funding, -5), Leg(held, 5)])

    losing_the_race(monkeypatch, "transfer_by_key", 1)
    with pytest.raises(RuntimeError, match="clashed with no transfer"):
        adjust(session, program, "raced", [Leg(funding, -5), Leg(held, 5)])
    assert adjust(session, program, "after", [Leg(funding, -1), Leg(held, 1)]).kind is (
        TransferKind.ADJUSTMENT
    )
    assert held.balance_minor == 6


def test_an_account_made_meanwhile_is_used_instead_of_a_second_one(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = make_program(session)
    held = ledger.system_account(session, program, AccountKind.HELD)

    losing_the_race(monkeypatch, "account_by_code", 1)
    assert ledger.system_account(session, program, AccountKind.HELD).id == held.id

    losing_the_race(monkeypatch, "account_by_code", 2)
    with pytest.raises(IntegrityError):
        ledger.system_account(session, program, AccountKind.HELD)


def test_locking_shows_the_committed_balance_on_an_account_the_session_holds(
    session: Session,
) -> None:
    program = make_program(session)
    held = ledger.system_account(session, program, AccountKind.HELD)
    session.flush()
    # As another transaction's commit would: the row changes under the loaded object.
    session.execute(
        update(LedgerAccount)
        .where(LedgerAccount.id == held.id)
        .values(balance_minor=700)
        .execution_options(synchronize_session=False)
    )
    assert held.balance_minor == 0

    ledger.lock(session, [held.id, uuid.uuid4()])

    assert held.balance_minor == 700
