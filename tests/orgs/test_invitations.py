"""Invitations: a one-time link by e-mail that makes its recipient a member."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.config import get_settings
from cairn.kit.actor import Actor, Role, Scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from cairn.kit.ids import digest
from cairn.kit.mail import OutboxMessage
from cairn.kit.pagination import PageParams
from cairn.kit.passwords import verify_password
from cairn.orgs import invitations, people
from cairn.orgs.invitations import InvitationStatus
from cairn.orgs.models import Invitation, Membership, Organisation, Person
from cairn.orgs.schemas import InvitationAccept, InvitationCreate
from tests.factories.orgs import (
    PASSWORD,
    actor,
    make_department,
    make_member,
    make_org,
    make_person,
    make_position,
)

LINK = re.compile(r"/invitations/(\S+)")
NEWCOMER = InvitationAccept(display_name="Nadia Mensah", password="a fresh pass phrase")


def send_invitation(
    session: Session, org: Organisation, email: str, role: Role = Role.LEARNER, **extra: object
) -> tuple[Invitation, str]:
    """Invite as the organisation's administrator; return the invitation and its link token."""
    admin = actor(session, make_member(session, org, Role.HR_ADMIN))
    invitation = invitations.invite(
        session,
        admin,
        org.id,
        InvitationCreate.model_validate({"email": email, "role": role, **extra}),
    )
    return invitation, token_from_mail(session, invitation.email)


def token_from_mail(session: Session, recipient: str) -> str:
    mail = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == recipient)
        .order_by(OutboxMessage.created_at.desc())
    ).first()
    assert mail is not None, f"no invitation was mailed to {recipient}"
    match = LINK.search(mail.body)
    assert match is not None, mail.body
    return match.group(1)


def memberships(session: Session, person: Person, org: Organisation) -> list[Membership]:
    return list(
        session.scalars(
            select(Membership).where(Membership.person_id == person.id, Membership.org_id == org.id)
        )
    )


def test_the_link_is_mailed_and_only_its_digest_is_stored(session: Session) -> None:
    org = make_org(session, name="Brightpath Logistics")

    invitation, token = send_invitation(session, org, "New.Hire@Example.org", Role.MANAGER)

    assert invitation.email == "new.hire@example.org"
    assert invitation.token_hash == digest(token)
    stored = {str(value) for value in vars(invitation).values()}
    assert not any(token in value for value in stored)
    mail = session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == "new.hire@example.org")
    ).one()
    assert "Brightpath Logistics" in mail.subject
    assert f"{get_settings().base_url}/invitations/{token}" in mail.body
    assert "Manager" in mail.body  # the role in words
    expected_expiry = utcnow() + timedelta(days=get_settings().invitation_days)
    assert abs(invitation.expires_at - expected_expiry) < timedelta(minutes=1)
    assert invitations.status_of(invitation) is InvitationStatus.PENDING


def test_accepting_creates_the_person_and_the_membership(session: Session) -> None:
    org = make_org(session)
    department = make_department(session, org)
    position = make_position(session, org, department=department)
    _, token = send_invitation(
        session,
        org,
        "nadia@example.org",
        department_id=department.id,
        position_id=position.id,
    )

    person = invitations.accept_invitation(session, token, NEWCOMER)

    assert (person.email, person.display_name) == ("nadia@example.org", "Nadia Mensah")
    assert person.password_hash is not None
    assert person.password_hash.startswith("$argon2id$")
    assert verify_password(person.password_hash, "a fresh pass phrase")
    [membership] = memberships(session, person, org)
    assert (membership.role, membership.department_id, membership.position_id) == (
        Role.LEARNER,
        department.id,
        position.id,
    )


def test_a_link_works_once(session: Session) -> None:
    org = make_org(session)
    invitation, token = send_invitation(session, org, "once@example.org")
    invitations.accept_invitation(session, token, NEWCOMER)

    assert invitations.status_of(invitation) is InvitationStatus.ACCEPTED
    with pytest.raises(Conflict):
        invitations.accept_invitation(session, token, NEWCOMER)
    with pytest.raises(Conflict):
        invitations.pending_invitation(session, token)


def test_a_newcomer_must_choose_a_name_and_password(session: Session) -> None:
    org = make_org(session)
    invitation, token = send_invitation(session, org, "later@example.org")

    with pytest.raises(InvalidInput) as error:
        invitations.accept_invitation(session, token, None)

    assert [item.field for item in error.value.field_errors] == ["password"]
    assert people.get_person_by_email(session, "later@example.org") is None
    assert invitations.status_of(invitation) is InvitationStatus.PENDING


def test_someone_registered_already_just_joins(session: Session) -> None:
    org = make_org(session)
    existing = make_person(session, email="marc@example.org", name="Marc Tremblay")
    before = existing.password_hash
    _, token = send_invitation(session, org, "MARC@example.org", Role.MANAGER)

    _, _, found = invitations.pending_invitation(session, token)
    joined = invitations.accept_invitation(session, token, None)

    assert found is not None
    assert joined.id == found.id == existing.id
    assert (joined.display_name, joined.password_hash) == ("Marc Tremblay", before)
    assert verify_password(joined.password_hash, PASSWORD)
    assert [m.role for m in memberships(session, existing, org)] == [Role.MANAGER]


def test_an_unknown_or_tampered_link_is_not_found(session: Session) -> None:
    org = make_org(session)
    _, token = send_invitation(session, org, "someone@example.org")

    for bad in ("", "not-a-token", token[:-1], token + "x"):
        with pytest.raises(NotFound):
            invitations.pending_invitation(session, bad)


def test_an_expired_invitation_cannot_be_used(session: Session) -> None:
    org = make_org(session)
    invitation, token = send_invitation(session, org, "late@example.org")
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    session.flush()

    assert invitations.status_of(invitation) is InvitationStatus.EXPIRED
    with pytest.raises(Conflict):
        invitations.accept_invitation(session, token, NEWCOMER)
    assert people.get_person_by_email(session, "late@example.org") is None


def test_a_revoked_invitation_cannot_be_used(session: Session) -> None:
    org = make_org(session)
    invitation, token = send_invitation(session, org, "withdrawn@example.org")
    admin = actor(session, make_member(session, org, Role.HR_ADMIN))

    revoked = invitations.revoke_invitation(session, admin, org.id, invitation.id)

    assert invitations.status_of(revoked) is InvitationStatus.REVOKED
    with pytest.raises(Conflict):
        invitations.accept_invitation(session, token, NEWCOMER)
    with pytest.raises(Conflict):  # only a pending one can be revoked
        invitations.revoke_invitation(session, admin, org.id, invitation.id)
    assert people.get_person_by_email(session, "withdrawn@example.org") is None


def test_an_accepted_invitation_cannot_be_revoked(session: Session) -> None:
    org = make_org(session)
    invitation, token = send_invitation(session, org, "quick@example.org")
    invitations.accept_invitation(session, token, NEWCOMER)
    admin = actor(session, make_member(session, org, Role.HR_ADMIN))

    with pytest.raises(Conflict):
        invitations.revoke_invitation(session, admin, org.id, invitation.id)


def test_only_the_organisations_administrators_invite(session: Session) -> None:
    org, other = make_org(session), make_org(session)
    learner = actor(session, make_member(session, org))
    outsider = actor(session, make_member(session, other, Role.HR_ADMIN))
    data = InvitationCreate(email="friend@example.org", role=Role.LEARNER)

    with pytest.raises(PermissionDenied):
        invitations.invite(session, learner, org.id, data)
    with pytest.raises(NotFound):
        invitations.invite(session, outsider, org.id, data)
    with pytest.raises(NotFound):
        invitations.list_invitations(session, outsider, org.id, PageParams())
    assert session.scalars(select(Invitation).where(Invitation.org_id == org.id)).all() == []


def test_another_organisation_cannot_revoke_an_invitation(session: Session) -> None:
    org, other = make_org(session), make_org(session)
    invitation, _ = send_invitation(session, org, "mine@example.org")
    other_admin = actor(session, make_member(session, other, Role.HR_ADMIN))

    with pytest.raises(NotFound):
        invitations.revoke_invitation(session, other_admin, other.id, invitation.id)
    assert invitations.status_of(invitation) is InvitationStatus.PENDING


def test_the_invited_role_must_suit_the_organisation(session: Session) -> None:
    org, other = make_org(session), make_org(session)
    admin = actor(session, make_member(session, org, Role.HR_ADMIN))

    for role in (Role.EDUCATOR, Role.PLATFORM_ADMIN):
        with pytest.raises(InvalidInput) as error:
            invitations.invite(
                session, admin, org.id, InvitationCreate(email="x@example.org", role=role)
            )
        assert [item.field for item in error.value.field_errors] == ["role"]
    with pytest.raises(NotFound) as missing:
        invitations.invite(
            session,
            admin,
            org.id,
            InvitationCreate(
                email="x@example.org",
                role=Role.LEARNER,
                department_id=make_department(session, other).id,
            ),
        )
    assert [item.field for item in missing.value.field_errors] == ["department_id"]


def test_a_platform_administrator_may_invite_one(session: Session) -> None:
    org = make_org(session)
    invitation = invitations.invite(
        session,
        Actor.operator(),
        org.id,
        InvitationCreate(email="ops@example.org", role=Role.PLATFORM_ADMIN),
    )
    person = invitations.accept_invitation(
        session, token_from_mail(session, "ops@example.org"), NEWCOMER
    )

    assert invitation.role is Role.PLATFORM_ADMIN
    assert people.actor_for(session, person).is_platform_admin


def test_inviting_someone_to_a_role_they_hold_is_refused(session: Session) -> None:
    org = make_org(session)
    member = make_member(session, org, Role.LEARNER)
    admin = actor(session, make_member(session, org, Role.HR_ADMIN))

    with pytest.raises(Conflict):
        invitations.invite(
            session, admin, org.id, InvitationCreate(email=member.email, role=Role.LEARNER)
        )
    promoted = invitations.invite(
        session, admin, org.id, InvitationCreate(email=member.email, role=Role.MANAGER)
    )
    assert promoted.role is Role.MANAGER


def test_administrators_list_their_invitations(session: Session) -> None:
    org = make_org(session)
    first, _ = send_invitation(session, org, "one@example.org")
    second, _ = send_invitation(session, org, "two@example.org")
    send_invitation(session, make_org(session), "elsewhere@example.org")
    admin = actor(session, make_member(session, org, Role.HR_ADMIN))
    reader = people.actor_for(
        session, make_member(session, org, Role.HR_ADMIN), scopes=frozenset({Scope.ORGS_READ})
    )

    listed = invitations.list_invitations(session, admin, org.id, PageParams())

    assert {i.id for i in listed.items} == {first.id, second.id}
    with pytest.raises(PermissionDenied):
        invitations.list_invitations(session, reader, org.id, PageParams())
