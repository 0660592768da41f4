"""The daily run of learning accounts: grants that have fallen due, then credit that has
expired, for every active participant of every open program.

Grants go first so that credit due long ago and expired since (a run missed for months)
is granted and lapsed in the same run, as the ledger would show had it run every day. The
run is idempotent: grant keys post once, and what lapses is worked out from the balance
left (``expiry.expiry_due``), so running twice on a day posts nothing new."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from cairn.accounts import ledger, ledger_repository
from cairn.accounts import repository as repo
from cairn.accounts.enums import ProgramStatus
from cairn.accounts.expiry import Lot, expiry_due
from cairn.accounts.models import Participant, Program
from cairn.accounts.participation import post_grants_due
from cairn.accounts.permissions import administered_program
from cairn.kit.actor import Actor, Scope, require_scope
from cairn.kit.errors import PermissionDenied
from cairn.kit.i18n import gettext, lazy_gettext
from cairn.kit.progress import NoProgress, Progress


@dataclass
class RunReport:
    as_of: date
    programs: int = 0
    participants: int = 0
    grants: int = 0
    """Grant postings made by this run."""
    expiries: int = 0
    """Expiry postings made by this run (one per credit account with credit lapsing)."""


def run(
    session: Session,
    actor: Actor,
    *,
    as_of: date,
    program_id: uuid.UUID | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """Post grants and expiries due by ``as_of``: for one program (its administrators), or
    for all of them (the platform, or the operator's daily job)."""
    require_scope(actor, Scope.ACCOUNTS_WRITE)
    if program_id is not None:
        programs = [administered_program(session, actor, program_id)]
    elif actor.is_platform_admin:
        programs = list(repo.programs_with_status(session, ProgramStatus.OPEN))
    else:
        raise PermissionDenied(
            lazy_gettext("Only the platform runs every program; name one program you run.")
        )
    report = RunReport(as_of=as_of)
    bar = progress or NoProgress()
    for program in programs:
        if program.status is not ProgramStatus.OPEN:
            continue
        participants = repo.active_participants(session, program.id)
        bar.start(
            gettext("%(program)s: grants and expiry", program=program.name), len(participants)
        )
        report.programs += 1
        for participant in participants:
            report.participants += 1
            report.grants += len(post_grants_due(session, actor, program, participant, as_of))
            report.expiries += _expire(session, actor, program, participant, as_of)
            bar.advance()
    return report


def _expire(
    session: Session, actor: Actor, program: Program, participant: Participant, on: date
) -> int:
    """Lapse what is left of credit that expired before ``on``, tier by tier."""
    accounts = ledger_repository.credit_accounts(session, program.id, participant.person_id)
    lots = repo.lots_of(session, [account.id for account in accounts])
    posted = 0
    by = ledger.posted_by(actor)
    for account in accounts:
        amount = expiry_due(
            [Lot(lot.amount_minor, lot.expires_on) for lot in lots if lot.account_id == account.id],
            account.balance_minor,
            on,
        )
        if ledger.expire(
            session, program=program, account=account, amount_minor=amount, on=on, by=by
        ):
            posted += 1
    return posted
