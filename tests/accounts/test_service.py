"""Running programs: created as drafts from a rules document whose errors name their place,
edited only while draft, opened, closed and budgeted by their own administrators."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import pytest
from sqlalchemy.orm import Session

from cairn.accounts import service
from cairn.accounts.enums import ProgramStatus
from cairn.accounts.errors import ProgramNotDraft
from cairn.accounts.schemas import ProgramCreate, ProgramUpdate
from cairn.kit.actor import Actor, Role, Scope
from cairn.kit.errors import Conflict, InsufficientScope, InvalidInput, NotFound, PermissionDenied
from cairn.orgs.enums import OrgKind
from tests.factories.accounts import example_document, simple_rules
from tests.factories.orgs import actor, make_member, make_org


def new_program(rules: dict[str, Any] | None = None, **more: Any) -> ProgramCreate:
    return ProgramCreate(
        slug=more.pop("slug", "skillsfuture"),
        name=more.pop("name", "SkillsFuture Credit"),
        rules=rules or example_document("skillsfuture"),
        **more,
    )


def test_a_program_admin_creates_a_draft_from_the_skillsfuture_rules(session: Session) -> None:
    authority = make_org(session, kind=OrgKind.PROGRAM_AUTHORITY)
    admin = actor(session, make_member(session, authority, Role.PROGRAM_ADMIN))

    program = service.create_program(
        session, admin, authority.id, new_program(budget_minor=50_000_000)
    )

    assert (program.status, program.currency, program.budget_minor) == (
        ProgramStatus.DRAFT,
        "SGD",
        50_000_000,
    )
    assert service.program_rules(program).deduction_order == ["topup-2020", "mid-career", "base"]
    assert service.list_programs(session, admin) == [program]
    with pytest.raises(Conflict) as taken:
        service.create_program(session, admin, authority.id, new_program())
    assert [e.field for e in taken.value.field_errors] == ["slug"]


def test_rules_errors_name_their_place_in_the_document(session: Session) -> None:
    authority = make_org(session, kind=OrgKind.PROGRAM_AUTHORITY)
    admin = actor(session, make_member(session, authority, Role.PROGRAM_ADMIN))
    document = simple_rules()
    document["tiers"][0]["code"] = "Not A Slug"
    document["currency"] = "ZZZ"

    with pytest.raises(InvalidInput) as refused:
        service.create_program(session, admin, authority.id, new_program(document))

    fields = {error.field for error in refused.value.field_errors}
    assert {"rules.currency", "rules.tiers.0.code"} <= fields
    assert "ISO 4217" in str(
        next(e.message for e in refused.value.field_errors if e.field == "rules.currency")
    )


def test_only_a_draft_changes_and_a_program_opens_then_closes(session: Session) -> None:
    authority = make_org(session, kind=OrgKind.PROGRAM_AUTHORITY)
    admin = actor(session, make_member(session, authority, Role.PROGRAM_ADMIN))
    program = service.create_program(session, admin, authority.id, new_program(simple_rules()))

    service.update_program(
        session,
        admin,
        program.id,
        ProgramUpdate(name="Renamed", rules=simple_rules("CAD", ("base", "extra"))),
    )
    assert (program.name, program.currency) == ("Renamed", "CAD")
    service.open_program(session, admin, program.id)
    with pytest.raises(ProgramNotDraft):
        service.update_program(session, admin, program.id, ProgramUpdate(name="Again"))
    with pytest.raises(Conflict):
        service.open_program(session, admin, program.id)
    service.set_budget(session, admin, program.id, 1_000_000)
    service.close_program(session, admin, program.id)

    assert (program.status, program.budget_minor, program.name) == (
        ProgramStatus.CLOSED,
        1_000_000,
        "Renamed",
    )
    with pytest.raises(Conflict):
        service.close_program(session, admin, program.id)


def test_dates_must_come_in_order(session: Session) -> None:
    authority = make_org(session, kind=OrgKind.PROGRAM_AUTHORITY)
    admin = actor(session, make_member(session, authority, Role.PROGRAM_ADMIN))
    backwards = new_program(simple_rules(), opens_on="2026-02-01", closes_on="2026-01-01")

    with pytest.raises(InvalidInput) as refused:
        service.create_program(session, admin, authority.id, backwards)

    assert [e.field for e in refused.value.field_errors] == ["closes_on"]


def test_an_employers_hr_admin_runs_its_program_and_nobody_else_does(session: Session) -> None:
    employer = make_org(session, kind=OrgKind.EMPLOYER)
    hr = actor(session, make_member(session, employer, Role.HR_ADMIN))
    program = service.create_program(
        session,
        hr,
        employer.id,
        new_program(example_document("employer_matching"), slug="allowance"),
    )
    learner = actor(session, make_member(session, employer, Role.LEARNER))
    stranger = actor(session, make_member(session, make_org(session), Role.HR_ADMIN))
    read_only = dataclasses.replace(hr, scopes=frozenset({Scope.ACCOUNTS_READ}))

    with pytest.raises(NotFound):
        service.get_program(session, stranger, program.id)
    with pytest.raises(NotFound):
        service.create_program(session, stranger, employer.id, new_program(slug="other"))
    with pytest.raises(PermissionDenied):
        service.open_program(session, learner, program.id)
    with pytest.raises(PermissionDenied):
        service.list_programs(session, learner, employer.id)
    with pytest.raises(InsufficientScope):
        service.set_budget(session, read_only, program.id, 10)
    assert service.get_program(session, read_only, program.id) is program
    assert service.list_programs(session, learner) == []
    assert service.runs_programs(hr)
    assert not service.runs_programs(learner)


def test_the_operator_sees_every_program_and_cannot_create_one_for_no_organisation(
    session: Session,
) -> None:
    authority = make_org(session, kind=OrgKind.PROGRAM_AUTHORITY)
    employer = make_org(session, kind=OrgKind.EMPLOYER)
    operator = Actor.operator()
    public = service.create_program(session, operator, authority.id, new_program(simple_rules()))
    allowance = service.create_program(
        session, operator, employer.id, new_program(simple_rules(), slug="allowance")
    )

    assert set(service.list_programs(session, operator)) == {public, allowance}
    assert service.list_programs(session, operator, employer.id) == [allowance]
    assert service.organisation_slugs(session, [public, allowance]) == {
        authority.id: authority.slug,
        employer.id: employer.slug,
    }
    with pytest.raises(NotFound):
        service.create_program(session, operator, uuid.uuid4(), new_program(slug="nowhere"))


def test_a_program_is_found_by_slug_only_in_its_own_organisation(session: Session) -> None:
    authority = make_org(session, kind=OrgKind.PROGRAM_AUTHORITY)
    admin = actor(session, make_member(session, authority, Role.PROGRAM_ADMIN))
    program = service.create_program(session, admin, authority.id, new_program(simple_rules()))

    assert service.find_program(session, admin, authority, "skillsfuture") is program
    with pytest.raises(NotFound):
        service.find_program(session, admin, authority, "no-such-program")
    with pytest.raises(NotFound):
        service.find_program(session, admin, make_org(session), "skillsfuture")


def test_an_update_changes_only_what_it_names(session: Session) -> None:
    authority = make_org(session, kind=OrgKind.PROGRAM_AUTHORITY)
    admin = actor(session, make_member(session, authority, Role.PROGRAM_ADMIN))
    program = service.create_program(
        session, admin, authority.id, new_program(simple_rules(), description="First words.")
    )

    service.update_program(session, admin, program.id, ProgramUpdate(closes_on="2027-12-31"))

    assert (program.name, program.description, program.currency, str(program.closes_on)) == (
        "SkillsFuture Credit",
        "First words.",
        "SGD",
        "2027-12-31",
    )
    with pytest.raises(InvalidInput) as backwards:
        service.update_program(session, admin, program.id, ProgramUpdate(opens_on="2028-01-01"))
    assert [e.field for e in backwards.value.field_errors] == ["closes_on"]


def test_a_budget_cannot_be_negative_and_can_be_lifted(session: Session) -> None:
    authority = make_org(session, kind=OrgKind.PROGRAM_AUTHORITY)
    admin = actor(session, make_member(session, authority, Role.PROGRAM_ADMIN))
    program = service.create_program(
        session, admin, authority.id, new_program(simple_rules(), budget_minor=10_000)
    )

    with pytest.raises(InvalidInput) as refused:
        service.set_budget(session, admin, program.id, -1)
    assert [e.field for e in refused.value.field_errors] == ["budget_minor"]
    assert program.budget_minor == 10_000
    assert service.set_budget(session, admin, program.id, None).budget_minor is None
