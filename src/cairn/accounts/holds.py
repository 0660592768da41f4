"""Reserving credit and subsidy for an enrolment, then paying or returning it.

A hold moves each source amount into the program's HELD account; completion captures it
into SPENT, withdrawal releases it back to each source, and a refund returns a captured
hold. Each settlement's idempotency key is derived from the hold, so settling twice posts
once, and the hold's row is locked so that it cannot be settled both ways."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy.orm import Session

from cairn.accounts import ledger_repository as repo
from cairn.accounts.enums import AccountKind, HoldStatus, ReferenceKind, TransferKind
from cairn.accounts.errors import BudgetExhausted, HoldSettled, Unbalanced
from cairn.accounts.ledger import Leg, PostedBy, guarded_post, system_account, system_accounts
from cairn.accounts.ledger_models import Hold, LedgerAccount, Transfer
from cairn.accounts.models import Program
from cairn.accounts.money import format_money
from cairn.kit.clock import utcnow
from cairn.kit.i18n import lazy_gettext


def place_hold(
    session: Session,
    *,
    program: Program,
    person_id: uuid.UUID,
    enrolment_id: uuid.UUID,
    by: PostedBy,
    idempotency_key: str,
    reason: str,
    sources: Sequence[tuple[LedgerAccount, int]],
    budget_minor: int | None,
) -> Hold:
    """Reserve each source's amount for an enrolment, within what is left of the budget."""
    total = sum(amount for _, amount in sources)
    if total <= 0 or any(amount <= 0 for _, amount in sources):
        raise Unbalanced(lazy_gettext("A reservation takes a positive amount from each source."))
    held, spent = system_accounts(session, program, AccountKind.HELD, AccountKind.SPENT)

    def within_budget(locked: Mapping[uuid.UUID, LedgerAccount]) -> None:
        if budget_minor is None:
            return
        left = budget_minor - locked[held.id].balance_minor - locked[spent.id].balance_minor
        if left < total:
            raise BudgetExhausted(
                lazy_gettext(
                    "%(program)s has %(left)s of its budget left, less than the %(total)s "
                    "this needs; nothing was reserved.",
                    program=program.name,
                    left=format_money(max(left, 0), program.currency),
                    total=format_money(total, program.currency),
                )
            )

    transfer, new = guarded_post(
        session,
        program=program,
        kind=TransferKind.HOLD,
        idempotency_key=idempotency_key,
        by=by,
        reason=reason,
        reference=(ReferenceKind.ENROLMENT, enrolment_id),
        effective_on=utcnow().date(),
        legs=[*(Leg(account, -amount) for account, amount in sources), Leg(held, total)],
        also_lock=[spent],
        guard=within_budget,
    )
    existing = None if new else repo.hold_of_transfer(session, transfer.id)
    if existing is not None:
        return existing
    return repo.add_row(
        session,
        Hold,
        {
            "id": uuid.uuid4(),
            "program_id": program.id,
            "person_id": person_id,
            "enrolment_id": enrolment_id,
            "status": HoldStatus.HELD,
            "amount_minor": total,
            "hold_transfer_id": transfer.id,
            "settle_transfer_id": None,
            "reason": reason,
            "created_at": utcnow(),
            "settled_at": None,
        },
    )


def capture(session: Session, hold: Hold, *, by: PostedBy, reason: str) -> Transfer:
    """Pay a held reservation: HELD → SPENT."""
    hold, program = repo.lock_hold(session, hold.id)
    settled = _settled_already(session, hold, TransferKind.CAPTURE, open_status=HoldStatus.HELD)
    if settled is not None:
        return settled
    held, spent = system_accounts(session, program, AccountKind.HELD, AccountKind.SPENT)
    legs = [Leg(held, -hold.amount_minor), Leg(spent, hold.amount_minor)]
    return _settle(
        session, hold, program, TransferKind.CAPTURE, HoldStatus.CAPTURED, legs, by, reason
    )


def release(session: Session, hold: Hold, *, by: PostedBy, reason: str) -> Transfer:
    """Return a held reservation to each account it came from."""
    hold, program = repo.lock_hold(session, hold.id)
    settled = _settled_already(session, hold, TransferKind.RELEASE, open_status=HoldStatus.HELD)
    if settled is not None:
        return settled
    placed = repo.accounts_of_transfer(session, hold.hold_transfer_id)
    held = next((a for a, _ in placed if a.kind is AccountKind.HELD), None) or system_account(
        session, program, AccountKind.HELD
    )
    legs = [Leg(held, -hold.amount_minor), *_back_to_sources(placed, held)]
    return _settle(
        session, hold, program, TransferKind.RELEASE, HoldStatus.RELEASED, legs, by, reason
    )


def refund(session: Session, hold: Hold, *, by: PostedBy, reason: str) -> Transfer:
    """Return a paid reservation from SPENT to each account it came from."""
    hold, program = repo.lock_hold(session, hold.id)
    settled = _settled_already(session, hold, TransferKind.REFUND, open_status=HoldStatus.CAPTURED)
    if settled is not None:
        return settled
    held, spent = system_accounts(session, program, AccountKind.HELD, AccountKind.SPENT)
    placed = repo.accounts_of_transfer(session, hold.hold_transfer_id)
    legs = [Leg(spent, -hold.amount_minor), *_back_to_sources(placed, held)]
    return _settle(
        session, hold, program, TransferKind.REFUND, HoldStatus.RELEASED, legs, by, reason
    )


def _settled_already(
    session: Session, hold: Hold, kind: TransferKind, *, open_status: HoldStatus
) -> Transfer | None:
    """The transfer that already settled the hold this way, or None if it is still open to
    it; a hold settled another way is refused."""
    if hold.status is open_status:
        return None
    settle = (
        repo.transfer_by_id(session, hold.settle_transfer_id)
        if hold.settle_transfer_id is not None
        else None
    )
    if settle is not None and settle.kind is kind:
        return settle
    raise HoldSettled(_SETTLED_MESSAGES[kind])


_SETTLED_MESSAGES = {
    TransferKind.CAPTURE: lazy_gettext(
        "This reservation was already released or refunded, so it cannot be paid."
    ),
    TransferKind.RELEASE: lazy_gettext(
        "This reservation was already paid; refund it instead of releasing it."
    ),
    TransferKind.REFUND: lazy_gettext(
        "Only a paid reservation can be refunded; this one is reserved or already returned."
    ),
}


def _back_to_sources(placed: Sequence[tuple[LedgerAccount, int]], held: LedgerAccount) -> list[Leg]:
    """Each amount the hold took (its transfer's entries), paid back to the account it was
    taken from."""
    return [Leg(account, -amount) for account, amount in placed if account.id != held.id]


def _settle(
    session: Session,
    hold: Hold,
    program: Program,
    kind: TransferKind,
    status: HoldStatus,
    legs: list[Leg],
    by: PostedBy,
    reason: str,
) -> Transfer:
    transfer, _ = guarded_post(
        session,
        program=program,
        kind=kind,
        idempotency_key=f"hold:{hold.id}:{kind}",
        by=by,
        reason=reason,
        reference=(ReferenceKind.ENROLMENT, hold.enrolment_id),
        effective_on=utcnow().date(),
        legs=legs,
    )
    repo.settle_hold(
        session,
        hold,
        {"status": status, "settle_transfer_id": transfer.id, "settled_at": utcnow()},
    )
    return transfer
