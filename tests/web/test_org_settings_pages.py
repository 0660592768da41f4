"""The organisation list, overview and settings; who may reach which organisation page."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.orm import Session

from cairn.kit.actor import Role
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Department, Membership, Organisation
from tests.factories.orgs import make_department, make_member, make_org, make_position
from tests.helpers import submit
from tests.web.conftest import SignIn


def test_members_list_their_own_organisations_only(session: Session, sign_in_as: SignIn) -> None:
    mine = make_org(session, name="Harbour Clinic")
    make_org(session, name="Someone Else Ltd")
    client = sign_in_as(make_member(session, mine, Role.LEARNER))

    page = client.get("/orgs").text

    assert "Harbour Clinic" in page
    assert "Someone Else Ltd" not in page
    assert "/orgs/new" not in page


def test_platform_administrators_page_through_every_organisation(
    session: Session, sign_in_as: SignIn
) -> None:
    home = make_org(session, name="Aaa Platform", kind=OrgKind.PROGRAM_AUTHORITY)
    for number in range(25):
        make_org(session, name=f"Zz Member {number:02d}")
    client = sign_in_as(make_member(session, home, Role.PLATFORM_ADMIN))

    first = client.get("/orgs").text
    second = client.get("/orgs", params={"page": 2}).text

    assert "Register an organisation" in first
    assert "Aaa Platform" in first
    assert "Zz Member 23" in first
    assert 'href="/orgs?page=2"' in first
    assert "Zz Member 24" in second
    assert "Aaa Platform" not in second
    assert 'href="/orgs?page=1"' in second


def test_the_overview_shows_the_organisation_and_its_counts(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session, name="Lakeside Foods", region="Manitoba")
    department = make_department(session, org, name="Packing")
    make_department(session, org, name="Line 1", parent=department)
    make_position(session, org, title="Packer")
    learner = make_member(session, org, Role.LEARNER)
    make_member(session, org, Role.MANAGER, person=learner)  # two roles, one person
    client = sign_in_as(learner)

    page = client.get(f"/orgs/{org.id}").text

    assert "<h1>Lakeside Foods</h1>" in page
    assert "Manitoba" in page
    assert "Medium (50 to 249 people)" in page
    assert "<dt>Departments</dt><dd>2</dd>" in page
    assert "<dt>Job roles</dt><dd>1</dd>" in page
    assert "<dt>People</dt><dd>1</dd>" in page
    assert f"/orgs/{org.id}/edit" not in page


def test_an_administrator_edits_the_organisation(session: Session, sign_in_as: SignIn) -> None:
    org = make_org(session, name="Lakeside Foods")
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    edit = f"/orgs/{org.id}/edit"
    assert f'href="{edit}"' in client.get(f"/orgs/{org.id}").text

    saved = submit(
        client,
        edit,
        edit,
        {
            "name": "Lakeside Foods Co-op",
            "size_band": "small",
            "sector": "Food processing",
            "region": "",
            "description": "A workers' co-operative.",
        },
    )

    assert saved.status_code == 303
    assert saved.headers["location"] == f"/orgs/{org.id}?notice=saved"
    page = client.get(saved.headers["location"]).text
    assert "Your changes are saved." in page
    assert "Lakeside Foods Co-op" in page
    assert "Food processing" in page
    session.expire_all()
    assert session.get(Organisation, org.id).region is None  # type: ignore[union-attr]


def test_an_employer_keeps_its_size_band(session: Session, sign_in_as: SignIn) -> None:
    org = make_org(session, name="Lakeside Foods")
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    edit = f"/orgs/{org.id}/edit"

    response = submit(client, edit, edit, {"name": "Lakeside Foods", "size_band": ""})

    assert response.status_code == 422
    assert '<a href="#size_band">An employer needs a size band.</a>' in response.text
    assert 'id="size_band-error"' in response.text


def test_registration_names_each_missing_field(session: Session, sign_in_as: SignIn) -> None:
    client = sign_in_as(
        make_member(session, make_org(session, kind=OrgKind.COMMUNITY), Role.PLATFORM_ADMIN)
    )

    response = submit(client, "/orgs/new", "/orgs/new", {"name": "", "kind": ""})

    assert response.status_code == 422
    assert 'id="name-error"' in response.text
    assert 'id="kind-error"' in response.text
    assert session.query(Organisation).filter_by(name="").count() == 0


def test_departments_are_renamed_moved_and_deleted(session: Session, sign_in_as: SignIn) -> None:
    org = make_org(session)
    operations = make_department(session, org, name="Operations")
    shipping = make_department(session, org, name="Shipping", parent=operations)
    shipping_id = shipping.id
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    page = f"/orgs/{org.id}/departments/{shipping_id}"

    moved = submit(client, page, page, {"name": "Logistics", "parent_id": ""})

    assert moved.status_code == 303
    session.expire_all()
    assert session.get(Department, shipping.id).parent_id is None  # type: ignore[union-attr]
    tree = client.get(f"/orgs/{org.id}/departments").text
    assert "Logistics" in tree
    assert "Shipping" not in tree

    back = submit(client, page, page, {"name": "Logistics", "parent_id": str(operations.id)})
    assert back.status_code == 303
    deleted = submit(client, page, f"{page}/delete", {})
    assert deleted.status_code == 303
    assert deleted.headers["location"] == f"/orgs/{org.id}/departments?notice=deleted"
    session.expunge_all()
    assert session.get(Department, shipping_id) is None


def test_the_tree_nests_sub_departments_and_leaves_out_the_subtree_when_moving(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session)
    operations = make_department(session, org, name="Operations")
    shipping = make_department(session, org, name="Shipping", parent=operations)
    make_department(session, org, name="Night Shift", parent=shipping)
    make_department(session, org, name="Finance")
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))

    tree = client.get(f"/orgs/{org.id}/departments").text
    move = client.get(f"/orgs/{org.id}/departments/{operations.id}").text

    top = tree[tree.index('<ul class="tree"') : tree.index("Add a department")]
    assert top.count("<ul>") == 2  # Operations > Shipping > Night Shift
    assert top.index("Finance") < top.index("Operations") < top.index("Night Shift")
    options = move[move.index('<select id="parent_id"') :]
    assert "Finance" in options
    assert "Shipping" not in options
    assert "Night Shift" not in options


def test_a_duplicate_department_name_is_reported_on_the_name(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session)
    make_department(session, org, name="Finance")
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    page = f"/orgs/{org.id}/departments"

    response = submit(client, page, page, {"name": "finance", "parent_id": ""})

    assert response.status_code == 422
    assert '<a href="#name">A department with this name already exists here.</a>' in response.text
    assert 'value="finance"' in response.text  # what was typed is kept


def test_anonymous_visitors_are_sent_to_sign_in_and_back(
    session: Session, http: httpx.Client
) -> None:
    org = make_org(session)
    session.commit()

    response = http.get(f"/orgs/{org.id}/people", params={"q": "ana"})

    assert response.status_code == 303
    assert response.headers["location"] == f"/sign-in?next=/orgs/{org.id}/people%3Fq%3Dana"


@pytest.fixture
def other_org_paths(session: Session) -> list[str]:
    """Every page of an organisation the visitor does not belong to."""
    org = make_org(session)
    department = make_department(session, org)
    position = make_position(session, org)
    learner = make_member(session, org)
    membership = session.query(Membership).filter_by(person_id=learner.id).one()
    base = f"/orgs/{org.id}"
    return [
        base,
        f"{base}/edit",
        f"{base}/departments",
        f"{base}/departments/{department.id}",
        f"{base}/roles",
        f"{base}/roles/{position.id}",
        f"{base}/people",
        f"{base}/people/{membership.id}",
        f"{base}/invitations",
    ]


def test_another_organisations_pages_do_not_exist(
    session: Session, sign_in_as: SignIn, other_org_paths: list[str]
) -> None:
    client = sign_in_as(make_member(session, make_org(session), Role.HR_ADMIN))

    answers = {path: client.get(path).status_code for path in other_org_paths}

    assert set(answers.values()) == {404}, answers


def test_a_learner_is_refused_the_administration_pages_of_their_own_organisation(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session)
    department = make_department(session, org)
    position = make_position(session, org)
    learner = make_member(session, org)
    membership = session.query(Membership).filter_by(person_id=learner.id).one()
    base = f"/orgs/{org.id}"
    client = sign_in_as(learner)

    refused = [
        f"{base}/edit",
        f"{base}/departments/{department.id}",
        f"{base}/roles/{position.id}",
        f"{base}/people",
        f"{base}/people/{membership.id}",
        f"{base}/invitations",
        "/orgs/new",
    ]
    answers = {path: client.get(path).status_code for path in refused}

    assert set(answers.values()) == {403}, answers
    page = client.get(f"{base}/people")
    assert "Only administrators and managers can see the people" in page.text
