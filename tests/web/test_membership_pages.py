"""Placing people in departments and job roles, removing them, and managing invitations."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from cairn.kit.actor import Role
from cairn.kit.clock import utcnow
from cairn.kit.ids import digest, new_token
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Invitation, Membership, Organisation
from tests.factories.orgs import make_department, make_member, make_org, make_position
from tests.helpers import submit
from tests.web.conftest import SignIn


def _membership_id(session: Session, org: Organisation, person_id: object) -> str:
    membership = session.query(Membership).filter_by(org_id=org.id, person_id=person_id).one()
    return str(membership.id)


def test_an_administrator_places_a_member_and_the_table_shows_it(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session)
    department = make_department(session, org, name="Night Shift")
    position = make_position(session, org, title="Forklift Operator")
    learner = make_member(session, org)
    learner.display_name = "Jordan Cardinal"
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    page = f"/orgs/{org.id}/people/{_membership_id(session, org, learner.id)}"

    saved = submit(
        client,
        page,
        page,
        {"role": "learner", "department_id": str(department.id), "position_id": str(position.id)},
    )

    assert saved.status_code == 303
    table = client.get(saved.headers["location"]).text
    row = table[table.index("Jordan Cardinal") :].split("</tr>", 1)[0]
    assert "Night Shift" in row
    assert "Forklift Operator" in row
    assert "Learner" in row
    assert "Your changes are saved." in table


def test_the_role_choices_suit_the_kind_of_organisation(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session, kind=OrgKind.PROVIDER)
    client = sign_in_as(make_member(session, org, Role.ISSUER_ADMIN))

    page = client.get(f"/orgs/{org.id}/invitations").text

    role_select = page[page.index('<select id="role"') :].split("</select>", 1)[0]
    assert 'value="educator"' in role_select
    assert 'value="issuer_admin"' in role_select
    assert 'value="hr_admin"' not in role_select
    assert 'value="platform_admin"' not in role_select


def test_a_membership_is_removed_but_never_the_last_administrator(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session)
    admin = make_member(session, org, Role.HR_ADMIN)
    learner = make_member(session, org)
    learner_membership = _membership_id(session, org, learner.id)
    admin_page = f"/orgs/{org.id}/people/{_membership_id(session, org, admin.id)}"
    client = sign_in_as(admin)

    last_admin = submit(client, admin_page, f"{admin_page}/remove", {})
    assert last_admin.status_code == 409
    assert "An organisation must keep at least one administrator." in last_admin.text

    page = f"/orgs/{org.id}/people/{learner_membership}"
    removed = submit(client, page, f"{page}/remove", {})
    assert removed.status_code == 303
    assert removed.headers["location"] == f"/orgs/{org.id}/people?notice=deleted"
    session.expunge_all()
    assert session.query(Membership).filter_by(org_id=org.id).count() == 1
    assert client.get(page).status_code == 404


def test_the_people_table_pages_and_keeps_the_search(session: Session, sign_in_as: SignIn) -> None:
    org = make_org(session)
    for number in range(26):
        make_member(session, org).display_name = f"Welder {number:02d}"
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    people = f"/orgs/{org.id}/people"

    first = client.get(people, params={"q": "welder"}).text
    second = client.get(people, params={"q": "welder", "page": 2}).text

    assert "26 memberships" in first
    assert "Welder 24" in first
    assert "Welder 25" not in first
    assert f'href="{people}?page=2&amp;q=welder"' in first
    assert "Welder 25" in second
    assert "Nobody matches." in client.get(people, params={"q": "plumber"}).text


def test_invitations_show_their_status_and_pending_ones_can_be_revoked(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session)
    now = utcnow()

    def invitation(email: str, **when: object) -> Invitation:
        item = Invitation(
            org_id=org.id,
            email=email,
            role=Role.LEARNER,
            token_hash=digest(new_token()),
            expires_at=when.pop("expires_at", now + timedelta(days=3)),
            **when,
        )
        session.add(item)
        return item

    pending = invitation("pending@example.org")
    invitation("accepted@example.org", accepted_at=now)
    invitation("revoked@example.org", revoked_at=now)
    invitation("expired@example.org", expires_at=now - timedelta(days=1))
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    page = f"/orgs/{org.id}/invitations"

    listing = client.get(page).text

    def status(email: str) -> str:
        row = listing[listing.index(email) :].split("</tr>", 1)[0]
        return row.split("<td>")[2].split("</td>", 1)[0]

    assert [status(f"{s}@example.org") for s in ("pending", "accepted", "revoked", "expired")] == [
        "Pending",
        "Accepted",
        "Revoked",
        "Expired",
    ]
    assert listing.count("/revoke") == 1

    revoked = submit(client, page, f"{page}/{pending.id}/revoke", {})
    assert revoked.status_code == 303
    session.expire_all()
    assert pending.revoked_at is not None
    again = submit(client, page, f"{page}/{pending.id}/revoke", {})
    assert again.status_code == 409
    assert "Only a pending invitation can be revoked." in again.text


def test_an_invitation_names_the_field_at_fault(session: Session, sign_in_as: SignIn) -> None:
    org = make_org(session)
    member = make_member(session, org)
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    page = f"/orgs/{org.id}/invitations"

    bad_address = submit(client, page, page, {"email": "not an address", "role": "learner"})
    already = submit(client, page, page, {"email": member.email.upper(), "role": "learner"})

    assert bad_address.status_code == 422
    assert 'id="email-error"' in bad_address.text
    assert 'value="not an address"' in bad_address.text
    assert already.status_code == 422
    assert "This person already holds that role here." in already.text
    assert session.query(Invitation).filter_by(org_id=org.id).count() == 0
