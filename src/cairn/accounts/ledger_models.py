"""The credit ledger: double entry in integer minor units.

A transfer is one posting: a set of entries under one id that sum to zero, with who made it,
why, what it is about (a grant or an enrolment) and an idempotency key, so that posting twice
posts once. Entries are never changed or deleted (the database refuses it); a mistake is
corrected by another transfer. ``LedgerAccount.balance_minor`` is a cache of the sum of its
entries, which ``cairn accounts audit`` checks."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cairn.accounts import models as accounts_models  # noqa: F401 - accounts belong to programs
from cairn.accounts.enums import AccountKind, HoldStatus, ReferenceKind, TransferKind
from cairn.kit.clock import utcnow
from cairn.kit.db import Base, IdMixin, str_enum


class LedgerAccount(IdMixin, Base):
    __tablename__ = "ledger_accounts"
    __table_args__ = (
        UniqueConstraint("program_id", "code"),
        CheckConstraint("kind = 'funding' OR balance_minor >= 0", name="balance_not_negative"),
    )

    program_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("programs.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[AccountKind] = mapped_column(str_enum(AccountKind, "account_kind"))
    code: Mapped[str] = mapped_column(String(120))
    """Unique within the program: ``funding``, ``held``, ``spent``, ``expired``, or
    ``credit:<person id>:<tier>``."""
    person_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), index=True
    )
    tier: Mapped[str | None] = mapped_column(String(80))
    currency: Mapped[str] = mapped_column(String(3))
    balance_minor: Mapped[int] = mapped_column(Integer, default=0)
    """The sum of the account's entries, kept by every posting."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Transfer(IdMixin, Base):
    __tablename__ = "ledger_transfers"

    program_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("programs.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[TransferKind] = mapped_column(str_enum(TransferKind, "transfer_kind"))
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    """The same key posts once: a retried request gets the first posting back."""
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    """Who posted it; None for the operator or the scheduler, named in ``actor_label``."""
    actor_label: Mapped[str] = mapped_column(String(320))
    reason: Mapped[str] = mapped_column(Text)
    reference_kind: Mapped[ReferenceKind] = mapped_column(str_enum(ReferenceKind, "reference_kind"))
    reference_id: Mapped[uuid.UUID] = mapped_column(index=True)
    """The grant's participant, the enrolment or the program the posting is about."""
    effective_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Entry(IdMixin, Base):
    __tablename__ = "ledger_entries"
    __table_args__ = (CheckConstraint("amount_minor <> 0", name="amount_not_zero"),)

    transfer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_transfers.id", ondelete="RESTRICT"), index=True
    )
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_accounts.id", ondelete="RESTRICT"), index=True
    )
    amount_minor: Mapped[int] = mapped_column(Integer)
    """Added to the account's balance: positive in, negative out."""


class CreditLot(IdMixin, Base):
    """One grant of credit into a learner's tier account, with its expiry: what lapses on a
    day is worked out from the lots, spending the earliest-expiring credit first."""

    __tablename__ = "credit_lots"
    __table_args__ = (UniqueConstraint("account_id", "grant_key"),)

    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_accounts.id", ondelete="RESTRICT"), index=True
    )
    transfer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_transfers.id", ondelete="RESTRICT"), unique=True
    )
    grant_key: Mapped[str] = mapped_column(String(120))
    amount_minor: Mapped[int] = mapped_column(Integer)
    granted_on: Mapped[date]
    expires_on: Mapped[date | None]


class Hold(IdMixin, Base):
    """Credit and subsidy reserved for one enrolment: captured at completion, released on
    withdrawal. The hold transfer's entries say which accounts it came from, so a release
    returns each amount where it was taken."""

    __tablename__ = "ledger_holds"

    program_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("programs.id", ondelete="RESTRICT"), index=True
    )
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), index=True
    )
    enrolment_id: Mapped[uuid.UUID] = mapped_column(index=True)
    """The catalogue enrolment it pays for (catalogue sits above accounts, so no foreign key)."""
    status: Mapped[HoldStatus] = mapped_column(
        str_enum(HoldStatus, "hold_status"), default=HoldStatus.HELD
    )
    amount_minor: Mapped[int] = mapped_column(Integer)
    hold_transfer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_transfers.id", ondelete="RESTRICT")
    )
    settle_transfer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_transfers.id", ondelete="RESTRICT")
    )
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    settled_at: Mapped[datetime | None]
