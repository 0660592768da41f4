"""What a learner declares about themselves for learning-account programs, and the facts the
rule engine judges them on.

Facts belong to the learner: they edit them, and a program's administrators read them only
for learners who joined that program (joining is the consent to share them)."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from cairn.accounts import repository as repo
from cairn.accounts.eligibility import LearnerFacts as RuleFacts
from cairn.accounts.models import LearnerFacts, Program
from cairn.accounts.permissions import administered_program
from cairn.accounts.schemas import FactsWrite
from cairn.kit.actor import Actor, Scope, require_person, require_scope
from cairn.kit.errors import NotFound
from cairn.kit.i18n import lazy_gettext
from cairn.orgs.enums import OrgKind


def rules_facts(session: Session, person_id: uuid.UUID, program: Program) -> RuleFacts:
    """The pure facts for the rule engine. The employer's size is the program's organisation
    when it is the learner's employer (an employer's own program), else their first
    employer's."""
    row = repo.get_facts(session, person_id)
    memberships = repo.memberships_with_orgs(session, person_id)
    employers = [org for _, org in memberships if org.kind is OrgKind.EMPLOYER]
    own = [org for org in employers if org.id == program.org_id]
    employer = next(iter(own or employers), None)
    return RuleFacts(
        birth_date=row.birth_date if row else None,
        residency=row.residency if row else None,
        employment_status=row.employment_status if row else None,
        income_band=row.income_band if row else None,
        region_type=row.region_type if row else None,
        employer_size=employer.size_band if employer else None,
        member_of_program_org=any(org.id == program.org_id for _, org in memberships),
        attributes=dict(row.attributes) if row else {},
    )


def get_my_facts(session: Session, actor: Actor) -> LearnerFacts | None:
    """The facts the actor declared; None before they declare any."""
    require_scope(actor, Scope.ACCOUNTS_READ)
    require_person(actor)
    return repo.get_facts(session, actor.person_id)


def set_my_facts(session: Session, actor: Actor, data: FactsWrite) -> LearnerFacts:
    """Replace the actor's facts. A change clears an administrator's verification, since
    what was checked against documents is no longer what is declared."""
    require_scope(actor, Scope.ACCOUNTS_WRITE)
    require_person(actor)
    row = repo.get_facts(session, actor.person_id)
    if row is None:
        row = LearnerFacts(person_id=actor.person_id, attributes={})
        session.add(row)
    values = data.model_dump()
    changed = any(getattr(row, name) != value for name, value in values.items())
    for name, value in values.items():
        setattr(row, name, value)
    if changed:
        row.verified_at = None
        row.verified_by_id = None
    session.flush()
    return row


def participant_facts(
    session: Session, actor: Actor, program_id: uuid.UUID, person_id: uuid.UUID
) -> LearnerFacts | None:
    """A participant's facts for their program's administrators; anyone who did not join
    this program is not found, so facts never leak across programs."""
    require_scope(actor, Scope.ACCOUNTS_READ)
    program = administered_program(session, actor, program_id)
    if repo.get_participant(session, program.id, person_id) is None:
        raise NotFound(lazy_gettext("This person does not take part in the program."))
    return repo.get_facts(session, person_id)
