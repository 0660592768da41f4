"""Organisations, departments, job roles and memberships, through the service functions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.kit.actor import Actor, Role, Scope
from cairn.kit.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from cairn.kit.mail import Mail, OutboxMailer
from cairn.kit.pagination import PageParams
from cairn.orgs import people, platform
from cairn.orgs import service as orgs_service
from cairn.orgs.enums import OrgKind, SizeBand
from cairn.orgs.models import Department, Membership, Organisation, Person, Position
from cairn.orgs.schemas import (
    DepartmentCreate,
    DepartmentUpdate,
    MembershipUpdate,
    OrganisationCreate,
    OrganisationUpdate,
    PositionCreate,
    PositionUpdate,
)
from tests.factories.orgs import (
    actor,
    make_department,
    make_member,
    make_org,
    make_person,
    make_position,
)

EVERYONE = PageParams(per_page=200)
ADMIN_ROLE = {
    OrgKind.EMPLOYER: Role.HR_ADMIN,
    OrgKind.PROVIDER: Role.ISSUER_ADMIN,
    OrgKind.PROGRAM_AUTHORITY: Role.PROGRAM_ADMIN,
    OrgKind.COMMUNITY: Role.PROGRAM_ADMIN,
}


def admin_of(session: Session, org: Organisation) -> Actor:
    return actor(session, make_member(session, org, ADMIN_ROLE[org.kind]))


def platform_admin(session: Session) -> Actor:
    home = make_org(session, kind=OrgKind.PROGRAM_AUTHORITY)
    return actor(session, make_member(session, home, Role.PLATFORM_ADMIN))


def membership_of(session: Session, org: Organisation, person: Person, role: Role) -> Membership:
    return session.scalars(
        select(Membership).where(
            Membership.org_id == org.id, Membership.person_id == person.id, Membership.role == role
        )
    ).one()


def fields(error: pytest.ExceptionInfo[DomainError]) -> list[str]:
    return [item.field for item in error.value.field_errors]


# --- organisations ---------------------------------------------------------------------


def test_only_a_platform_administrator_registers_an_organisation(session: Session) -> None:
    hr_admin = admin_of(session, make_org(session))
    data = OrganisationCreate(name="Riverside Clinic", kind=OrgKind.EMPLOYER, size_band="small")

    with pytest.raises(PermissionDenied):
        orgs_service.create_organisation(session, hr_admin, data)

    by_admin = orgs_service.create_organisation(session, platform_admin(session), data)
    by_operator = orgs_service.create_organisation(
        session, Actor.operator(), data.model_copy(update={"name": "Riverside Clinic East"})
    )
    assert (by_admin.kind, by_admin.size_band) == (OrgKind.EMPLOYER, SizeBand.SMALL)
    assert by_operator.slug == "riverside-clinic-east"


def test_a_token_without_orgs_write_cannot_register(session: Session) -> None:
    admin = platform_admin(session)
    reader = Actor(admin.person_id, admin.email, admin.memberships, frozenset({Scope.ORGS_READ}))
    data = OrganisationCreate(name="Token Made", kind=OrgKind.COMMUNITY)

    with pytest.raises(PermissionDenied):
        orgs_service.create_organisation(session, reader, data)


def test_the_short_name_is_derived_from_the_name_and_kept_unique(session: Session) -> None:
    operator = Actor.operator()
    first = orgs_service.create_organisation(
        session, operator, OrganisationCreate(name="Café  du Marché!", kind=OrgKind.COMMUNITY)
    )
    second = orgs_service.create_organisation(
        session, operator, OrganisationCreate(name="Cafe du marche", kind=OrgKind.COMMUNITY)
    )
    assert (first.slug, second.slug) == ("cafe-du-marche", "cafe-du-marche-2")

    with pytest.raises(Conflict) as error:
        orgs_service.create_organisation(
            session,
            operator,
            OrganisationCreate(name="Other", slug="cafe-du-marche", kind=OrgKind.COMMUNITY),
        )
    assert fields(error) == ["slug"]


@pytest.mark.parametrize(
    ("kind", "size_band"),
    [(OrgKind.EMPLOYER, None), (OrgKind.PROVIDER, SizeBand.SMALL), (OrgKind.COMMUNITY, "micro")],
)
def test_only_employers_have_a_size_band_and_they_must(
    kind: OrgKind, size_band: str | None
) -> None:
    with pytest.raises(ValidationError) as error:
        OrganisationCreate(name="Example", kind=kind, size_band=size_band)
    assert [item["loc"] for item in error.value.errors()] == [("size_band",)]


def test_the_size_band_rule_holds_when_updating(session: Session) -> None:
    employer = make_org(session, kind=OrgKind.EMPLOYER, size_band=SizeBand.MICRO)
    college = make_org(session, kind=OrgKind.PROVIDER)
    admin = platform_admin(session)

    with pytest.raises(InvalidInput) as error:
        orgs_service.update_organisation(
            session, admin, employer.id, OrganisationUpdate(size_band=None)
        )
    assert fields(error) == ["size_band"]
    with pytest.raises(InvalidInput):
        orgs_service.update_organisation(
            session, admin, college.id, OrganisationUpdate(size_band=SizeBand.LARGE)
        )

    grown = orgs_service.update_organisation(
        session, admin, employer.id, OrganisationUpdate(size_band=SizeBand.SMALL)
    )
    assert grown.size_band is SizeBand.SMALL
    renamed = orgs_service.update_organisation(
        session, admin, college.id, OrganisationUpdate(name="Lakeside College")
    )
    assert (renamed.name, renamed.size_band) == ("Lakeside College", None)


def test_members_see_only_their_own_organisations(session: Session) -> None:
    mine, other = make_org(session), make_org(session)
    learner = actor(session, make_member(session, mine))

    listed = orgs_service.list_organisations(session, learner, EVERYONE)
    assert [org.id for org in listed.items] == [mine.id]
    assert orgs_service.get_organisation(session, learner, mine.id).id == mine.id
    with pytest.raises(NotFound):
        orgs_service.get_organisation(session, learner, other.id)
    with pytest.raises(NotFound):
        orgs_service.list_departments(session, learner, other.id)


def test_another_organisations_objects_are_not_found(session: Session) -> None:
    mine, other = make_org(session), make_org(session)
    admin = admin_of(session, mine)
    their_department = make_department(session, other)
    their_position = make_position(session, other)
    their_member = make_member(session, other)
    their_membership = membership_of(session, other, their_member, Role.LEARNER)

    attempts: list[Callable[[], object]] = [
        lambda: orgs_service.update_organisation(session, admin, other.id, OrganisationUpdate()),
        lambda: orgs_service.get_department(session, admin, other.id, their_department.id),
        # Their ids, asked for under my organisation, do not exist either.
        lambda: orgs_service.get_department(session, admin, mine.id, their_department.id),
        lambda: orgs_service.delete_department(session, admin, mine.id, their_department.id),
        lambda: orgs_service.get_position(session, admin, mine.id, their_position.id),
        lambda: orgs_service.delete_position(session, admin, mine.id, their_position.id),
        lambda: orgs_service.get_membership(session, admin, mine.id, their_membership.id),
        lambda: orgs_service.remove_membership(session, admin, mine.id, their_membership.id),
        lambda: orgs_service.list_members(session, admin, other.id, EVERYONE),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    session.expire_all()
    assert session.get(Department, their_department.id) is not None
    assert session.get(Position, their_position.id) is not None
    assert session.get(Membership, their_membership.id) is not None


def test_a_learner_reads_the_structure_but_cannot_change_it(session: Session) -> None:
    org = make_org(session)
    department = make_department(session, org, name="Nursing")
    learner = actor(session, make_member(session, org))

    assert [d.name for d in orgs_service.list_departments(session, learner, org.id)] == ["Nursing"]
    refused: list[Callable[[], object]] = [
        lambda: orgs_service.update_organisation(
            session, learner, org.id, OrganisationUpdate(name="Mine now")
        ),
        lambda: orgs_service.create_department(
            session, learner, org.id, DepartmentCreate(name="Shadow IT")
        ),
        lambda: orgs_service.delete_department(session, learner, org.id, department.id),
        lambda: orgs_service.create_position(
            session, learner, org.id, PositionCreate(title="Chief")
        ),
        lambda: orgs_service.list_members(session, learner, org.id, EVERYONE),
    ]
    for attempt in refused:
        with pytest.raises(PermissionDenied):
            attempt()


def test_a_platform_administrator_administers_every_organisation(session: Session) -> None:
    org = make_org(session)
    admin = platform_admin(session)
    member = make_member(session, org)

    assert org.id in {o.id for o in orgs_service.list_organisations(session, admin, EVERYONE).items}
    department = orgs_service.create_department(
        session, admin, org.id, DepartmentCreate(name="Audit")
    )
    assert department.org_id == org.id
    members = orgs_service.list_members(session, admin, org.id, EVERYONE)
    assert [m.person_id for m in members.items] == [member.id]
    promoted = orgs_service.update_membership(
        session,
        admin,
        org.id,
        membership_of(session, org, member, Role.LEARNER).id,
        MembershipUpdate(role=Role.PLATFORM_ADMIN),
    )
    assert promoted.role is Role.PLATFORM_ADMIN
    assert people.actor_for(session, member).is_platform_admin


def test_an_organisation_administrator_cannot_grant_platform_administration(
    session: Session,
) -> None:
    org = make_org(session)
    admin = admin_of(session, org)
    member = make_member(session, org)

    with pytest.raises(InvalidInput) as error:
        orgs_service.update_membership(
            session,
            admin,
            org.id,
            membership_of(session, org, member, Role.LEARNER).id,
            MembershipUpdate(role=Role.PLATFORM_ADMIN),
        )
    assert fields(error) == ["role"]


def test_only_platform_administrators_see_the_outbox(session: Session) -> None:
    OutboxMailer(session).send(Mail(recipient="a@example.org", subject="Hello", body="Hi"))
    admin = platform_admin(session)
    hr_admin = admin_of(session, make_org(session))
    token_admin = Actor(admin.person_id, admin.email, admin.memberships, frozenset(Scope))

    assert [m.subject for m in platform.read_outbox(session, admin)][:1] == ["Hello"]
    assert [m.subject for m in platform.read_outbox(session, Actor.operator())][:1] == ["Hello"]
    for outsider in (hr_admin, token_admin):
        with pytest.raises(NotFound):
            platform.read_outbox(session, outsider)


# --- departments -----------------------------------------------------------------------


def test_department_names_are_unique_among_siblings_ignoring_case(session: Session) -> None:
    org = make_org(session)
    admin = admin_of(session, org)
    clinical = orgs_service.create_department(
        session, admin, org.id, DepartmentCreate(name="Clinical")
    )
    corporate = orgs_service.create_department(
        session, admin, org.id, DepartmentCreate(name="Corporate")
    )
    orgs_service.create_department(
        session, admin, org.id, DepartmentCreate(name="Training", parent_id=clinical.id)
    )

    with pytest.raises(Conflict) as error:
        orgs_service.create_department(session, admin, org.id, DepartmentCreate(name="CLINICAL"))
    assert fields(error) == ["name"]
    with pytest.raises(Conflict):
        orgs_service.update_department(
            session, admin, org.id, corporate.id, DepartmentUpdate(name="clinical")
        )
    # The same name under another parent, or in another organisation, is fine.
    elsewhere = orgs_service.create_department(
        session, admin, org.id, DepartmentCreate(name="training", parent_id=corporate.id)
    )
    assert elsewhere.parent_id == corporate.id
    other = make_org(session)
    assert orgs_service.create_department(
        session, admin_of(session, other), other.id, DepartmentCreate(name="Clinical")
    )
    # Renaming a department to its own name in another case is not a clash with itself.
    recased = orgs_service.update_department(
        session, admin, org.id, clinical.id, DepartmentUpdate(name="CLINICAL")
    )
    assert recased.name == "CLINICAL"


def test_moving_a_department_keeps_the_tree_free_of_cycles(session: Session) -> None:
    org = make_org(session)
    admin = admin_of(session, org)
    top = make_department(session, org, name="Operations")
    middle = make_department(session, org, name="Warehouse", parent=top)
    bottom = make_department(session, org, name="Night shift", parent=middle)

    for new_parent in (top, middle, bottom):
        with pytest.raises(InvalidInput) as error:
            orgs_service.update_department(
                session, admin, org.id, top.id, DepartmentUpdate(parent_id=new_parent.id)
            )
        assert fields(error) == ["parent_id"]
    session.expire_all()
    unmoved = session.get(Department, top.id)
    assert unmoved is not None
    assert unmoved.parent_id is None

    moved = orgs_service.update_department(
        session, admin, org.id, bottom.id, DepartmentUpdate(move_to_top=True)
    )
    assert moved.parent_id is None
    back = orgs_service.update_department(
        session, admin, org.id, bottom.id, DepartmentUpdate(parent_id=top.id)
    )
    assert back.parent_id == top.id


def test_a_parent_department_must_belong_to_the_same_organisation(session: Session) -> None:
    org, other = make_org(session), make_org(session)
    admin = admin_of(session, org)
    foreign = make_department(session, other)
    own = make_department(session, org)

    with pytest.raises(NotFound) as error:
        orgs_service.create_department(
            session, admin, org.id, DepartmentCreate(name="Sub", parent_id=foreign.id)
        )
    assert fields(error) == ["parent_id"]
    with pytest.raises(NotFound):
        orgs_service.update_department(
            session, admin, org.id, own.id, DepartmentUpdate(parent_id=foreign.id)
        )


def test_a_department_with_sub_departments_cannot_be_deleted(session: Session) -> None:
    org = make_org(session)
    admin = admin_of(session, org)
    parent = make_department(session, org)
    child = make_department(session, org, parent=parent)

    with pytest.raises(Conflict):
        orgs_service.delete_department(session, admin, org.id, parent.id)

    orgs_service.delete_department(session, admin, org.id, child.id)
    orgs_service.delete_department(session, admin, org.id, parent.id)
    assert orgs_service.list_departments(session, admin, org.id) == []


def test_people_and_job_roles_stay_when_their_department_goes(session: Session) -> None:
    org = make_org(session)
    admin = admin_of(session, org)
    department = make_department(session, org)
    position = make_position(session, org, department=department)
    member = make_member(session, org, department=department, position=position)

    orgs_service.delete_department(session, admin, org.id, department.id)

    session.expire_all()
    membership = membership_of(session, org, member, Role.LEARNER)
    assert (membership.department_id, membership.position_id) == (None, position.id)
    kept = session.get(Position, position.id)
    assert kept is not None
    assert kept.department_id is None


# --- positions -------------------------------------------------------------------------


def test_job_roles_have_unique_titles_and_an_own_department(session: Session) -> None:
    org, other = make_org(session), make_org(session)
    admin = admin_of(session, org)
    nursing = make_department(session, org, name="Nursing")

    nurse = orgs_service.create_position(
        session, admin, org.id, PositionCreate(title="Registered Nurse", department_id=nursing.id)
    )
    assert [p.title for p in orgs_service.list_positions(session, admin, org.id)] == [
        "Registered Nurse"
    ]
    with pytest.raises(Conflict) as conflict:
        orgs_service.create_position(
            session, admin, org.id, PositionCreate(title="registered nurse")
        )
    assert fields(conflict) == ["title"]
    with pytest.raises(NotFound) as missing:
        orgs_service.create_position(
            session,
            admin,
            org.id,
            PositionCreate(title="Porter", department_id=make_department(session, other).id),
        )
    assert fields(missing) == ["department_id"]

    updated = orgs_service.update_position(
        session,
        admin,
        org.id,
        nurse.id,
        PositionUpdate(title="Charge Nurse", description="Leads a shift."),
    )
    assert (updated.title, updated.description, updated.department_id) == (
        "Charge Nurse",
        "Leads a shift.",
        nursing.id,
    )
    cleared = orgs_service.update_position(
        session, admin, org.id, nurse.id, PositionUpdate(department_id=None)
    )
    assert cleared.department_id is None


def test_deleting_a_job_role_keeps_the_people_who_held_it(session: Session) -> None:
    org = make_org(session)
    admin = admin_of(session, org)
    position = make_position(session, org)
    member = make_member(session, org, position=position)

    orgs_service.delete_position(session, admin, org.id, position.id)

    session.expire_all()
    assert membership_of(session, org, member, Role.LEARNER).position_id is None
    with pytest.raises(NotFound):
        orgs_service.get_position(session, admin, org.id, position.id)


# --- memberships -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "fitting", "unfitting"),
    [
        (OrgKind.EMPLOYER, Role.MANAGER, Role.EDUCATOR),
        (OrgKind.PROVIDER, Role.EDUCATOR, Role.HR_ADMIN),
        (OrgKind.PROGRAM_AUTHORITY, Role.PROGRAM_ADMIN, Role.ISSUER_ADMIN),
        (OrgKind.COMMUNITY, Role.MANAGER, Role.EDUCATOR),
    ],
)
def test_a_role_must_suit_the_kind_of_organisation(
    session: Session, kind: OrgKind, fitting: Role, unfitting: Role
) -> None:
    org = make_org(session, kind=kind)
    admin = admin_of(session, org)
    membership = membership_of(session, org, make_member(session, org), Role.LEARNER)

    with pytest.raises(InvalidInput) as error:
        orgs_service.update_membership(
            session, admin, org.id, membership.id, MembershipUpdate(role=unfitting)
        )
    assert fields(error) == ["role"]
    changed = orgs_service.update_membership(
        session, admin, org.id, membership.id, MembershipUpdate(role=fitting)
    )
    assert changed.role is fitting


def test_an_organisation_keeps_at_least_one_administrator(session: Session) -> None:
    org = make_org(session)
    first = make_member(session, org, Role.HR_ADMIN)
    admin = actor(session, first)
    only_admin = membership_of(session, org, first, Role.HR_ADMIN)

    with pytest.raises(Conflict):
        orgs_service.update_membership(
            session, admin, org.id, only_admin.id, MembershipUpdate(role=Role.LEARNER)
        )
    with pytest.raises(Conflict):
        orgs_service.remove_membership(session, admin, org.id, only_admin.id)

    make_member(session, org, Role.HR_ADMIN)
    orgs_service.remove_membership(session, admin, org.id, only_admin.id)
    session.expire_all()
    assert session.get(Membership, only_admin.id) is None


def test_a_person_cannot_hold_the_same_role_twice(session: Session) -> None:
    org = make_org(session)
    admin = admin_of(session, org)
    person = make_member(session, org, Role.LEARNER)
    make_member(session, org, Role.MANAGER, person=person)
    as_manager = membership_of(session, org, person, Role.MANAGER)

    with pytest.raises(Conflict) as error:
        orgs_service.update_membership(
            session, admin, org.id, as_manager.id, MembershipUpdate(role=Role.LEARNER)
        )
    assert fields(error) == ["role"]


def test_a_member_is_placed_only_in_their_organisations_departments(session: Session) -> None:
    org, other = make_org(session), make_org(session)
    admin = admin_of(session, org)
    membership = membership_of(session, org, make_member(session, org), Role.LEARNER)
    own = make_department(session, org)

    with pytest.raises(NotFound) as error:
        orgs_service.update_membership(
            session,
            admin,
            org.id,
            membership.id,
            MembershipUpdate(department_id=make_department(session, other).id),
        )
    assert fields(error) == ["department_id"]
    with pytest.raises(NotFound) as error:
        orgs_service.update_membership(
            session,
            admin,
            org.id,
            membership.id,
            MembershipUpdate(position_id=make_position(session, other).id),
        )
    assert fields(error) == ["position_id"]
    placed = orgs_service.update_membership(
        session, admin, org.id, membership.id, MembershipUpdate(department_id=own.id)
    )
    assert (placed.department_id, placed.role) == (own.id, Role.LEARNER)


def test_managers_see_the_people_of_their_department_subtree_only(session: Session) -> None:
    org = make_org(session)
    clinical = make_department(session, org, name="Clinical")
    nursing = make_department(session, org, name="Nursing", parent=clinical)
    ward = make_department(session, org, name="Ward 4", parent=nursing)
    corporate = make_department(session, org, name="Corporate")
    manager = make_member(session, org, Role.MANAGER, department=nursing)
    # Their own learner place in another department grants no oversight of it.
    make_member(session, org, Role.LEARNER, person=manager, department=corporate)
    nurse = make_member(session, org, department=nursing)
    ward_nurse = make_member(session, org, department=ward)
    make_member(session, org, department=clinical)
    make_member(session, org, department=corporate)
    make_member(session, org)
    make_member(session, org, Role.HR_ADMIN)

    seen = orgs_service.list_members(session, actor(session, manager), org.id, EVERYONE)

    assert {(m.person_id, m.role) for m in seen.items} == {
        (manager.id, Role.MANAGER),
        (nurse.id, Role.LEARNER),
        (ward_nurse.id, Role.LEARNER),
    }
    assert seen.total == 3
    everyone = orgs_service.list_members(session, admin_of(session, org), org.id, EVERYONE)
    assert everyone.total == 9


def test_a_manager_without_a_department_sees_nobody(session: Session) -> None:
    org = make_org(session)
    manager = make_member(session, org, Role.MANAGER)
    make_member(session, org, department=make_department(session, org))

    assert orgs_service.list_members(session, actor(session, manager), org.id, EVERYONE).total == 0


def test_any_member_sees_how_many_people_belong(session: Session) -> None:
    org, other = make_org(session), make_org(session)
    learner = make_member(session, org)
    make_member(session, org, Role.MANAGER, person=learner)  # two roles, one person
    make_member(session, org, Role.HR_ADMIN)
    make_member(session, other)

    assert orgs_service.count_people(session, actor(session, learner), org.id) == 2
    with pytest.raises(NotFound):
        orgs_service.count_people(session, actor(session, learner), other.id)


def test_members_can_be_searched_by_name_or_address(session: Session) -> None:
    org = make_org(session)
    admin = admin_of(session, org)
    make_member(session, org, person=make_person(session, name="Lena Whitford"))
    make_member(session, org, person=make_person(session, email="Whitby.Jo@example.org"))
    make_member(session, org, person=make_person(session, name="Marc Tremblay"))

    found = orgs_service.list_members(session, admin, org.id, EVERYONE, search="WHIT")

    assert found.total == 2
    assert {m.person.email for m in found.items} >= {"whitby.jo@example.org"}


def test_a_token_needs_the_people_scopes_for_members(session: Session) -> None:
    org = make_org(session)
    person = make_member(session, org, Role.HR_ADMIN)
    membership = membership_of(session, org, make_member(session, org), Role.LEARNER)
    orgs_only = people.actor_for(
        session, person, scopes=frozenset({Scope.ORGS_READ, Scope.ORGS_WRITE})
    )

    assert orgs_service.get_organisation(session, orgs_only, org.id).id == org.id
    with pytest.raises(PermissionDenied):
        orgs_service.list_members(session, orgs_only, org.id, EVERYONE)
    with pytest.raises(PermissionDenied):
        orgs_service.remove_membership(session, orgs_only, org.id, membership.id)
