"""Invitations: an administrator invites someone by e-mail; the link makes them a member."""

from __future__ import annotations

import uuid
from datetime import timedelta
from enum import StrEnum

from sqlalchemy.orm import Session

from cairn.config import get_settings
from cairn.kit.actor import Actor, Scope, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, FieldError, InvalidInput, NotFound
from cairn.kit.i18n import gettext, lazy_gettext
from cairn.kit.ids import digest, new_token
from cairn.kit.mail import Mail, mailer_for
from cairn.kit.pagination import Paged, PageParams
from cairn.orgs import people, repository
from cairn.orgs.enums import label
from cairn.orgs.models import Invitation, Organisation, Person
from cairn.orgs.permissions import administered_organisation
from cairn.orgs.schemas import InvitationAccept, InvitationCreate, PersonCreate
from cairn.orgs.service import validate_assignment


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    EXPIRED = "expired"


def status_of(invitation: Invitation) -> InvitationStatus:
    if invitation.accepted_at is not None:
        return InvitationStatus.ACCEPTED
    if invitation.revoked_at is not None:
        return InvitationStatus.REVOKED
    if invitation.expires_at <= utcnow():
        return InvitationStatus.EXPIRED
    return InvitationStatus.PENDING


def invitation_link(token: str) -> str:
    return f"{get_settings().base_url.rstrip('/')}/invitations/{token}"


def list_invitations(
    session: Session, actor: Actor, org_id: uuid.UUID, params: PageParams
) -> Paged[Invitation]:
    require_scope(actor, Scope.PEOPLE_READ)
    administered_organisation(session, actor, org_id)
    return repository.list_invitations(session, org_id, params)


def invite(session: Session, actor: Actor, org_id: uuid.UUID, data: InvitationCreate) -> Invitation:
    """Record the invitation and send its one-time link; only its digest is stored."""
    require_scope(actor, Scope.PEOPLE_WRITE)
    org = administered_organisation(session, actor, org_id)
    validate_assignment(
        session,
        actor,
        org,
        role=data.role,
        department_id=data.department_id,
        position_id=data.position_id,
    )
    email = data.email.lower()
    existing = repository.get_person_by_email(session, email)
    if (
        existing is not None
        and repository.find_membership(session, org_id, existing.id, data.role) is not None
    ):
        message = lazy_gettext("This person already holds that role here.")
        raise Conflict(message, [FieldError("email", message)])
    token = new_token()
    invitation = Invitation(
        org_id=org_id,
        email=email,
        role=data.role,
        department_id=data.department_id,
        position_id=data.position_id,
        token_hash=digest(token),
        invited_by_id=None if actor.system else actor.person_id,  # the operator is nobody
        expires_at=utcnow() + timedelta(days=get_settings().invitation_days),
    )
    session.add(invitation)
    session.flush()
    _send(session, org, invitation, token)
    return invitation


def _send(session: Session, org: Organisation, invitation: Invitation, token: str) -> None:
    subject = gettext("You are invited to join %(org)s on Cairn", org=org.name)
    body = gettext(
        "Hello,\n\n%(org)s invites you to join Cairn as %(role)s.\n\n"
        "Open this link to accept (it works once, until %(expires)s):\n%(link)s\n\n"
        "If you did not expect this invitation you can ignore this message.\n",
        org=org.name,
        role=label(invitation.role),
        expires=invitation.expires_at.strftime("%Y-%m-%d %H:%M UTC"),
        link=invitation_link(token),
    )
    mail = Mail(recipient=invitation.email, subject=subject, body=body)
    mailer_for(get_settings(), session).send(mail)


def revoke_invitation(
    session: Session, actor: Actor, org_id: uuid.UUID, invitation_id: uuid.UUID
) -> Invitation:
    require_scope(actor, Scope.PEOPLE_WRITE)
    administered_organisation(session, actor, org_id)
    invitation = repository.get_invitation(session, org_id, invitation_id)
    if invitation is None:
        raise NotFound(lazy_gettext("Invitation not found."))
    if status_of(invitation) is not InvitationStatus.PENDING:
        raise Conflict(lazy_gettext("Only a pending invitation can be revoked."))
    invitation.revoked_at = utcnow()
    session.flush()
    return invitation


def pending_invitation(
    session: Session, token: str
) -> tuple[Invitation, Organisation, Person | None]:
    """The invitation behind a link, if it can still be used, with its organisation and the
    person already registered under its address (if any)."""
    invitation = repository.get_invitation_by_token_hash(session, digest(token))
    if invitation is None:
        raise NotFound(lazy_gettext("This invitation link is not valid."))
    status = status_of(invitation)
    if status is InvitationStatus.ACCEPTED:
        raise Conflict(lazy_gettext("This invitation has already been accepted. Sign in instead."))
    if status is InvitationStatus.REVOKED:
        raise Conflict(lazy_gettext("This invitation was withdrawn by the organisation."))
    if status is InvitationStatus.EXPIRED:
        raise Conflict(
            lazy_gettext("This invitation has expired. Ask the organisation for a new one.")
        )
    org = repository.get_organisation(session, invitation.org_id)
    if org is None:  # pragma: no cover - the foreign key cascades
        raise NotFound(lazy_gettext("This invitation link is not valid."))
    return invitation, org, repository.get_person_by_email(session, invitation.email)


def accept_invitation(session: Session, token: str, data: InvitationAccept | None) -> Person:
    """Join the organisation. A newcomer chooses a name and password; someone already
    registered just joins, since only the owner of the address received the link."""
    invitation, org, person = pending_invitation(session, token)
    if person is None:
        if data is None:
            message = lazy_gettext("Choose a name and a password to create your account.")
            raise InvalidInput(message, [FieldError("password", message)])
        person = people.create_person(
            session,
            PersonCreate(
                email=invitation.email, display_name=data.display_name, password=data.password
            ),
        )
    elif person.password_hash is None and data is not None:
        person.display_name = data.display_name
        people.set_password(session, person, data.password)
    people.add_membership(
        session,
        person,
        org,
        invitation.role,
        department_id=invitation.department_id,
        position_id=invitation.position_id,
    )
    invitation.accepted_at = utcnow()
    session.flush()
    return person
