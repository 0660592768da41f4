"""Every query of the ledger, its holds and its audit."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from functools import cache
from typing import Any, TypeVar, cast

from sqlalchemy import (
    Integer,
    Row,
    Subquery,
    Table,
    Update,
    bindparam,
    case,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from cairn.accounts.enums import AccountKind, HoldStatus, TransferKind
from cairn.accounts.ledger_models import CreditLot, Entry, Hold, LedgerAccount, Transfer
from cairn.accounts.models import Program
from cairn.kit.db import Base, writes_one_at_a_time
from cairn.orgs.models import Person

M = TypeVar("M", bound=Base)

# Postings write through these Core statements on the session's connection: the ORM's unit
# of work costs more CPU per posting than the database does, and CPU is what limits the
# ledger's throughput. Built once, so that each posting reuses their compiled form.
_accounts = cast(Table, LedgerAccount.__table__)
_transfers = cast(Table, Transfer.__table__)
_INSERT_TRANSFER = {
    # A replay's key clashes with the first posting's: DO NOTHING returns no row instead of
    # an error, which would need a savepoint (two more round trips per posting) to survive.
    name: module.insert(_transfers)
    .on_conflict_do_nothing(index_elements=[_transfers.c.idempotency_key])
    .returning(_transfers.c.id)
    for name, module in (("postgresql", postgresql), ("sqlite", sqlite))
}
_entries = cast(Table, Entry.__table__)
_INSERT_ENTRIES = insert(_entries).returning(_entries.c.id)
_TAKE_WRITE_LOCK = (
    update(_accounts)
    .where(_accounts.c.id.in_(bindparam("ids", expanding=True)))
    .values(balance_minor=_accounts.c.balance_minor)
)
_LOCK_BALANCES = (
    select(_accounts.c.id, _accounts.c.balance_minor)
    .where(_accounts.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(_accounts.c.id)
    # FOR NO KEY UPDATE: other postings' entries take key-share locks on these rows (their
    # foreign keys) until they commit; a full FOR UPDATE would wait on those too.
    .with_for_update(key_share=True)
)
_SETTLE_HOLD = (
    update(cast(Table, Hold.__table__))
    .where(Hold.__table__.c.id == bindparam("hold_id"))
    .values(
        status=bindparam("status"),
        settle_transfer_id=bindparam("settle_transfer_id"),
        settled_at=bindparam("settled_at"),
    )
)


_ACCOUNTS_BY_CODES = select(_accounts).where(
    _accounts.c.program_id == bindparam("program_id"),
    _accounts.c.code.in_(bindparam("codes", expanding=True)),
)


def account_by_code(session: Session, program_id: uuid.UUID, code: str) -> LedgerAccount | None:
    return accounts_by_codes(session, program_id, [code]).get(code)


def accounts_by_codes(
    session: Session, program_id: uuid.UUID, codes: Collection[str]
) -> dict[str, LedgerAccount]:
    """Every posting looks its accounts up by code, so this reads them with Core (an ORM
    select costs about three times the CPU) and hands back the session's objects for them."""
    session.flush()  # what an ORM select's autoflush would write first
    rows = session.connection().execute(
        _ACCOUNTS_BY_CODES, {"program_id": program_id, "codes": list(codes)}
    )
    accounts = (
        loaded_account(session, row.id) or attach(session, LedgerAccount, row._asdict())
        for row in rows
    )
    return {account.code: account for account in accounts}


def loaded_account(session: Session, account_id: uuid.UUID) -> LedgerAccount | None:
    """The session's object of the account, if it has loaded one, without a query."""
    found = session.identity_map.get(identity_key(LedgerAccount, account_id))
    return found if isinstance(found, LedgerAccount) else None


def insert_transfer(session: Session, values: Mapping[str, Any]) -> bool:
    """Write a transfer's row, or nothing if its idempotency key is taken (False); ``attach``
    makes its ORM object once the posting stands."""
    connection = session.connection()
    statement = _INSERT_TRANSFER[connection.dialect.name]
    return connection.execute(statement, dict(values)).first() is not None


def insert_entries(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """All of a transfer's entries in one round trip: with RETURNING, SQLAlchemy sends an
    executemany as one multi-row INSERT ("insertmanyvalues") whose compiled form it caches,
    where a statement built with the rows' values would be compiled anew for every posting."""
    session.connection().execute(_INSERT_ENTRIES, [dict(row) for row in rows])


def lock_balances(session: Session, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
    """The accounts' committed balances, locked until the transaction ends, in id order so
    that two postings over the same accounts never wait on each other in a cycle. SQLite
    has no row locks: a write that changes nothing takes its one write lock first, so that
    nobody commits between this read and the writes that follow it."""
    ordered = sorted(ids)
    if writes_one_at_a_time(session):
        session.connection().execute(_TAKE_WRITE_LOCK, {"ids": ordered})
    rows = session.connection().execute(_LOCK_BALANCES, {"ids": ordered})
    return dict(rows.all())


@cache
def _add_to_balances(count: int) -> Update:
    """One UPDATE adding a move to each of ``count`` accounts, built once per count."""
    ids = [bindparam(f"id_{number}", type_=_accounts.c.id.type) for number in range(count)]
    moves = [bindparam(f"move_{number}", type_=Integer()) for number in range(count)]
    return (
        update(_accounts)
        .where(_accounts.c.id.in_(ids))
        .values(
            balance_minor=_accounts.c.balance_minor
            + case(*((_accounts.c.id == id_, move) for id_, move in zip(ids, moves, strict=True)))
        )
    )


def add_to_balances(session: Session, moves: Mapping[uuid.UUID, int]) -> None:
    """Add each move to its account's cached balance, in one statement: ``lock_balances``
    has already locked the rows in id order, so the order this one visits them in is moot."""
    params: dict[str, Any] = {}
    for number, (account_id, move) in enumerate(moves.items()):
        params[f"id_{number}"] = account_id
        params[f"move_{number}"] = move
    session.connection().execute(_add_to_balances(len(moves)), params)


def settle_hold(session: Session, hold: Hold, values: Mapping[str, Any]) -> None:
    """Record a hold's settlement (its row is locked) and show it on the hold object."""
    session.connection().execute(_SETTLE_HOLD, {"hold_id": hold.id, **values})
    for name, value in values.items():
        set_committed_value(hold, name, value)


def add_row(session: Session, model: type[M], values: Mapping[str, Any]) -> M:
    """Insert one row without the unit of work and return its object, as if loaded."""
    session.connection().execute(insert(cast(Table, model.__table__)), dict(values))
    return attach(session, model, values)


def attach(session: Session, model: type[M], values: Mapping[str, Any]) -> M:
    """The ORM object of a row written through Core, in the session as if it had been
    loaded, so that callers read its attributes without another query or a flush."""
    instance = model(**values)
    make_transient_to_detached(instance)
    session.add(instance)
    return instance


def accounts_of_transfer(
    session: Session, transfer_id: uuid.UUID
) -> list[tuple[LedgerAccount, int]]:
    """Each account a transfer moved and the amount its entry moved, in one query."""
    return [
        (account, amount)
        for account, amount in session.execute(
            select(LedgerAccount, Entry.amount_minor)
            .join(Entry, Entry.account_id == LedgerAccount.id)
            .where(Entry.transfer_id == transfer_id)
            .order_by(Entry.id)
        )
    ]


def transfer_by_id(session: Session, transfer_id: uuid.UUID) -> Transfer | None:
    return session.get(Transfer, transfer_id)


def transfer_by_key(session: Session, idempotency_key: str) -> Transfer | None:
    return session.scalars(
        select(Transfer).where(Transfer.idempotency_key == idempotency_key)
    ).one_or_none()


def entries_of(session: Session, transfer_id: uuid.UUID) -> list[Entry]:
    return list(session.scalars(select(Entry).where(Entry.transfer_id == transfer_id)))


def credit_accounts(
    session: Session, program_id: uuid.UUID, person_id: uuid.UUID
) -> list[LedgerAccount]:
    return list(
        session.scalars(
            select(LedgerAccount)
            .where(
                LedgerAccount.program_id == program_id,
                LedgerAccount.person_id == person_id,
                LedgerAccount.kind == AccountKind.LEARNER_CREDIT,
            )
            .order_by(LedgerAccount.tier)
        )
    )


def lot_of_transfer(session: Session, transfer_id: uuid.UUID) -> CreditLot | None:
    return session.scalars(
        select(CreditLot).where(CreditLot.transfer_id == transfer_id)
    ).one_or_none()


def hold_of_transfer(session: Session, transfer_id: uuid.UUID) -> Hold | None:
    return session.scalars(select(Hold).where(Hold.hold_transfer_id == transfer_id)).one_or_none()


def lock_hold(session: Session, hold_id: uuid.UUID) -> tuple[Hold, Program]:
    """The hold as committed, locked, so that a capture and a release cannot both settle it;
    and its program, in the same query."""
    hold, program = session.execute(
        select(Hold, Program)
        .join(Program, Program.id == Hold.program_id)
        .where(Hold.id == hold_id)
        .with_for_update(of=Hold)
        .execution_options(populate_existing=True)
    ).one()
    return hold, program


def person_name(session: Session, person_id: uuid.UUID) -> str | None:
    return session.scalar(select(Person.display_name).where(Person.id == person_id))


# The audit: each query checks one invariant over the whole ledger in the database --------


def count_rows(session: Session) -> tuple[int, int, int]:
    """How many transfers, accounts and entries the audit looked at."""
    return (
        session.scalar(select(func.count()).select_from(Transfer)) or 0,
        session.scalar(select(func.count()).select_from(LedgerAccount)) or 0,
        session.scalar(select(func.count()).select_from(Entry)) or 0,
    )


def unbalanced_transfers(session: Session) -> Sequence[Row[uuid.UUID, int, int]]:
    """Transfers whose entries do not sum to zero or number fewer than two (none at all
    included): (transfer id, sum, count)."""
    total = func.coalesce(func.sum(Entry.amount_minor), 0)
    count = func.count(Entry.id)
    return session.execute(
        select(Transfer.id, total, count)
        .outerjoin(Entry, Entry.transfer_id == Transfer.id)
        .group_by(Transfer.id)
        .having(or_(total != 0, count < 2))
    ).all()


def _entry_sums() -> Subquery:
    """Each account's entries summed: (account_id, total)."""
    return (
        select(Entry.account_id, func.sum(Entry.amount_minor).label("total"))
        .group_by(Entry.account_id)
        .subquery()
    )


def stale_balances(session: Session) -> Sequence[Row[uuid.UUID, str, int, int]]:
    """Accounts whose cached balance differs from the sum of their entries:
    (account id, code, cached, summed)."""
    sums = _entry_sums()
    summed = func.coalesce(sums.c.total, 0)
    return session.execute(
        select(LedgerAccount.id, LedgerAccount.code, LedgerAccount.balance_minor, summed)
        .outerjoin(sums, sums.c.account_id == LedgerAccount.id)
        .where(LedgerAccount.balance_minor != summed)
    ).all()


def negative_accounts(session: Session) -> Sequence[Row[uuid.UUID, str, int]]:
    """Accounts other than funding below zero, by their cached balance or by the sum of
    their entries (which the database's balance check does not see): (id, code, the lower
    of the two)."""
    sums = _entry_sums()
    summed = func.coalesce(sums.c.total, 0)
    lowest = case((LedgerAccount.balance_minor < summed, LedgerAccount.balance_minor), else_=summed)
    return session.execute(
        select(LedgerAccount.id, LedgerAccount.code, lowest)
        .outerjoin(sums, sums.c.account_id == LedgerAccount.id)
        .where(LedgerAccount.kind != AccountKind.FUNDING, lowest < 0)
    ).all()


def foreign_entries(session: Session) -> Sequence[Row[uuid.UUID, uuid.UUID]]:
    """Entries on an account of another program than their transfer's, or in another
    currency than that program's: (transfer id, account id)."""
    return session.execute(
        select(Entry.transfer_id, Entry.account_id)
        .join(Transfer, Transfer.id == Entry.transfer_id)
        .join(Program, Program.id == Transfer.program_id)
        .join(LedgerAccount, LedgerAccount.id == Entry.account_id)
        .where(
            or_(
                LedgerAccount.program_id != Transfer.program_id,
                LedgerAccount.currency != Program.currency,
            )
        )
    ).all()


def transfers_without_trail(session: Session) -> Sequence[Row[uuid.UUID]]:
    """Transfers that do not say who or why (what about is a column the database requires)."""
    return session.execute(
        select(Transfer.id).where(
            or_(
                func.trim(Transfer.actor_label) == "",
                func.trim(Transfer.reason) == "",
            )
        )
    ).all()


def held_mismatches(session: Session) -> Sequence[Row[uuid.UUID, uuid.UUID, int, int]]:
    """Programs whose HELD balance differs from the total of their open holds:
    (program id, held account id, balance, open holds)."""
    open_holds = (
        select(Hold.program_id, func.sum(Hold.amount_minor).label("total"))
        .where(Hold.status == HoldStatus.HELD)
        .group_by(Hold.program_id)
        .subquery()
    )
    held = func.coalesce(open_holds.c.total, 0)
    held_accounts = (
        select(
            LedgerAccount.program_id,
            LedgerAccount.id,
            LedgerAccount.balance_minor,
            held,
        )
        .outerjoin(open_holds, open_holds.c.program_id == LedgerAccount.program_id)
        .where(LedgerAccount.kind == AccountKind.HELD, LedgerAccount.balance_minor != held)
    )
    has_held = select(LedgerAccount.id).where(
        LedgerAccount.kind == AccountKind.HELD,
        LedgerAccount.program_id == open_holds.c.program_id,
    )
    holds_without_account = select(
        open_holds.c.program_id, literal(None, LedgerAccount.id.type), literal(0), held
    ).where(~has_held.exists())
    return session.execute(union_all(held_accounts, holds_without_account)).all()


HOLD_TRANSFER = "hold_transfer"
HOLD_STATUS = "status"
"""What ``inconsistent_holds`` finds wrong: the placement, or the settlement."""

SETTLED_BY = {
    HoldStatus.CAPTURED: (TransferKind.CAPTURE,),
    HoldStatus.RELEASED: (TransferKind.RELEASE, TransferKind.REFUND),
}
"""Which kind of transfer settles a hold into each status."""


def inconsistent_holds(session: Session) -> Sequence[Row[uuid.UUID, str]]:
    """Holds whose hold transfer is missing or not a hold of the same program and amount, or
    whose status disagrees with their settle transfer: (hold id, what is wrong)."""
    placed = aliased(Transfer)
    settled = aliased(Transfer)
    held_by_transfer = (
        select(Entry.transfer_id, func.sum(Entry.amount_minor).label("total"))
        .join(LedgerAccount, LedgerAccount.id == Entry.account_id)
        .where(LedgerAccount.kind == AccountKind.HELD)
        .group_by(Entry.transfer_id)
        .subquery()
    )
    bad_placement = (
        select(Hold.id, literal(HOLD_TRANSFER))
        .outerjoin(placed, placed.id == Hold.hold_transfer_id)
        .outerjoin(held_by_transfer, held_by_transfer.c.transfer_id == Hold.hold_transfer_id)
        .where(
            or_(
                placed.id.is_(None),
                placed.kind != TransferKind.HOLD,
                placed.program_id != Hold.program_id,
                func.coalesce(held_by_transfer.c.total, 0) != Hold.amount_minor,
            )
        )
    )
    open_but_settled = select(Hold.id, literal(HOLD_STATUS)).where(
        Hold.status == HoldStatus.HELD, Hold.settle_transfer_id.is_not(None)
    )
    wrong_settlement = (
        select(Hold.id, literal(HOLD_STATUS))
        .outerjoin(settled, settled.id == Hold.settle_transfer_id)
        .where(
            or_(
                *(
                    (Hold.status == status) & (settled.id.is_(None) | settled.kind.not_in(kinds))
                    for status, kinds in SETTLED_BY.items()
                )
            )
        )
    )
    return session.execute(union_all(bad_placement, open_but_settled, wrong_settlement)).all()


def lots_without_grant(session: Session) -> Sequence[Row[uuid.UUID]]:
    """Credit lots whose transfer is not a grant paying their amount into their own account."""
    paid_in = (
        select(func.coalesce(func.sum(Entry.amount_minor), 0))
        .where(Entry.transfer_id == CreditLot.transfer_id, Entry.account_id == CreditLot.account_id)
        .scalar_subquery()
    )
    return session.execute(
        select(CreditLot.id)
        .outerjoin(Transfer, Transfer.id == CreditLot.transfer_id)
        .where(
            or_(
                Transfer.id.is_(None),
                Transfer.kind != TransferKind.GRANT,
                paid_in != CreditLot.amount_minor,
            )
        )
    ).all()


def repeated_keys(session: Session) -> Sequence[Row[str, int]]:
    """Idempotency keys used more than once (the unique index should make this empty)."""
    return session.execute(
        select(Transfer.idempotency_key, func.count())
        .group_by(Transfer.idempotency_key)
        .having(func.count() > 1)
    ).all()
