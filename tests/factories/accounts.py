"""Learning-account programs, their participants and credit, for tests."""

from __future__ import annotations

import itertools
import uuid
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from cairn.accounts import ledger
from cairn.accounts.enums import ParticipantStatus, ProgramStatus, Residency
from cairn.accounts.ledger import PostedBy
from cairn.accounts.ledger_models import CreditLot
from cairn.accounts.models import LearnerFacts, Participant, Program
from cairn.accounts.rules import ProgramRules, example_rules
from cairn.kit.actor import Role
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Organisation, Person
from tests.factories.orgs import make_member, make_org, make_person

_counter = itertools.count(1)

TEST_POSTER = PostedBy(None, "tests")
"""Who the tests post as: the operator, by a label of its own."""


def simple_rules(currency: str = "SGD", tiers: tuple[str, ...] = ("base",)) -> dict[str, Any]:
    """A valid rules document with credit tiers that never expire and nothing else."""
    return {
        "currency": currency,
        "tiers": [{"code": tier, "name": f"{tier.title()} credit"} for tier in tiers],
        "deduction_order": list(tiers),
    }


def make_program(
    session: Session,
    *,
    org: Organisation | None = None,
    rules: dict[str, Any] | None = None,
    budget_minor: int | None = None,
    status: ProgramStatus = ProgramStatus.OPEN,
    name: str | None = None,
) -> Program:
    """An open program; ``rules`` are validated as a ``ProgramRules`` document."""
    number = next(_counter)
    document = ProgramRules.model_validate(rules or simple_rules())
    program = Program(
        org_id=(org or make_org(session, kind=OrgKind.PROGRAM_AUTHORITY)).id,
        slug=f"program-{number}-{uuid.uuid4().hex[:6]}",
        name=name or f"Program {number}",
        status=status,
        currency=document.currency,
        rules=document.model_dump(mode="json"),
        budget_minor=budget_minor,
    )
    session.add(program)
    session.flush()
    return program


def make_participant(
    session: Session,
    program: Program,
    *,
    person: Person | None = None,
    joined_on: date = date(2026, 1, 5),
) -> Participant:
    participant = Participant(
        program_id=program.id,
        person_id=(person or make_person(session)).id,
        status=ParticipantStatus.ACTIVE,
        joined_on=joined_on,
    )
    session.add(participant)
    session.flush()
    return participant


def make_credit(
    session: Session,
    participant: Participant,
    amount_minor: int,
    *,
    tier: str = "base",
    granted_on: date = date(2026, 1, 5),
    expires_on: date | None = None,
    grant_key: str | None = None,
) -> CreditLot:
    """Credit granted into a participant's tier, as the program's grants would."""
    program = session.get_one(Program, participant.program_id)
    return ledger.grant(
        session,
        program=program,
        person_id=participant.person_id,
        tier=tier,
        amount_minor=amount_minor,
        grant_key=grant_key or f"test-{uuid.uuid4().hex[:8]}",
        granted_on=granted_on,
        expires_on=expires_on,
        by=TEST_POSTER,
        reason="Granted for a test",
        participant_id=participant.id,
    )


def example_document(name: str) -> dict[str, Any]:
    """A shipped example rules document (``skillsfuture``, ``employer_matching``) as JSON."""
    return example_rules(name).model_dump(mode="json")


def make_facts(
    session: Session,
    person: Person,
    *,
    birth_date: date | None = date(1996, 3, 10),
    residency: Residency | None = Residency.CITIZEN,
    **more: Any,
) -> LearnerFacts:
    """A learner's declared facts: by default a citizen born on 10 March 1996."""
    facts = LearnerFacts(
        person_id=person.id, birth_date=birth_date, residency=residency, attributes={}, **more
    )
    session.add(facts)
    session.flush()
    return facts


def make_program_admin(session: Session, program: Program) -> Person:
    """A program administrator of the organisation running ``program``."""
    org = session.get_one(Organisation, program.org_id)
    return make_member(session, org, Role.PROGRAM_ADMIN)
