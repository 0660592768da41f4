"""What administrators do on the organisation pages: structure and job roles."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.kit.actor import Role
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Department, Organisation, Person, Position
from tests.factories.orgs import make_department, make_member, make_org, make_position
from tests.helpers import submit

SignIn = Callable[[Person], httpx.Client]


def test_hr_admin_adds_a_department_and_sees_it_in_the_tree(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session)
    clinical = make_department(session, org, name="Clinical Services")
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    page = f"/orgs/{org.id}/departments"

    response = submit(client, page, page, {"name": "Nursing", "parent_id": str(clinical.id)})

    assert response.status_code == 303
    nursing = session.scalars(select(Department).where(Department.name == "Nursing")).one()
    assert nursing.parent_id == clinical.id
    tree = client.get(page).text
    assert tree.index("Clinical Services") < tree.index("Nursing")


def test_a_department_cannot_move_inside_its_own_child(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session)
    parent = make_department(session, org, name="Corporate")
    child = make_department(session, org, name="Finance", parent=parent)
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    page = f"/orgs/{org.id}/departments/{parent.id}"

    response = submit(client, page, page, {"name": "Corporate", "parent_id": str(child.id)})

    # The child is not even offered; a forged choice is refused with the field named.
    assert response.status_code == 422
    assert 'id="parent_id-error"' in response.text
    assert "cannot be moved inside itself" in response.text
    session.expire_all()
    assert session.get(Department, parent.id).parent_id is None  # type: ignore[union-attr]


def test_an_empty_name_is_reported_on_its_field(session: Session, sign_in_as: SignIn) -> None:
    org = make_org(session)
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    page = f"/orgs/{org.id}/departments"

    response = submit(client, page, page, {"name": "   "})

    assert response.status_code == 422
    assert '<a href="#name">' in response.text
    assert 'aria-invalid="true"' in response.text
    assert session.scalars(select(Department).where(Department.org_id == org.id)).first() is None


def test_a_department_with_sub_departments_is_not_deleted(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session)
    parent = make_department(session, org, name="Operations")
    make_department(session, org, name="Warehouse", parent=parent)
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    page = f"/orgs/{org.id}/departments/{parent.id}"

    response = submit(client, page, f"{page}/delete", {})

    assert response.status_code == 409
    assert "Move or delete its sub-departments first." in response.text
    assert session.get(Department, parent.id) is not None


def test_job_roles_are_added_edited_and_deleted(session: Session, sign_in_as: SignIn) -> None:
    org = make_org(session)
    nursing = make_department(session, org, name="Nursing")
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    roles = f"/orgs/{org.id}/roles"

    assert (
        submit(
            client, roles, roles, {"title": "Registered Nurse", "department_id": str(nursing.id)}
        ).status_code
        == 303
    )
    position = session.scalars(select(Position).where(Position.org_id == org.id)).one()
    assert position.department_id == nursing.id
    page = f"{roles}/{position.id}"
    assert (
        submit(client, page, page, {"title": "Charge Nurse", "department_id": ""}).status_code
        == 303
    )
    assert "Charge Nurse" in client.get(roles).text
    duplicate = submit(client, roles, roles, {"title": "charge nurse"})
    assert duplicate.status_code == 422
    assert "already exists" in duplicate.text
    assert submit(client, page, f"{page}/delete", {}).status_code == 303
    assert session.scalars(select(Position).where(Position.org_id == org.id)).first() is None


def test_platform_admin_registers_an_employer_with_its_size(
    session: Session, sign_in_as: SignIn
) -> None:
    operator_org = make_org(session, kind=OrgKind.PROGRAM_AUTHORITY)
    client = sign_in_as(make_member(session, operator_org, Role.PLATFORM_ADMIN))

    missing_size = submit(
        client, "/orgs/new", "/orgs/new", {"name": "Riverside Foods", "kind": "employer"}
    )
    assert missing_size.status_code == 422
    assert "An employer needs a size band." in missing_size.text

    created = submit(
        client,
        "/orgs/new",
        "/orgs/new",
        {"name": "Riverside Foods", "kind": "employer", "size_band": "small"},
    )
    assert created.status_code == 303
    org = session.scalars(select(Organisation).where(Organisation.name == "Riverside Foods")).one()
    assert org.slug == "riverside-foods"
    assert created.headers["location"] == f"/orgs/{org.id}?notice=created"


def test_an_hr_admin_cannot_register_organisations(session: Session, sign_in_as: SignIn) -> None:
    client = sign_in_as(make_member(session, make_org(session), Role.HR_ADMIN))

    assert client.get("/orgs/new").status_code == 403


def test_learners_see_the_structure_without_editing_it(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session)
    department = make_department(session, org, name="Assembly")
    make_position(session, org, title="Assembler", department=department)
    client = sign_in_as(make_member(session, org, Role.LEARNER))

    departments = client.get(f"/orgs/{org.id}/departments").text
    roles = client.get(f"/orgs/{org.id}/roles").text

    assert "Assembly" in departments
    assert "Add a department" not in departments
    assert "Assembler" in roles
    assert "Add a job role" not in roles
    assert f"/orgs/{org.id}/people" not in departments  # no tab that would answer 403


def test_the_language_switch_serves_french(session: Session, sign_in_as: SignIn) -> None:
    org = make_org(session)
    client = sign_in_as(make_member(session, org, Role.LEARNER))

    response = submit(client, "/", "/language", {"language": "fr", "next": f"/orgs/{org.id}"})

    assert response.status_code == 303
    assert response.headers["location"] == f"/orgs/{org.id}"
    page = client.get(f"/orgs/{org.id}").text
    assert '<html lang="fr">' in page
    assert "Aller au contenu principal" in page
