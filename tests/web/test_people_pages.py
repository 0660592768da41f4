"""Members, invitations and the outbox, as HR administrators and newcomers use them."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.kit.actor import Role
from cairn.kit.mail import OutboxMessage
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Membership, Person
from tests.factories.orgs import make_department, make_member, make_org
from tests.helpers import csrf_from, submit, web_sign_in

SignIn = Callable[[Person], httpx.Client]


def test_an_invitation_reaches_the_outbox_and_its_link_creates_an_account(
    session: Session, sign_in_as: SignIn, http: httpx.Client
) -> None:
    org = make_org(session, name="Maple Ridge")
    admin = make_member(session, org, Role.HR_ADMIN)
    platform_admin = make_member(
        session, make_org(session, kind=OrgKind.COMMUNITY), Role.PLATFORM_ADMIN
    )
    client = sign_in_as(admin)
    page = f"/orgs/{org.id}/invitations"

    sent = submit(client, page, page, {"email": "New.Hire@Example.org", "role": "learner"})
    assert sent.status_code == 303
    assert "new.hire@example.org" in client.get(page).text

    client = sign_in_as(platform_admin)
    outbox = client.get("/outbox").text
    message_path = re.search(r'href="(/outbox/[0-9a-f-]+)"', outbox)
    assert message_path is not None
    mail = client.get(message_path.group(1)).text
    link = re.search(r"http://testserver\.example(/invitations/[\w-]+)", mail)
    assert link is not None

    client.cookies.clear()
    accept = client.get(link.group(1))
    assert "Join Maple Ridge" in accept.text
    too_short = client.post(
        link.group(1),
        data={"display_name": "Ana", "password": "short", "csrf_token": csrf_from(accept.text)},
    )
    assert too_short.status_code == 422
    assert 'id="password-error"' in too_short.text
    accepted = client.post(
        link.group(1),
        data={
            "display_name": "Ana Lopez",
            "password": "a long enough passphrase",
            "csrf_token": csrf_from(accept.text),
        },
    )
    assert accepted.status_code == 303
    assert (
        web_sign_in(client, "new.hire@example.org", "a long enough passphrase").status_code == 303
    )
    assert "Maple Ridge" in client.get("/").text
    # The link worked once.
    assert client.get(link.group(1)).status_code == 409


def test_an_invitation_for_a_role_the_organisation_cannot_hold_is_refused(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session)
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    page = f"/orgs/{org.id}/invitations"

    response = submit(client, page, page, {"email": "someone@example.org", "role": "issuer_admin"})

    assert response.status_code == 422
    assert 'id="role-error"' in response.text
    assert session.scalars(select(OutboxMessage)).first() is None


def test_hr_admin_changes_a_role_but_keeps_an_administrator(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session)
    admin = make_member(session, org, Role.HR_ADMIN)
    learner = make_member(session, org, Role.LEARNER)
    client = sign_in_as(admin)
    memberships = {
        m.person_id: m
        for m in session.scalars(select(Membership).where(Membership.org_id == org.id))
    }

    promote = f"/orgs/{org.id}/people/{memberships[learner.id].id}"
    assert submit(client, promote, promote, {"role": "manager"}).status_code == 303
    session.expire_all()
    assert session.get(Membership, memberships[learner.id].id).role is Role.MANAGER  # type: ignore[union-attr]

    demote_self = f"/orgs/{org.id}/people/{memberships[admin.id].id}"
    refused = submit(client, demote_self, demote_self, {"role": "learner"})
    assert refused.status_code == 422
    assert "at least one administrator" in refused.text


def test_a_manager_sees_only_their_team(session: Session, sign_in_as: SignIn) -> None:
    org = make_org(session)
    nursing = make_department(session, org, name="Nursing")
    ward = make_department(session, org, name="Ward 4", parent=nursing)
    finance = make_department(session, org, name="Finance")
    manager = make_member(session, org, Role.MANAGER, department=nursing)
    make_member(
        session, org, Role.LEARNER, person=None, department=ward
    ).display_name = "Nurse On Ward"
    make_member(session, org, Role.LEARNER, department=finance).display_name = "Accountant"
    client = sign_in_as(manager)

    team = client.get(f"/orgs/{org.id}/people").text

    assert "Nurse On Ward" in team
    assert "Accountant" not in team


def test_people_are_searchable(session: Session, sign_in_as: SignIn) -> None:
    org = make_org(session)
    make_member(session, org, Role.LEARNER).display_name = "Kateri Wabano"
    make_member(session, org, Role.LEARNER).display_name = "Tyler Smith"
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))

    found = client.get(f"/orgs/{org.id}/people", params={"q": "wabano"}).text

    assert "Kateri Wabano" in found
    assert "Tyler Smith" not in found


def test_the_outbox_is_only_for_platform_administrators(
    session: Session, sign_in_as: SignIn
) -> None:
    client = sign_in_as(make_member(session, make_org(session), Role.HR_ADMIN))

    assert client.get("/outbox").status_code == 404
