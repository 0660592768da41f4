"""Posting to the credit ledger: the one way money moves between a program's accounts.

Every posting locks its accounts in id order, reads their committed balances and refuses an
overdraft on any account but funding before it writes anything, so that a refusal leaves the
caller's transaction as it was; then it writes its transfer and entries and updates the
cached balances. An idempotency key makes a retried posting return the first one instead of
posting twice. Postings write through Core statements, not the unit of work (its
CPU per posting is what limits throughput), and hand the session the objects and balances
they wrote, so that callers read them as if the ORM had."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from cairn.accounts import ledger_repository as repo
from cairn.accounts.enums import AccountKind, ReferenceKind, TransferKind, label
from cairn.accounts.errors import AccountMismatch, DuplicatePosting, Overdraft, Unbalanced
from cairn.accounts.ledger_models import CreditLot, LedgerAccount, Transfer
from cairn.accounts.models import Program
from cairn.accounts.money import format_money
from cairn.kit.actor import Actor
from cairn.kit.clock import utcnow
from cairn.kit.errors import DomainError
from cairn.kit.i18n import gettext, lazy_gettext

OPERATOR_LABEL = "operator"
"""Who the command-line operator and the scheduler post as: nobody in ``people``."""


@dataclass(frozen=True)
class PostedBy:
    person_id: uuid.UUID | None
    label: str


def posted_by(actor: Actor) -> PostedBy:
    """The person behind a posting, or the operator, who has no row in ``people``."""
    if actor.system:
        return PostedBy(None, OPERATOR_LABEL)
    return PostedBy(actor.person_id, actor.email)


@dataclass(frozen=True)
class Leg:
    account: LedgerAccount
    amount_minor: int
    """Signed: added to the account's balance."""


Guard = Callable[[Mapping[uuid.UUID, LedgerAccount]], None]
"""A check made on the locked accounts before anything is written; it refuses by raising."""


def system_account(
    session: Session, program: Program, kind: AccountKind, purpose: str | None = None
) -> LedgerAccount:
    """The program's funding, held, spent or expired account, made on first use."""
    if kind is AccountKind.LEARNER_CREDIT:
        raise ValueError("credit accounts belong to a person: use credit_account")
    code = str(kind) if purpose is None else f"{kind}:{purpose}"
    return _account(session, program, kind=kind, code=code, person_id=None, tier=None)


def system_accounts(session: Session, program: Program, *kinds: AccountKind) -> list[LedgerAccount]:
    """Several of the program's system accounts in one query (postings read them often)."""
    found = repo.accounts_by_codes(session, program.id, [str(kind) for kind in kinds])
    return [found.get(str(kind)) or system_account(session, program, kind) for kind in kinds]


def credit_account(
    session: Session, program: Program, person_id: uuid.UUID, tier: str
) -> LedgerAccount:
    """A learner's credit in one tier of a program, made on first use."""
    return _account(
        session,
        program,
        kind=AccountKind.LEARNER_CREDIT,
        code=_credit_code(person_id, tier),
        person_id=person_id,
        tier=tier,
    )


def _credit_code(person_id: uuid.UUID, tier: str) -> str:
    return f"credit:{person_id}:{tier}"


def _account(
    session: Session,
    program: Program,
    *,
    kind: AccountKind,
    code: str,
    person_id: uuid.UUID | None,
    tier: str | None,
) -> LedgerAccount:
    found = repo.account_by_code(session, program.id, code)
    if found is not None:
        return found
    account = LedgerAccount(
        program_id=program.id,
        kind=kind,
        code=code,
        person_id=person_id,
        tier=tier,
        currency=program.currency,
        balance_minor=0,
    )
    try:
        with session.begin_nested():
            session.add(account)
    except IntegrityError:
        # Another transaction made it first; the unique code makes that one the account.
        found = repo.account_by_code(session, program.id, code)
        if found is None:
            raise
        return found
    return account


def post(
    session: Session,
    *,
    program: Program,
    kind: TransferKind,
    idempotency_key: str,
    by: PostedBy,
    reason: str,
    reference: tuple[ReferenceKind, uuid.UUID],
    effective_on: date,
    legs: Sequence[Leg],
) -> Transfer:
    """Post one balanced transfer atomically, or return the one already posted under its key."""
    transfer, _ = guarded_post(
        session,
        program=program,
        kind=kind,
        idempotency_key=idempotency_key,
        by=by,
        reason=reason,
        reference=reference,
        effective_on=effective_on,
        legs=legs,
    )
    return transfer


def guarded_post(
    session: Session,
    *,
    program: Program,
    kind: TransferKind,
    idempotency_key: str,
    by: PostedBy,
    reason: str,
    reference: tuple[ReferenceKind, uuid.UUID],
    effective_on: date,
    legs: Sequence[Leg],
    also_lock: Sequence[LedgerAccount] = (),
    guard: Guard | None = None,
) -> tuple[Transfer, bool]:
    """``post``, also locking ``also_lock`` and running ``guard`` under the locks, for rules
    that read balances the posting does not move (a budget reads what was spent); and
    whether the transfer is new, so that a caller need not look for what it recorded with
    it on a replay only."""
    _check_shape(program, legs)
    moves: Counter[uuid.UUID] = Counter()
    for leg in legs:
        moves[leg.account.id] += leg.amount_minor
    transfer = {
        "id": uuid.uuid4(),
        "program_id": program.id,
        "kind": kind,
        "idempotency_key": idempotency_key,
        "actor_id": by.person_id,
        "actor_label": by.label,
        "reason": reason,
        "reference_kind": reference[0],
        "reference_id": reference[1],
        "effective_on": effective_on,
        "created_at": utcnow(),
    }
    # Lock first, then write: a refusal under the locks has written nothing, so the caller's
    # transaction is left as it was without a savepoint (two round trips per posting).
    session.flush()
    objects = _by_id([*(leg.account for leg in legs), *also_lock])
    locked = _show_balances(objects, repo.lock_balances(session, objects))
    try:
        _check_funds(session, locked, moves)
        if guard is not None:
            guard(locked)
    except DomainError:
        # A replay refused only because its first posting already moved the money.
        existing = repo.transfer_by_key(session, idempotency_key)
        if existing is None:
            raise
        return _replayed(session, existing, program, kind, reference, legs), False
    if not repo.insert_transfer(session, transfer):
        # The key was used before, or at the same moment: the insert waited for the other
        # posting to commit. Looking only when the key clashes spares every first posting.
        existing = repo.transfer_by_key(session, idempotency_key)
        if existing is None:
            raise RuntimeError(f"the key {idempotency_key!r} clashed with no transfer")
        return _replayed(session, existing, program, kind, reference, legs), False
    repo.insert_entries(
        session,
        [
            {
                "id": uuid.uuid4(),
                "transfer_id": transfer["id"],
                "account_id": leg.account.id,
                "amount_minor": leg.amount_minor,
            }
            for leg in legs
        ],
    )
    repo.add_to_balances(session, moves)
    _show_balances(
        objects,
        {account_id: locked[account_id].balance_minor + moves[account_id] for account_id in moves},
    )
    return repo.attach(session, Transfer, transfer), True


def lock(session: Session, account_ids: Collection[uuid.UUID]) -> None:
    """Lock the accounts until the transaction ends, in id order, for a decision that reads
    their balances before posting (a price split); the session's objects of them, if it
    holds any, show the balances as locked."""
    for account_id, balance in repo.lock_balances(session, account_ids).items():
        account = repo.loaded_account(session, account_id)
        if account is not None:
            set_committed_value(account, "balance_minor", balance)


def _by_id(accounts: Iterable[LedgerAccount]) -> dict[uuid.UUID, list[LedgerAccount]]:
    """Every object of each account: a caller may hold more than one (a merged copy)."""
    objects: dict[uuid.UUID, list[LedgerAccount]] = {}
    for account in accounts:
        objects.setdefault(account.id, []).append(account)
    return objects


def _show_balances(
    objects: Mapping[uuid.UUID, Sequence[LedgerAccount]], balances: Mapping[uuid.UUID, int]
) -> dict[uuid.UUID, LedgerAccount]:
    """Give the caller's account objects the balances read or written under the locks, as
    loaded values (nothing for the session to write back); the first object of each id."""
    for account_id, balance in balances.items():
        for account in objects[account_id]:
            set_committed_value(account, "balance_minor", balance)
    return {account_id: objects[account_id][0] for account_id in balances}


def _check_shape(program: Program, legs: Sequence[Leg]) -> None:
    if len(legs) < 2:
        raise Unbalanced(lazy_gettext("A posting needs at least two legs."))
    for leg in legs:
        if leg.amount_minor == 0:
            raise Unbalanced(
                lazy_gettext("The leg on %(account)s moves nothing.", account=leg.account.code)
            )
        if leg.account.program_id != program.id or leg.account.currency != program.currency:
            raise AccountMismatch(
                lazy_gettext(
                    "The account %(account)s is not one of %(program)s's in %(currency)s.",
                    account=leg.account.code,
                    program=program.name,
                    currency=program.currency,
                )
            )
    total = sum(leg.amount_minor for leg in legs)
    if total != 0:
        raise Unbalanced(
            lazy_gettext(
                "The legs sum to %(total)s instead of zero; nothing was posted.",
                total=format_money(total, program.currency),
            )
        )


def _check_funds(
    session: Session, locked: Mapping[uuid.UUID, LedgerAccount], moves: Mapping[uuid.UUID, int]
) -> None:
    for account_id in sorted(moves):
        account = locked[account_id]
        after = account.balance_minor + moves[account_id]
        if account.kind is not AccountKind.FUNDING and after < 0:
            raise Overdraft(
                lazy_gettext(
                    "Not enough in %(account)s: %(shortfall)s short; nothing was posted.",
                    account=describe_account(session, account),
                    shortfall=format_money(-after, account.currency),
                )
            )


def _replayed(
    session: Session,
    existing: Transfer,
    program: Program,
    kind: TransferKind,
    reference: tuple[ReferenceKind, uuid.UUID],
    legs: Sequence[Leg],
) -> Transfer:
    posted = Counter((e.account_id, e.amount_minor) for e in repo.entries_of(session, existing.id))
    asked = Counter((leg.account.id, leg.amount_minor) for leg in legs)
    same = (
        existing.program_id == program.id
        and existing.kind is kind
        and (existing.reference_kind, existing.reference_id) == reference
        and posted == asked
    )
    if not same:
        raise DuplicatePosting(
            lazy_gettext(
                "The idempotency key “%(key)s” was already used for a different posting.",
                key=existing.idempotency_key,
            )
        )
    return existing


def describe_account(session: Session, account: LedgerAccount) -> str:
    """An account as a person reads it: “Alex Tan's base credit”, or the kind's name."""
    if account.kind is AccountKind.LEARNER_CREDIT and account.person_id is not None:
        name = repo.person_name(session, account.person_id) or gettext("a learner")
        return gettext("%(person)s's %(tier)s credit", person=name, tier=account.tier)
    return label(account.kind)


def balances(session: Session, program: Program, person_id: uuid.UUID) -> dict[str, int]:
    """A learner's available credit in each tier of the program they have an account in."""
    return {
        account.tier or "": account.balance_minor
        for account in repo.credit_accounts(session, program.id, person_id)
    }


def grant(
    session: Session,
    *,
    program: Program,
    person_id: uuid.UUID,
    tier: str,
    amount_minor: int,
    grant_key: str,
    granted_on: date,
    expires_on: date | None,
    by: PostedBy,
    reason: str,
    participant_id: uuid.UUID,
) -> CreditLot:
    """Credit from the program's funding into a learner's tier, once per grant key."""
    code = _credit_code(person_id, tier)
    found = repo.accounts_by_codes(session, program.id, [code, str(AccountKind.FUNDING)])
    account = found.get(code) or credit_account(session, program, person_id, tier)
    funding = found.get(str(AccountKind.FUNDING)) or system_account(
        session, program, AccountKind.FUNDING
    )
    transfer, new = guarded_post(
        session,
        program=program,
        kind=TransferKind.GRANT,
        idempotency_key=f"grant:{program.id}:{person_id}:{grant_key}",
        by=by,
        reason=reason,
        reference=(ReferenceKind.GRANT, participant_id),
        effective_on=granted_on,
        legs=[
            Leg(funding, -amount_minor),
            Leg(account, amount_minor),
        ],
    )
    lot = None if new else repo.lot_of_transfer(session, transfer.id)
    if lot is not None:
        return lot
    return repo.add_row(
        session,
        CreditLot,
        {
            "id": uuid.uuid4(),
            "account_id": account.id,
            "transfer_id": transfer.id,
            "grant_key": grant_key,
            "amount_minor": amount_minor,
            "granted_on": granted_on,
            "expires_on": expires_on,
        },
    )


def expire(
    session: Session,
    *,
    program: Program,
    account: LedgerAccount,
    amount_minor: int,
    on: date,
    by: PostedBy,
) -> Transfer | None:
    """Lapse unused credit into the program's expired account, once per account and day;
    nothing to lapse posts nothing."""
    if amount_minor <= 0:
        return None
    return post(
        session,
        program=program,
        kind=TransferKind.EXPIRY,
        idempotency_key=f"expire:{account.id}:{on.isoformat()}",
        by=by,
        reason=gettext("Credit granted on or before this day expired unused."),
        reference=(ReferenceKind.PROGRAM, program.id),
        effective_on=on,
        legs=[
            Leg(account, -amount_minor),
            Leg(system_account(session, program, AccountKind.EXPIRED), amount_minor),
        ],
    )
