"""Paying for learning from a learner's programs: the split shown before they confirm, the
holds placed when they do, and settling those holds when the learning ends.

Programs pay in a fixed order (public program authorities first, then employers, each by
the day the learner joined), so a learner sees the same split every time they ask. Paying
works the split out again with the learner's accounts locked and refuses a split other than
the one the learner saw; everything runs in the caller's transaction, so an enrolment that
fails part-way leaves no hold behind."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from cairn.accounts import facts, holds, ledger
from cairn.accounts import payments_repository as repo
from cairn.accounts.enums import AccountKind, HoldStatus
from cairn.accounts.errors import QuoteChanged
from cairn.accounts.items import CatalogueItem
from cairn.accounts.ledger_models import Hold, LedgerAccount
from cairn.accounts.models import Program
from cairn.accounts.pricing import PriceInput, ProgramPosition, Quote, QuoteLine, quote
from cairn.accounts.service import program_rules
from cairn.kit.actor import Actor, Scope, require_scope
from cairn.kit.errors import FieldError, PermissionDenied
from cairn.kit.i18n import gettext, lazy_gettext

FUNDING_PURPOSE = {"subsidy": "subsidy", "matching": "matching"}
"""The funding account each kind of quote line is paid from, by its purpose; credit comes
from the learner's own tier account."""


@dataclass(frozen=True)
class PaymentPlan:
    quote: Quote
    holds: tuple[Hold, ...]


def _require_learner(actor: Actor, person_id: uuid.UUID) -> None:
    """A learner pays for their own learning; the operator may act for anyone."""
    if not (actor.system or actor.person_id == person_id):
        raise PermissionDenied(lazy_gettext("Only the learner can use their learning account."))


def _position(
    session: Session, program: Program, person_id: uuid.UUID, on: date
) -> ProgramPosition:
    committed = repo.committed_minor(session, program.id)
    return ProgramPosition(
        program_id=program.id,
        program_name=program.name,
        rules=program_rules(program),
        facts=facts.rules_facts(session, person_id, program),
        balances=ledger.balances(session, program, person_id),
        matched_this_year_minor=repo.matched_in_year(session, program.id, person_id, on.year),
        budget_left_minor=None
        if program.budget_minor is None
        else program.budget_minor - committed,
    )


def positions(session: Session, person_id: uuid.UUID, on: date) -> list[ProgramPosition]:
    """Where the learner stands in each program that pays for them, in the order they pay:
    what a quote reads, and what a pathway plans with."""
    return [
        _position(session, program, person_id, on)
        for program in repo.paying_programs(session, person_id)
    ]


def _quote(
    session: Session, programs: list[Program], person_id: uuid.UUID, item: CatalogueItem, on: date
) -> Quote:
    positions = [_position(session, program, person_id, on) for program in programs]
    return quote(PriceInput(item=item, on=on, programs=positions))


def quote_for(
    session: Session, actor: Actor, *, person_id: uuid.UUID, item: CatalogueItem, on: date
) -> Quote:
    """The split shown before the learner confirms: subsidy, credit by tier, employer
    matching and what is left for them to pay."""
    require_scope(actor, Scope.ACCOUNTS_READ)
    _require_learner(actor, person_id)
    return quote(PriceInput(item=item, on=on, programs=positions(session, person_id, on)))


def _split(quote: Quote) -> tuple[object, ...]:
    """What a split is made of, without the explanations' wording (which follows the
    reader's language): the amounts, where each comes from, and the co-pay."""
    return (
        quote.price_minor,
        quote.currency,
        quote.copay_minor,
        tuple(
            (line.kind, line.program_id, line.tier, line.rule_code, line.amount_minor)
            for line in quote.lines
        ),
    )


def same_split(seen: Quote, now: Quote) -> bool:
    return _split(seen) == _split(now)


def _source(
    session: Session, program: Program, person_id: uuid.UUID, line: QuoteLine
) -> LedgerAccount:
    if line.kind == "credit":
        return ledger.credit_account(session, program, person_id, line.tier or "")
    return ledger.system_account(session, program, AccountKind.FUNDING, FUNDING_PURPOSE[line.kind])


def pay(
    session: Session,
    actor: Actor,
    *,
    person_id: uuid.UUID,
    enrolment_id: uuid.UUID,
    item: CatalogueItem,
    on: date,
    expected: Quote,
) -> PaymentPlan:
    """Hold what each program pays for the enrolment, if the split is still the one the
    learner saw; a retried payment for the same enrolment posts once."""
    require_scope(actor, Scope.ACCOUNTS_WRITE)
    _require_learner(actor, person_id)
    programs = list(repo.paying_programs(session, person_id))
    # Lock every account the split reads before reading it, in id order: nobody spends the
    # learner's credit or the programs' budgets between the new split and its holds.
    ledger.lock(session, repo.accounts_paying_for(session, [p.id for p in programs], person_id))
    now = _quote(session, programs, person_id, item, on)
    if not same_split(expected, now):
        raise QuoteChanged(
            lazy_gettext("The split of the price has changed since you saw it: check it again."),
            [FieldError("expected", lazy_gettext("This is no longer the split."))],
            quote=now,
        )
    lines: defaultdict[uuid.UUID, list[QuoteLine]] = defaultdict(list)
    for line in now.lines:
        lines[line.program_id].append(line)
    by = ledger.posted_by(actor)
    placed = []
    for program in programs:
        if not lines[program.id]:
            continue
        sources = [
            (_source(session, program, person_id, line), line.amount_minor)
            for line in lines[program.id]
        ]
        placed.append(
            holds.place_hold(
                session,
                program=program,
                person_id=person_id,
                enrolment_id=enrolment_id,
                by=by,
                idempotency_key=f"enrolment:{enrolment_id}:hold:{program.id}",
                reason=gettext("Reserved for an enrolment in %(item)s.", item=item.slug),
                sources=sources,
                budget_minor=program.budget_minor,
            )
        )
    return PaymentPlan(now, tuple(placed))


def settle(session: Session, actor: Actor, *, enrolment_id: uuid.UUID, completed: bool) -> None:
    """Completed: pay every reservation of the enrolment. Not completed (a withdrawal or a
    cancelled offering): return what is reserved, and refund what was already paid. The
    catalogue's enrolment service decides who may do either before calling this."""
    by = ledger.posted_by(actor)
    for hold in repo.holds_of_enrolment(session, enrolment_id):
        if completed and hold.status is HoldStatus.HELD:
            holds.capture(session, hold, by=by, reason=gettext("The learner completed it."))
        elif not completed and hold.status is HoldStatus.HELD:
            holds.release(session, hold, by=by, reason=gettext("The enrolment was withdrawn."))
        elif not completed and hold.status is HoldStatus.CAPTURED:
            holds.refund(session, hold, by=by, reason=gettext("The enrolment was withdrawn."))
