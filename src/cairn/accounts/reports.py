"""What programs and learners read from the ledger: a program's dashboard, a learner's
balances with what expires when, their history and monthly statement, and the finance
export.

The finance export is CSV, one row per ledger entry, transfer by transfer, with these
headers in this order (stable: finance systems map them by name):

``program`` (``org-slug/program-slug``), ``transfer_id``, ``effective_on`` (ISO date),
``posted_at`` (ISO date and time, UTC), ``kind`` (the transfer kind: grant, hold, capture,
release, refund, expiry, funding, adjustment), ``idempotency_key``, ``posted_by`` (an
e-mail address, or ``operator``), ``reason``, ``reference_kind`` (grant, enrolment or
program), ``reference_id``, ``account_code``, ``account_kind``, ``currency``,
``amount_minor`` (a signed integer in minor units: positive into the account) and
``amount`` (the same, formatted with its currency in the reader's language)."""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from cairn.accounts import ledger_repository
from cairn.accounts import repository as repo
from cairn.accounts.enums import AccountKind, TransferKind, label
from cairn.accounts.ledger_models import CreditLot, LedgerAccount
from cairn.accounts.models import Participant, Program
from cairn.accounts.money import format_money
from cairn.accounts.permissions import administered_program, can_administer
from cairn.accounts.rules import ProgramRules
from cairn.accounts.service import program_rules
from cairn.kit.actor import Actor, Scope, require_scope
from cairn.kit.clock import as_utc, utcnow
from cairn.kit.errors import FieldError, InvalidInput, NotFound
from cairn.kit.i18n import lazy_gettext
from cairn.orgs.models import Person

CSV_HEADERS = (
    "program",
    "transfer_id",
    "effective_on",
    "posted_at",
    "kind",
    "idempotency_key",
    "posted_by",
    "reason",
    "reference_kind",
    "reference_id",
    "account_code",
    "account_kind",
    "currency",
    "amount_minor",
    "amount",
)
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


# A program's dashboard ----------------------------------------------------------------------


@dataclass(frozen=True)
class TierFigures:
    code: str
    name: str
    granted_minor: int
    outstanding_minor: int


@dataclass(frozen=True)
class Dashboard:
    program: Program
    rules: ProgramRules
    committed_minor: int
    """Held for enrolments not yet completed."""
    spent_minor: int
    credit_outstanding_minor: int
    expired_minor: int
    participants: int
    tiers: list[TierFigures]

    @property
    def budget_left_minor(self) -> int | None:
        budget = self.program.budget_minor
        return None if budget is None else budget - self.committed_minor - self.spent_minor


def program_dashboard(session: Session, actor: Actor, program_id: uuid.UUID) -> Dashboard:
    """Budget, commitments, spend, credit outstanding and expired, and each tier's figures,
    for the program's administrators."""
    require_scope(actor, Scope.ACCOUNTS_READ)
    program = administered_program(session, actor, program_id)
    rules = program_rules(program)
    totals = repo.balances_by_kind(session, program.id)
    by_tier = repo.credit_by_tier(session, program.id)
    return Dashboard(
        program=program,
        rules=rules,
        committed_minor=totals.get(AccountKind.HELD, 0),
        spent_minor=totals.get(AccountKind.SPENT, 0),
        credit_outstanding_minor=totals.get(AccountKind.LEARNER_CREDIT, 0),
        expired_minor=totals.get(AccountKind.EXPIRED, 0),
        participants=repo.count_active_participants(session, program.id),
        tiers=[
            TierFigures(tier.code, tier.name, *by_tier.get(tier.code, (0, 0)))
            for tier in rules.ordered_tiers()
        ],
    )


def participants(
    session: Session, actor: Actor, program_id: uuid.UUID
) -> Sequence[tuple[Participant, Person]]:
    """Who joined the program, active or left, for its administrators."""
    require_scope(actor, Scope.ACCOUNTS_READ)
    program = administered_program(session, actor, program_id)
    return repo.participants_with_people(session, program.id)


# Whose accounts the actor may read ----------------------------------------------------------


def _readable_programs(
    session: Session, actor: Actor, person_id: uuid.UUID, program_id: uuid.UUID | None
) -> list[Program]:
    """The programs of ``person_id``'s accounts the actor may read: all of them for the
    person and the platform, those they run for a program's administrators. Anyone else,
    or a person who joined none of the programs the actor runs, is not found."""
    require_scope(actor, Scope.ACCOUNTS_READ)
    if repo.person(session, person_id) is None:
        raise NotFound(lazy_gettext("Person not found."))
    own = (not actor.system and actor.person_id == person_id) or actor.is_platform_admin
    programs = [
        program
        for _, program in repo.participations_of(session, person_id)
        if own or can_administer(actor, program.org_id)
    ]
    if not own and not programs:
        raise NotFound(lazy_gettext("Person not found."))
    if program_id is not None:
        programs = [program for program in programs if program.id == program_id]
        if not programs:
            raise NotFound(lazy_gettext("Program not found."))
    return programs


def _tier_names(rules: ProgramRules) -> dict[str, str]:
    return {tier.code: tier.name for tier in rules.ordered_tiers()}


def _ordered(accounts: Sequence[LedgerAccount], rules: ProgramRules) -> list[LedgerAccount]:
    """Accounts in the order credit is spent; tiers no longer in the rules last."""
    order = {code: index for index, code in enumerate(rules.deduction_order)}
    return sorted(accounts, key=lambda a: (order.get(a.tier or "", len(order)), a.tier or ""))


# Balances -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TierBalance:
    code: str
    name: str
    balance_minor: int
    expiring: list[tuple[int, date]]
    """(amount, last day) of what lapses when, earliest first; the rest never expires."""


@dataclass(frozen=True)
class ProgramBalances:
    program: Program
    tiers: list[TierBalance]

    @property
    def total_minor(self) -> int:
        return sum(tier.balance_minor for tier in self.tiers)


def expiring_parts(lots: Sequence[CreditLot], balance_minor: int) -> list[tuple[int, date]]:
    """Which lots the balance belongs to: spending takes the earliest-expiring credit first,
    so what is left is the latest-expiring credit (never-expiring credit last of all)."""
    latest_first = sorted(
        lots,
        key=lambda lot: (lot.expires_on is not None, -(lot.expires_on or date.min).toordinal()),
    )
    left = balance_minor
    parts: dict[date, int] = {}
    for lot in latest_first:
        share = min(left, lot.amount_minor)
        left -= share
        if share > 0 and lot.expires_on is not None:
            parts[lot.expires_on] = parts.get(lot.expires_on, 0) + share
    return sorted(((amount, day) for day, amount in parts.items()), key=lambda part: part[1])


def balances(
    session: Session, actor: Actor, *, person_id: uuid.UUID | None = None
) -> list[ProgramBalances]:
    """Credit by tier in each program the person joined (the actor's own by default), every
    tier of the rules shown, with what of it expires when."""
    person = actor.person_id if person_id is None else person_id
    found = []
    for program in _readable_programs(session, actor, person, None):
        rules = program_rules(program)
        accounts = {
            a.tier: a for a in ledger_repository.credit_accounts(session, program.id, person)
        }
        lots = repo.lots_of(session, [account.id for account in accounts.values()])
        tiers = []
        for tier in rules.ordered_tiers():
            account = accounts.get(tier.code)
            balance = account.balance_minor if account else 0
            own_lots = [lot for lot in lots if account and lot.account_id == account.id]
            tiers.append(
                TierBalance(tier.code, tier.name, balance, expiring_parts(own_lots, balance))
            )
        found.append(ProgramBalances(program, tiers))
    return found


# History and statements ---------------------------------------------------------------------


@dataclass(frozen=True)
class StatementLine:
    transfer_id: uuid.UUID
    effective_on: date
    kind: TransferKind
    description: str
    amount_minor: int


def _line(row: repo.EntryRow) -> StatementLine:
    transfer = row.transfer
    return StatementLine(
        transfer_id=transfer.id,
        effective_on=transfer.effective_on,
        kind=transfer.kind,
        description=f"{label(transfer.kind)}: {transfer.reason}",
        amount_minor=row.entry.amount_minor,
    )


@dataclass(frozen=True)
class HistoryLine:
    program: Program
    tier_name: str
    line: StatementLine


def history(
    session: Session, actor: Actor, *, person_id: uuid.UUID | None = None, limit: int = 50
) -> list[HistoryLine]:
    """The latest movements of the person's credit, newest first."""
    person = actor.person_id if person_id is None else person_id
    programs = {program.id: program for program in _readable_programs(session, actor, person, None)}
    names = {program_id: _tier_names(program_rules(p)) for program_id, p in programs.items()}
    rows = repo.entries_of_person(session, person, list(programs))
    return [
        HistoryLine(
            programs[row.account.program_id],
            names[row.account.program_id].get(row.account.tier or "", row.account.tier or ""),
            _line(row),
        )
        for row in reversed(rows[-limit:])
    ]


@dataclass(frozen=True)
class TierStatement:
    code: str
    name: str
    opening_minor: int
    lines: list[StatementLine]

    @property
    def closing_minor(self) -> int:
        return self.opening_minor + sum(line.amount_minor for line in self.lines)


@dataclass(frozen=True)
class ProgramStatement:
    program: Program
    tiers: list[TierStatement]


@dataclass(frozen=True)
class Statement:
    person: Person
    month: date
    """The first day of the month."""
    programs: list[ProgramStatement]

    @property
    def empty(self) -> bool:
        """Nothing moved in the month."""
        return not any(tier.lines for program in self.programs for tier in program.tiers)


def parse_month(text: str | None, field: str = "month") -> date:
    """``2026-11`` → the first day of November 2026; no month is this month; anything else
    names the field."""
    if text is None:
        return utcnow().date().replace(day=1)
    parts = MONTH.fullmatch(text.strip())
    if parts is None or not 1 <= int(parts[2]) <= 12:
        message = lazy_gettext("Give a month as YYYY-MM, e.g. 2026-11.")
        raise InvalidInput(message, [FieldError(field, message)])
    return date(int(parts[1]), int(parts[2]), 1)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def statement(
    session: Session,
    actor: Actor,
    *,
    person_id: uuid.UUID | None = None,
    month: date,
    program_id: uuid.UUID | None = None,
) -> Statement:
    """A month of the person's credit, per program and tier: the balance at the start, each
    movement with its reason, the balance at the end. Dated by each posting's effective day."""
    person_key = actor.person_id if person_id is None else person_id
    programs = _readable_programs(session, actor, person_key, program_id)
    person = repo.person(session, person_key)
    if person is None:  # pragma: no cover - _readable_programs found the person
        raise NotFound(lazy_gettext("Person not found."))
    start = month.replace(day=1)
    end = _next_month(start)
    rows = repo.entries_of_person(session, person_key, [p.id for p in programs], before=end)
    found = []
    for program in programs:
        rules = program_rules(program)
        names = _tier_names(rules)
        accounts = _ordered(
            ledger_repository.credit_accounts(session, program.id, person_key), rules
        )
        tiers = []
        for account in accounts:
            own = [row for row in rows if row.account.id == account.id]
            tiers.append(
                TierStatement(
                    code=account.tier or "",
                    name=names.get(account.tier or "", account.tier or ""),
                    opening_minor=sum(
                        row.entry.amount_minor for row in own if row.transfer.effective_on < start
                    ),
                    lines=[_line(row) for row in own if row.transfer.effective_on >= start],
                )
            )
        found.append(ProgramStatement(program, tiers))
    return Statement(person, start, found)


# The finance export -------------------------------------------------------------------------


def export_range(start: date | None, end: date | None) -> tuple[date, date]:
    """The days a finance export covers: as asked, else this month so far."""
    today = utcnow().date()
    return start or today.replace(day=1), end or today


def finance_csv(
    session: Session, actor: Actor, program_id: uuid.UUID, *, start: date, end: date
) -> str:
    """Every entry of every transfer effective from ``start`` to ``end`` (both included),
    with the headers in ``CSV_HEADERS``; for the program's administrators."""
    require_scope(actor, Scope.ACCOUNTS_READ)
    program = administered_program(session, actor, program_id)
    if end < start:
        message = lazy_gettext("The end date is before the start date.")
        raise InvalidInput(message, [FieldError("end", message)])
    org = repo.organisation(session, program.org_id)
    name = f"{org.slug if org else program.org_id}/{program.slug}"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADERS)
    for row in repo.entries_of_program(session, program.id, start, end):
        transfer, account, amount = row.transfer, row.account, row.entry.amount_minor
        writer.writerow(
            (
                name,
                transfer.id,
                transfer.effective_on.isoformat(),
                as_utc(transfer.created_at).isoformat(),
                transfer.kind.value,
                transfer.idempotency_key,
                transfer.actor_label,
                transfer.reason,
                transfer.reference_kind.value,
                transfer.reference_id,
                account.code,
                account.kind.value,
                account.currency,
                amount,
                format_money(amount, account.currency),
            )
        )
    return out.getvalue()
