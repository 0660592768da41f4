"""Joining a program: eligibility in words before joining, consent required, the opening
credit posted with the joining, joining twice refused politely; learners' own facts, seen by
a program's administrators only for their participants."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy.orm import Session

from cairn.accounts import facts, ledger, participation
from cairn.accounts.enums import EmploymentStatus, ParticipantStatus, ProgramStatus, Residency
from cairn.accounts.errors import AlreadyParticipating, NotEligible, ProgramNotOpen
from cairn.accounts.models import Program
from cairn.accounts.schemas import FactsWrite
from cairn.kit.actor import Role, Scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import InsufficientScope, InvalidInput, NotFound, PermissionDenied
from cairn.orgs.enums import OrgKind, SizeBand
from cairn.orgs.models import Organisation
from tests.factories.accounts import (
    example_document,
    make_facts,
    make_participant,
    make_program,
    make_program_admin,
)
from tests.factories.orgs import actor, make_member, make_org, make_person

DAY = date(2026, 4, 1)


def skillsfuture(session: Session, status: ProgramStatus = ProgramStatus.OPEN) -> Program:
    return make_program(
        session, rules=example_document("skillsfuture"), name="SkillsFuture Credit", status=status
    )


def test_a_learner_too_young_is_told_why_and_cannot_join(session: Session) -> None:
    program = skillsfuture(session)
    learner = make_person(session)
    make_facts(session, learner, birth_date=date(2005, 6, 1))
    me = actor(session, learner)

    [offer] = participation.open_programs(session, me, on=DAY)
    with pytest.raises(NotEligible) as refused:
        participation.join(session, me, program.id, consent=True, on=DAY)

    assert not offer.eligible
    assert [str(unmet.message) for unmet in offer.unmet] == [
        "You must be 21 or older on 2026-04-01; you are 20."
    ]
    assert [error.field for error in refused.value.field_errors] == ["min_age"]
    assert ledger.balances(session, program, learner.id) == {}


def test_a_30_year_old_citizen_joins_with_consent_and_gets_the_base_credit(
    session: Session,
) -> None:
    program = skillsfuture(session)
    learner = make_person(session)
    make_facts(session, learner, birth_date=date(1996, 3, 10))
    me = actor(session, learner)

    with pytest.raises(InvalidInput) as no_consent:
        participation.join(session, me, program.id, consent=False, on=DAY)
    participant = participation.join(session, me, program.id, consent=True, on=DAY)

    assert [error.field for error in no_consent.value.field_errors] == ["consent"]
    assert (participant.joined_on, participant.status) == (DAY, ParticipantStatus.ACTIVE)
    assert ledger.balances(session, program, learner.id) == {"base": 50_000}
    assert participation.preview(session, me, program.id, on=DAY).taking_part
    with pytest.raises(AlreadyParticipating) as twice:
        participation.join(session, me, program.id, consent=True, on=date(2026, 5, 1))
    assert str(twice.value) == "You already take part in SkillsFuture Credit since 2026-04-01."


def test_a_learner_who_leaves_and_rejoins_is_not_granted_twice(session: Session) -> None:
    program = skillsfuture(session)
    learner = make_person(session)
    make_facts(session, learner, birth_date=date(1990, 1, 1))
    me = actor(session, learner)
    participation.join(session, me, program.id, consent=True, on=DAY)

    left = participation.leave(session, me, program.id, on=date(2026, 5, 1))
    assert (left.status, left.left_on) == (ParticipantStatus.LEFT, date(2026, 5, 1))
    with pytest.raises(NotFound):
        participation.leave(session, me, program.id)
    participation.join(session, me, program.id, consent=True, on=date(2026, 6, 1))

    assert ledger.balances(session, program, learner.id) == {"base": 50_000}
    [(participant, _)] = participation.my_participations(session, me)
    assert (participant.status, participant.left_on) == (ParticipantStatus.ACTIVE, None)


def test_drafts_are_hidden_and_closed_programs_take_nobody(session: Session) -> None:
    draft = skillsfuture(session, status=ProgramStatus.DRAFT)
    closed = skillsfuture(session, status=ProgramStatus.CLOSED)
    learner = make_person(session)
    make_facts(session, learner)
    me = actor(session, learner)

    with pytest.raises(NotFound):
        participation.join(session, me, draft.id, consent=True, on=DAY)
    with pytest.raises(ProgramNotOpen):
        participation.join(session, me, closed.id, consent=True, on=DAY)
    assert participation.open_programs(session, me, on=DAY) == []
    with pytest.raises(InsufficientScope):
        participation.join(
            session,
            dataclasses.replace(me, scopes=frozenset({Scope.ACCOUNTS_READ})),
            closed.id,
            consent=True,
        )


def test_employer_programs_read_employment_from_memberships(session: Session) -> None:
    small_firm = make_org(session, kind=OrgKind.EMPLOYER, size_band=SizeBand.SMALL)
    program = make_program(session, org=small_firm, rules=example_document("employer_matching"))
    employee = make_member(session, small_firm, Role.LEARNER)
    outsider = make_person(session)

    inside = facts.rules_facts(session, employee.id, program)
    outside = facts.rules_facts(session, outsider.id, program)

    assert (inside.member_of_program_org, inside.employer_size) == (True, SizeBand.SMALL)
    assert (outside.member_of_program_org, outside.employer_size, outside.birth_date) == (
        False,
        None,
        None,
    )
    participation.join(session, actor(session, employee), program.id, consent=True, on=DAY)
    assert ledger.balances(session, program, employee.id) == {"allowance": 100_000}
    with pytest.raises(NotEligible):
        participation.join(session, actor(session, outsider), program.id, consent=True, on=DAY)


def test_learners_edit_their_facts_and_admins_see_only_their_participants(
    session: Session,
) -> None:
    program = skillsfuture(session)
    other_program = skillsfuture(session)
    learner = make_person(session)
    me = actor(session, learner)
    assert facts.get_my_facts(session, me) is None
    declared = FactsWrite(
        birth_date=date(1990, 1, 1),
        residency=Residency.CITIZEN,
        employment_status=EmploymentStatus.EMPLOYED,
        attributes={"veteran": "yes"},
    )
    saved = facts.set_my_facts(session, me, declared)
    saved.verified_at = utcnow()
    facts.set_my_facts(session, me, declared)
    assert saved.verified_at is not None  # nothing changed: still verified
    facts.set_my_facts(session, me, FactsWrite(birth_date=date(1990, 1, 1)))
    make_participant(session, program, person=learner)
    admin = actor(session, make_program_admin(session, program))
    other_admin = actor(session, make_program_admin(session, other_program))
    org = session.get_one(Organisation, program.org_id)
    member = actor(session, make_member(session, org, Role.LEARNER))

    seen = facts.participant_facts(session, admin, program.id, learner.id)
    assert seen is not None
    assert (seen.birth_date, seen.residency, seen.attributes, seen.verified_at) == (
        date(1990, 1, 1),
        None,
        {},
        None,
    )
    with pytest.raises(NotFound):
        facts.participant_facts(session, other_admin, other_program.id, learner.id)
    with pytest.raises(NotFound):
        facts.participant_facts(session, other_admin, program.id, learner.id)
    with pytest.raises(PermissionDenied):
        facts.participant_facts(session, member, program.id, learner.id)
