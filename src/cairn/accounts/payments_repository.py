"""Queries paying for learning needs: the programs a learner pays from, in the order they
pay, what a program has committed, how much matching a learner had this year, and the holds
of an enrolment."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from cairn.accounts.enums import AccountKind, ParticipantStatus, ProgramStatus, ReferenceKind
from cairn.accounts.ledger_models import Entry, Hold, LedgerAccount, Transfer
from cairn.accounts.models import Participant, Program
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Organisation

MATCHING_ACCOUNT = f"{AccountKind.FUNDING}:matching"
"""The code of the funding account an employer program's matching is paid from."""


def paying_programs(session: Session, person_id: uuid.UUID) -> Sequence[Program]:
    """Open programs the learner actively takes part in, in the order they pay: public
    program authorities first, then employers, then others, each by the day joined."""
    order = case(
        (Organisation.kind == OrgKind.PROGRAM_AUTHORITY, 0),
        (Organisation.kind == OrgKind.EMPLOYER, 1),
        else_=2,
    )
    return session.scalars(
        select(Program)
        .join(Participant, Participant.program_id == Program.id)
        .join(Organisation, Organisation.id == Program.org_id)
        .where(
            Participant.person_id == person_id,
            Participant.status == ParticipantStatus.ACTIVE,
            Program.status == ProgramStatus.OPEN,
        )
        .order_by(order, Participant.joined_on, Program.id)
    ).all()


def committed_minor(session: Session, program_id: uuid.UUID) -> int:
    """What the program holds for enrolments and has spent on them: HELD plus SPENT."""
    total = session.scalar(
        select(func.coalesce(func.sum(LedgerAccount.balance_minor), 0)).where(
            LedgerAccount.program_id == program_id,
            LedgerAccount.kind.in_((AccountKind.HELD, AccountKind.SPENT)),
        )
    )
    return int(total or 0)


def matched_in_year(
    session: Session, program_id: uuid.UUID, person_id: uuid.UUID, year: int
) -> int:
    """What the program's matching account paid for the learner's enrolments reserved in
    ``year``, net of what releases and refunds gave back."""
    placed = aliased(Transfer)
    paid = session.scalar(
        select(func.coalesce(func.sum(Entry.amount_minor), 0))
        .join(LedgerAccount, LedgerAccount.id == Entry.account_id)
        .join(Transfer, Transfer.id == Entry.transfer_id)
        .join(
            Hold,
            (Hold.enrolment_id == Transfer.reference_id) & (Hold.program_id == Transfer.program_id),
        )
        .join(placed, placed.id == Hold.hold_transfer_id)
        .where(
            LedgerAccount.program_id == program_id,
            LedgerAccount.code == MATCHING_ACCOUNT,
            Transfer.reference_kind == ReferenceKind.ENROLMENT,
            Hold.person_id == person_id,
            placed.effective_on >= date(year, 1, 1),
            placed.effective_on <= date(year, 12, 31),
        )
    )
    return -int(paid or 0)


def holds_of_enrolment(session: Session, enrolment_id: uuid.UUID) -> Sequence[Hold]:
    return session.scalars(
        select(Hold).where(Hold.enrolment_id == enrolment_id).order_by(Hold.created_at, Hold.id)
    ).all()


def accounts_paying_for(
    session: Session, program_ids: Sequence[uuid.UUID], person_id: uuid.UUID
) -> list[uuid.UUID]:
    """The accounts a split for the learner reads or moves: their credit, and each program's
    funding, held and spent accounts."""
    if not program_ids:
        return []
    return list(
        session.scalars(
            select(LedgerAccount.id).where(
                LedgerAccount.program_id.in_(program_ids),
                (LedgerAccount.person_id == person_id)
                | LedgerAccount.kind.in_(
                    (AccountKind.FUNDING, AccountKind.HELD, AccountKind.SPENT)
                ),
            )
        )
    )
