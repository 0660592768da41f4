"""Many clients spending the same credit at once, each in its own transaction on its own
connection: exactly as many succeed as the balance covers, the rest are refused as
overdrafts, and a key posted from several clients at once posts once.

This needs PostgreSQL's row locks and real commits, so it runs on a database of its own,
migrated for it and dropped afterwards; the rolled-back ``session`` of other tests cannot be
shared across threads."""

from __future__ import annotations

import os
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from cairn import migrations
from cairn.accounts import holds, ledger
from cairn.accounts.audit import audit_ledger
from cairn.accounts.enums import AccountKind, ReferenceKind, TransferKind
from cairn.accounts.errors import DuplicatePosting, Overdraft
from cairn.accounts.ledger_models import Hold, LedgerAccount, Transfer
from cairn.accounts.models import Participant, Program
from cairn.kit.db import make_engine, make_session_factory, unit_of_work
from cairn.kit.errors import DomainError
from tests.databases import fresh_postgres_database
from tests.factories.accounts import TEST_POSTER, make_credit, make_participant, make_program

CLIENTS = 16
T = TypeVar("T")

pytestmark = pytest.mark.skipif(
    not os.environ.get("CAIRN_TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="row locks and concurrent commits need PostgreSQL (set CAIRN_TEST_DATABASE_URL)",
)


@pytest.fixture(scope="module")
def factory() -> Iterator[sessionmaker[Session]]:
    with fresh_postgres_database(os.environ["CAIRN_TEST_DATABASE_URL"], "cairn_race") as url:
        engine: Engine = make_engine(url, pool_size=CLIENTS + 2, max_overflow=4)
        try:
            migrations.upgrade(engine)
            yield make_session_factory(engine)
        finally:
            engine.dispose()


def at_once(
    factory: sessionmaker[Session], work: Callable[[Session, int], T]
) -> list[T | DomainError]:
    """Run ``work`` in CLIENTS threads released together, each in its own transaction."""
    start = threading.Barrier(CLIENTS)
    outcomes: list[T | DomainError] = [DomainError("not run")] * CLIENTS

    def client(number: int) -> None:
        start.wait()
        try:
            with unit_of_work(factory) as session:
                outcomes[number] = work(session, number)
        except DomainError as error:
            outcomes[number] = error

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def learner(factory: sessionmaker[Session], credit: int) -> tuple[Program, Participant]:
    with unit_of_work(factory) as session:
        program = make_program(session)
        participant = make_participant(session, program)
        if credit:
            make_credit(session, participant, credit)
        return program, participant


def hold(
    session: Session, program_id: uuid.UUID, participant: Participant, amount: int, key: str
) -> uuid.UUID:
    program = session.get_one(Program, program_id)
    credit = ledger.credit_account(session, program, participant.person_id, "base")
    return holds.place_hold(
        session,
        program=program,
        person_id=participant.person_id,
        enrolment_id=uuid.uuid5(uuid.NAMESPACE_URL, key),
        by=TEST_POSTER,
        idempotency_key=key,
        reason="Enrolled",
        sources=[(credit, amount)],
        budget_minor=None,
    ).id


def test_concurrent_spending_succeeds_exactly_as_often_as_the_balance_covers(
    factory: sessionmaker[Session],
) -> None:
    program, participant = learner(factory, 10_000)

    outcomes = at_once(
        factory, lambda session, n: hold(session, program.id, participant, 1_500, f"spend-{n}")
    )

    placed = [o for o in outcomes if isinstance(o, uuid.UUID)]
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(placed) == 10_000 // 1_500
    assert all(isinstance(o, Overdraft) for o in refused), refused
    assert len(refused) == CLIENTS - len(placed)
    with unit_of_work(factory) as session:
        balance = ledger.balances(
            session, session.get_one(Program, program.id), participant.person_id
        )
        held = ledger.system_account(
            session, session.get_one(Program, program.id), AccountKind.HELD
        )
        assert balance == {"base": 10_000 - 1_500 * len(placed)}
        assert held.balance_minor == 1_500 * len(placed)
        assert audit_ledger(session).violations == []


def test_the_same_key_from_many_clients_at_once_posts_once(
    factory: sessionmaker[Session],
) -> None:
    program, participant = learner(factory, 5_000)

    outcomes = at_once(
        factory, lambda session, _: hold(session, program.id, participant, 2_000, "one-key")
    )

    assert len(set(outcomes)) == 1
    assert isinstance(outcomes[0], uuid.UUID)
    with unit_of_work(factory) as session:
        assert (
            session.scalar(
                select(func.count()).select_from(Hold).where(Hold.program_id == program.id)
            )
            == 1
        )
        assert ledger.balances(
            session, session.get_one(Program, program.id), participant.person_id
        ) == {"base": 3_000}
        assert audit_ledger(session).violations == []


def funding(session: Session, program: Program, purpose: str) -> LedgerAccount:
    return ledger.system_account(session, program, AccountKind.FUNDING, purpose)


def test_one_key_over_different_accounts_at_once_posts_once_and_refuses_the_rest(
    factory: sessionmaker[Session],
) -> None:
    """The accounts' locks do not meet here: the unique key decides, inside a savepoint."""
    program, _ = learner(factory, 0)

    def adjust(session: Session, number: int) -> uuid.UUID:
        mine = session.get_one(Program, program.id)
        return ledger.post(
            session,
            program=mine,
            kind=TransferKind.FUNDING,
            idempotency_key=f"top-up-{program.id}",
            by=TEST_POSTER,
            reason="Top-up",
            reference=(ReferenceKind.PROGRAM, program.id),
            effective_on=program.created_at.date(),
            legs=[
                ledger.Leg(funding(session, mine, f"from-{number}"), -100),
                ledger.Leg(funding(session, mine, f"to-{number}"), 100),
            ],
        ).id

    outcomes = at_once(factory, adjust)

    assert Counter(type(o) for o in outcomes) == {uuid.UUID: 1, DuplicatePosting: CLIENTS - 1}
    with unit_of_work(factory) as session:
        assert (
            session.scalar(
                select(func.count()).select_from(Transfer).where(Transfer.program_id == program.id)
            )
            == 1
        )
        assert audit_ledger(session).violations == []
