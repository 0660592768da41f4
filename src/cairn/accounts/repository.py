"""Queries of learning-account programs, their participants, learners' facts, and the ledger
as programs and learners read it (balances by kind, credit lots, transfers and entries)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cairn.accounts.enums import AccountKind, ParticipantStatus, ProgramStatus
from cairn.accounts.ledger_models import CreditLot, Entry, LedgerAccount, Transfer
from cairn.accounts.models import LearnerFacts, Participant, Program
from cairn.orgs.models import Membership, Organisation, Person

# Programs -----------------------------------------------------------------------------------


def get_program(session: Session, program_id: uuid.UUID, *, lock: bool = False) -> Program | None:
    if not lock:
        return session.get(Program, program_id)
    return session.scalar(select(Program).where(Program.id == program_id).with_for_update())


def get_program_by_slug(session: Session, org_id: uuid.UUID, slug: str) -> Program | None:
    return session.scalar(select(Program).where(Program.org_id == org_id, Program.slug == slug))


def programs_of(session: Session, org_ids: Collection[uuid.UUID] | None) -> Sequence[Program]:
    """The programs run by ``org_ids``, or every program for None."""
    query = select(Program).order_by(Program.name, Program.id)
    if org_ids is not None:
        query = query.where(Program.org_id.in_(list(org_ids)))
    return session.scalars(query).all()


def programs_with_status(session: Session, status: ProgramStatus) -> Sequence[Program]:
    return session.scalars(
        select(Program).where(Program.status == status).order_by(Program.name, Program.id)
    ).all()


def organisation(session: Session, org_id: uuid.UUID) -> Organisation | None:
    return session.get(Organisation, org_id)


def organisations(
    session: Session, org_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Organisation]:
    found = session.scalars(select(Organisation).where(Organisation.id.in_(list(org_ids))))
    return {org.id: org for org in found}


# Participants and facts ---------------------------------------------------------------------


def get_participant(
    session: Session, program_id: uuid.UUID, person_id: uuid.UUID, *, lock: bool = False
) -> Participant | None:
    query = select(Participant).where(
        Participant.program_id == program_id, Participant.person_id == person_id
    )
    return session.scalar(query.with_for_update() if lock else query)


def participations_of(
    session: Session, person_id: uuid.UUID
) -> Sequence[tuple[Participant, Program]]:
    rows = session.execute(
        select(Participant, Program)
        .join(Program, Program.id == Participant.program_id)
        .where(Participant.person_id == person_id)
        .order_by(Program.name, Program.id)
    )
    return [(participant, program) for participant, program in rows]


def active_participants(session: Session, program_id: uuid.UUID) -> Sequence[Participant]:
    return session.scalars(
        select(Participant)
        .where(
            Participant.program_id == program_id,
            Participant.status == ParticipantStatus.ACTIVE,
        )
        .order_by(Participant.joined_on, Participant.id)
    ).all()


def participants_with_people(
    session: Session, program_id: uuid.UUID
) -> Sequence[tuple[Participant, Person]]:
    rows = session.execute(
        select(Participant, Person)
        .join(Person, Person.id == Participant.person_id)
        .where(Participant.program_id == program_id)
        .order_by(Person.display_name, Person.id)
    )
    return [(participant, person) for participant, person in rows]


def count_active_participants(session: Session, program_id: uuid.UUID) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                Participant.program_id == program_id,
                Participant.status == ParticipantStatus.ACTIVE,
            )
        )
        or 0
    )


def get_facts(session: Session, person_id: uuid.UUID) -> LearnerFacts | None:
    return session.get(LearnerFacts, person_id)


def person(session: Session, person_id: uuid.UUID) -> Person | None:
    return session.get(Person, person_id)


def memberships_with_orgs(
    session: Session, person_id: uuid.UUID
) -> Sequence[tuple[Membership, Organisation]]:
    """The person's memberships, oldest first: "their first employer" is the one they joined
    first."""
    rows = session.execute(
        select(Membership, Organisation)
        .join(Organisation, Organisation.id == Membership.org_id)
        .where(Membership.person_id == person_id)
        .order_by(Membership.created_at, Membership.id)
    )
    return [(membership, org) for membership, org in rows]


# The ledger as programs and learners read it ------------------------------------------------


def balances_by_kind(session: Session, program_id: uuid.UUID) -> dict[AccountKind, int]:
    """The program's cached balances summed per kind of account."""
    rows = session.execute(
        select(LedgerAccount.kind, func.sum(LedgerAccount.balance_minor))
        .where(LedgerAccount.program_id == program_id)
        .group_by(LedgerAccount.kind)
    )
    return {kind: int(total or 0) for kind, total in rows}


def lots_of(session: Session, account_ids: Collection[uuid.UUID]) -> Sequence[CreditLot]:
    return session.scalars(
        select(CreditLot)
        .where(CreditLot.account_id.in_(list(account_ids)))
        .order_by(CreditLot.granted_on, CreditLot.id)
    ).all()


def granted_keys(session: Session, program_id: uuid.UUID, person_id: uuid.UUID) -> set[str]:
    """The grant keys already given to a learner in a program, so they are not due again."""
    return set(
        session.scalars(
            select(CreditLot.grant_key)
            .join(LedgerAccount, LedgerAccount.id == CreditLot.account_id)
            .where(LedgerAccount.program_id == program_id, LedgerAccount.person_id == person_id)
        )
    )


@dataclass(frozen=True)
class EntryRow:
    """One entry with its transfer and account, as statements and exports list them."""

    entry: Entry
    transfer: Transfer
    account: LedgerAccount


def entries_of_person(
    session: Session,
    person_id: uuid.UUID,
    program_ids: Collection[uuid.UUID],
    *,
    before: date | None = None,
) -> Sequence[EntryRow]:
    """Entries on a learner's credit accounts, oldest first; only those effective before
    ``before`` when given."""
    query = (
        select(Entry, Transfer, LedgerAccount)
        .join(Transfer, Transfer.id == Entry.transfer_id)
        .join(LedgerAccount, LedgerAccount.id == Entry.account_id)
        .where(
            LedgerAccount.person_id == person_id,
            LedgerAccount.kind == AccountKind.LEARNER_CREDIT,
            LedgerAccount.program_id.in_(list(program_ids)),
        )
        .order_by(Transfer.effective_on, Transfer.created_at, Entry.id)
    )
    if before is not None:
        query = query.where(Transfer.effective_on < before)
    return [EntryRow(*row) for row in session.execute(query)]


def entries_of_program(
    session: Session, program_id: uuid.UUID, start: date, end: date
) -> Sequence[EntryRow]:
    """Every entry of transfers effective from ``start`` to ``end`` (both included), transfer
    by transfer."""
    query = (
        select(Entry, Transfer, LedgerAccount)
        .join(Transfer, Transfer.id == Entry.transfer_id)
        .join(LedgerAccount, LedgerAccount.id == Entry.account_id)
        .where(
            Transfer.program_id == program_id,
            Transfer.effective_on >= start,
            Transfer.effective_on <= end,
        )
        .order_by(Transfer.effective_on, Transfer.created_at, Transfer.id, LedgerAccount.code)
    )
    return [EntryRow(*row) for row in session.execute(query)]


def credit_by_tier(session: Session, program_id: uuid.UUID) -> dict[str, tuple[int, int]]:
    """Per tier: credit granted in all, and what learners hold of it now."""
    outstanding = session.execute(
        select(LedgerAccount.tier, func.sum(LedgerAccount.balance_minor))
        .where(
            LedgerAccount.program_id == program_id,
            LedgerAccount.kind == AccountKind.LEARNER_CREDIT,
        )
        .group_by(LedgerAccount.tier)
    )
    granted = {
        row[0]: row[1]
        for row in session.execute(
            select(LedgerAccount.tier, func.sum(CreditLot.amount_minor))
            .join(CreditLot, CreditLot.account_id == LedgerAccount.id)
            .where(LedgerAccount.program_id == program_id)
            .group_by(LedgerAccount.tier)
        )
    }
    return {
        tier or "": (int(granted.get(tier) or 0), int(total or 0)) for tier, total in outstanding
    }
