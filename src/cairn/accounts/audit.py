"""The ledger's audit: every invariant checked over the whole ledger, one set-based query
each, so that it runs in seconds on hundreds of thousands of entries.

Postings keep these rules as they write; the audit proves they held, and names each row
that breaks one, for ``cairn accounts audit`` and for the tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy.orm import Session

from cairn.accounts import ledger_repository as repo
from cairn.kit.i18n import gettext


class ViolationCode(StrEnum):
    UNBALANCED = "unbalanced"
    STALE_BALANCE = "stale_balance"
    NEGATIVE_BALANCE = "negative_balance"
    FOREIGN_ACCOUNT = "foreign_account"
    MISSING_TRAIL = "missing_trail"
    HELD_MISMATCH = "held_mismatch"
    HOLD_MISMATCH = "hold_mismatch"
    LOT_WITHOUT_GRANT = "lot_without_grant"
    REPEATED_KEY = "repeated_key"


@dataclass(frozen=True)
class Violation:
    code: ViolationCode
    message: str
    transfer_id: uuid.UUID | None = None
    account_id: uuid.UUID | None = None
    hold_id: uuid.UUID | None = None
    lot_id: uuid.UUID | None = None
    program_id: uuid.UUID | None = None


@dataclass
class AuditReport:
    violations: list[Violation] = field(default_factory=list)
    transfers_checked: int = 0
    accounts_checked: int = 0
    entries_checked: int = 0

    @property
    def clean(self) -> bool:
        return not self.violations


def audit_ledger(session: Session) -> AuditReport:
    """Check every rule of the ledger; an empty list of violations means the books hold."""
    transfers, accounts, entries = repo.count_rows(session)
    report = AuditReport(
        transfers_checked=transfers, accounts_checked=accounts, entries_checked=entries
    )
    found = report.violations
    for transfer_id, total, count in repo.unbalanced_transfers(session):
        found.append(
            Violation(
                ViolationCode.UNBALANCED,
                gettext(
                    "Transfer %(id)s has %(count)s entries summing to %(total)s "
                    "(two or more, summing to zero, expected).",
                    id=transfer_id,
                    count=count,
                    total=total,
                ),
                transfer_id=transfer_id,
            )
        )
    for account_id, code, cached, summed in repo.stale_balances(session):
        found.append(
            Violation(
                ViolationCode.STALE_BALANCE,
                gettext(
                    "Account %(code)s shows a balance of %(cached)s but its entries sum to "
                    "%(summed)s.",
                    code=code,
                    cached=cached,
                    summed=summed,
                ),
                account_id=account_id,
            )
        )
    for account_id, code, balance in repo.negative_accounts(session):
        found.append(
            Violation(
                ViolationCode.NEGATIVE_BALANCE,
                gettext("Account %(code)s is below zero: %(balance)s.", code=code, balance=balance),
                account_id=account_id,
            )
        )
    for transfer_id, account_id in repo.foreign_entries(session):
        found.append(
            Violation(
                ViolationCode.FOREIGN_ACCOUNT,
                gettext(
                    "Transfer %(id)s has an entry on an account of another program or "
                    "currency (%(account)s).",
                    id=transfer_id,
                    account=account_id,
                ),
                transfer_id=transfer_id,
                account_id=account_id,
            )
        )
    for (transfer_id,) in repo.transfers_without_trail(session):
        found.append(
            Violation(
                ViolationCode.MISSING_TRAIL,
                gettext("Transfer %(id)s does not say who posted it or why.", id=transfer_id),
                transfer_id=transfer_id,
            )
        )
    for program_id, held_id, balance, open_total in repo.held_mismatches(session):
        found.append(
            Violation(
                ViolationCode.HELD_MISMATCH,
                gettext(
                    "Program %(id)s holds %(balance)s but its open reservations total %(open)s.",
                    id=program_id,
                    balance=balance,
                    open=open_total,
                ),
                account_id=held_id,
                program_id=program_id,
            )
        )
    for hold_id, problem in repo.inconsistent_holds(session):
        found.append(
            Violation(
                ViolationCode.HOLD_MISMATCH,
                gettext("Reservation %(id)s does not match its hold transfer.", id=hold_id)
                if problem == repo.HOLD_TRANSFER
                else gettext(
                    "Reservation %(id)s has a status its settling transfer does not match.",
                    id=hold_id,
                ),
                hold_id=hold_id,
            )
        )
    for (lot_id,) in repo.lots_without_grant(session):
        found.append(
            Violation(
                ViolationCode.LOT_WITHOUT_GRANT,
                gettext(
                    "Credit lot %(id)s is not backed by a grant of its amount into its account.",
                    id=lot_id,
                ),
                lot_id=lot_id,
            )
        )
    for key, count in repo.repeated_keys(session):
        found.append(
            Violation(
                ViolationCode.REPEATED_KEY,
                gettext(
                    "The idempotency key “%(key)s” was used by %(count)s transfers.",
                    key=key,
                    count=count,
                ),
            )
        )
    return report
