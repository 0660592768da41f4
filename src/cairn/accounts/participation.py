"""Learners and programs: which open programs a learner may join and, in words, why not;
joining with explicit consent; leaving.

Joining posts the grants already due (an opening credit, a birthday passed, a dated top-up
for later joiners) in the same transaction, so a learner never sees a program they joined
without the credit it promised; later grants come from the daily run (``scheduling``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from cairn.accounts import ledger
from cairn.accounts import repository as repo
from cairn.accounts.eligibility import Unmet, check_eligibility
from cairn.accounts.enums import ParticipantStatus, ProgramStatus
from cairn.accounts.errors import AlreadyParticipating, NotEligible, ProgramNotOpen
from cairn.accounts.facts import rules_facts
from cairn.accounts.grants import grants_due
from cairn.accounts.ledger_models import CreditLot
from cairn.accounts.models import Participant, Program
from cairn.accounts.service import program_rules
from cairn.kit.actor import Actor, Scope, require_person, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import FieldError, InvalidInput, NotFound
from cairn.kit.i18n import gettext, lazy_gettext


@dataclass(frozen=True)
class Offer:
    """An open program as one learner sees it."""

    program: Program
    unmet: list[Unmet]
    """Why the learner may not join, one sentence per criterion; empty when they may."""
    participant: Participant | None
    """Their participation, active or left, if they ever joined."""

    @property
    def eligible(self) -> bool:
        return not self.unmet

    @property
    def taking_part(self) -> bool:
        return self.participant is not None and self.participant.status is ParticipantStatus.ACTIVE


def _today(on: date | None) -> date:
    return on if on is not None else utcnow().date()


def _open_program(session: Session, program_id: uuid.UUID, *, lock: bool = False) -> Program:
    """Learners see open programs only; drafts do not exist for them."""
    program = repo.get_program(session, program_id, lock=lock)
    if program is None or program.status is ProgramStatus.DRAFT:
        raise NotFound(lazy_gettext("Program not found."))
    return program


def _offer(session: Session, person_id: uuid.UUID, program: Program, on: date) -> Offer:
    facts = rules_facts(session, person_id, program)
    unmet = check_eligibility(program_rules(program).eligibility, facts, on)
    return Offer(program, unmet, repo.get_participant(session, program.id, person_id))


def open_programs(session: Session, actor: Actor, *, on: date | None = None) -> list[Offer]:
    """Every open program with whether the actor may join it, judged on ``on`` (today)."""
    require_scope(actor, Scope.ACCOUNTS_READ)
    require_person(actor)
    day = _today(on)
    return [
        _offer(session, actor.person_id, program, day)
        for program in repo.programs_with_status(session, ProgramStatus.OPEN)
    ]


def preview(
    session: Session, actor: Actor, program_id: uuid.UUID, *, on: date | None = None
) -> Offer:
    """One program's eligibility for the actor, in words."""
    require_scope(actor, Scope.ACCOUNTS_READ)
    require_person(actor)
    return _offer(session, actor.person_id, _open_program(session, program_id), _today(on))


def my_participations(session: Session, actor: Actor) -> list[tuple[Participant, Program]]:
    """The programs the actor joined, left ones included (their credit may remain)."""
    require_scope(actor, Scope.ACCOUNTS_READ)
    require_person(actor)
    return list(repo.participations_of(session, actor.person_id))


def join(
    session: Session,
    actor: Actor,
    program_id: uuid.UUID,
    *,
    consent: bool,
    on: date | None = None,
) -> Participant:
    """Join an open program with consent, if eligible on ``on``, and receive the grants
    already due. A learner who left may join again; grants given before are not given
    twice."""
    require_scope(actor, Scope.ACCOUNTS_WRITE)
    require_person(actor)
    day = _today(on)
    program = _open_program(session, program_id, lock=True)
    if program.status is not ProgramStatus.OPEN:
        raise ProgramNotOpen(lazy_gettext("This program is closed to new learners."))
    participant = repo.get_participant(session, program.id, actor.person_id, lock=True)
    if participant is not None and participant.status is ParticipantStatus.ACTIVE:
        raise AlreadyParticipating(
            lazy_gettext(
                "You already take part in %(program)s since %(day)s.",
                program=program.name,
                day=participant.joined_on.isoformat(),
            )
        )
    if not consent:
        message = lazy_gettext(
            "Tick the box to agree to share your facts and your enrolments with the program."
        )
        raise InvalidInput(message, [FieldError("consent", message)])
    facts = rules_facts(session, actor.person_id, program)
    unmet = check_eligibility(program_rules(program).eligibility, facts, day)
    if unmet:
        raise NotEligible(
            lazy_gettext("You cannot join %(program)s yet.", program=program.name),
            [FieldError(item.criterion, item.message) for item in unmet],
        )
    if participant is None:
        participant = Participant(program_id=program.id, person_id=actor.person_id, joined_on=day)
        session.add(participant)
    participant.status = ParticipantStatus.ACTIVE
    participant.consented_at = utcnow()
    participant.left_on = None
    session.flush()
    post_grants_due(session, actor, program, participant, day)
    return participant


def leave(
    session: Session, actor: Actor, program_id: uuid.UUID, *, on: date | None = None
) -> Participant:
    """Stop taking part: no new grants, and the program no longer reads the learner's new
    facts. Credit already granted stays usable until it expires."""
    require_scope(actor, Scope.ACCOUNTS_WRITE)
    require_person(actor)
    program = _open_program(session, program_id)
    participant = repo.get_participant(session, program.id, actor.person_id, lock=True)
    if participant is None or participant.status is not ParticipantStatus.ACTIVE:
        raise NotFound(lazy_gettext("You do not take part in this program."))
    participant.status = ParticipantStatus.LEFT
    participant.left_on = _today(on)
    session.flush()
    return participant


def post_grants_due(
    session: Session, actor: Actor, program: Program, participant: Participant, as_of: date
) -> list[CreditLot]:
    """Every grant occurrence due to the participant by ``as_of`` and not yet given. The
    ledger posts each grant key once, so calling this again posts nothing new. Callers check
    who may."""
    rules = program_rules(program)
    due = grants_due(
        rules,
        rules_facts(session, participant.person_id, program),
        participant.joined_on,
        as_of,
        repo.granted_keys(session, program.id, participant.person_id),
    )
    by = ledger.posted_by(actor)
    return [
        ledger.grant(
            session,
            program=program,
            person_id=participant.person_id,
            tier=item.tier,
            amount_minor=item.amount_minor,
            grant_key=item.key,
            granted_on=item.effective_on,
            expires_on=item.expires_on,
            by=by,
            reason=gettext(
                "%(tier)s: grant “%(grant)s” of %(program)s",
                tier=rules.tier(item.tier).name,
                grant=item.grant_code,
                program=program.name,
            ),
            participant_id=participant.id,
        )
        for item in due
    ]
