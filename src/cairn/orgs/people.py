"""People, their learner profile and their self-declared equity attributes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from cairn.kit.actor import Actor, Role, Scope, require_person, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from cairn.kit.i18n import lazy_gettext
from cairn.kit.pagination import Paged, PageParams
from cairn.kit.passwords import hash_password
from cairn.orgs import repository
from cairn.orgs.models import EquityAttributes, LearnerProfile, Membership, Organisation, Person
from cairn.orgs.schemas import EquityAttributesWrite, PersonCreate, ProfileRead, ProfileUpdate


def create_person(session: Session, data: PersonCreate) -> Person:
    """Register a person with an empty learner profile. Callers check who may do this."""
    email = data.email.lower()
    if repository.get_person_by_email(session, email) is not None:
        message = lazy_gettext("Someone is already registered with this e-mail address.")
        raise Conflict(message, [FieldError("email", message)])
    person = Person(
        email=email,
        display_name=data.display_name,
        password_hash=hash_password(data.password) if data.password else None,
    )
    session.add(person)
    session.flush()
    session.add(LearnerProfile(person_id=person.id))
    session.flush()
    return person


MIN_PASSWORD_LENGTH = 12


def set_password(session: Session, person: Person, password: str) -> None:
    """NIST SP 800-63B: a length rule, no composition rules."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= 256:
        message = lazy_gettext("Choose a password of at least 12 characters.")
        raise InvalidInput(message, [FieldError("password", message)])
    person.password_hash = hash_password(password)
    session.flush()


def add_membership(
    session: Session,
    person: Person,
    org: Organisation,
    role: Role,
    *,
    department_id: uuid.UUID | None = None,
    position_id: uuid.UUID | None = None,
) -> Membership:
    """Give ``person`` a role in ``org``; holding it already is not an error."""
    existing = repository.find_membership(session, org.id, person.id, role)
    if existing is not None:
        return existing
    membership = Membership(
        person_id=person.id,
        org_id=org.id,
        role=role,
        department_id=department_id,
        position_id=position_id,
    )
    session.add(membership)
    session.flush()
    return membership


def actor_for(session: Session, person: Person, *, scopes: frozenset[Scope] | None = None) -> Actor:
    """The identity services see for ``person``, with every membership they hold."""
    memberships = frozenset(
        (membership.org_id, membership.role)
        for membership, _ in repository.memberships_of_person(session, person.id)
    )
    return Actor(person_id=person.id, email=person.email, memberships=memberships, scopes=scopes)


def get_person_by_email(session: Session, email: str) -> Person | None:
    return repository.get_person_by_email(session, email)


def get_person(session: Session, person_id: uuid.UUID) -> Person | None:
    return repository.get_person(session, person_id)


def list_people(session: Session, actor: Actor, params: PageParams) -> Paged[Person]:
    """Everyone registered: for platform administrators only."""
    require_scope(actor, Scope.PEOPLE_READ)
    if not actor.is_platform_admin:
        raise PermissionDenied(lazy_gettext("Only a platform administrator can list everyone."))
    return repository.list_people(session, params)


def get_me(session: Session, actor: Actor) -> Person:
    person = repository.get_person(session, actor.person_id)
    if person is None:
        raise NotFound(lazy_gettext("Person not found."))
    return person


def my_memberships(session: Session, actor: Actor) -> Sequence[tuple[Membership, Organisation]]:
    return repository.memberships_of_person(session, actor.person_id)


def get_my_profile(session: Session, actor: Actor) -> ProfileRead:
    require_scope(actor, Scope.PROFILE_READ)
    person = get_me(session, actor)
    profile = _profile(session, person.id)
    return ProfileRead(
        person_id=person.id,
        display_name=person.display_name,
        email=person.email,
        locale=person.locale,
        headline=profile.headline,
        about=profile.about,
        region=profile.region,
    )


def _profile(session: Session, person_id: uuid.UUID) -> LearnerProfile:
    profile = repository.get_profile(session, person_id)
    if profile is None:
        profile = LearnerProfile(person_id=person_id)
        session.add(profile)
        session.flush()
    return profile


def update_my_profile(session: Session, actor: Actor, data: ProfileUpdate) -> ProfileRead:
    require_scope(actor, Scope.PROFILE_WRITE)
    person = get_me(session, actor)
    profile = _profile(session, person.id)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("display_name"):
        person.display_name = changes["display_name"]
    if "locale" in changes:
        person.locale = changes["locale"]
    for key in ("headline", "about", "region"):
        if key in changes:
            setattr(profile, key, changes[key] or None)
    session.flush()
    return get_my_profile(session, actor)


def get_my_equity_attributes(session: Session, actor: Actor) -> EquityAttributes | None:
    """Only the person themself ever reads their answers one by one."""
    require_scope(actor, Scope.PROFILE_READ)
    return repository.get_equity_attributes(session, actor.person_id)


def set_my_equity_attributes(
    session: Session, actor: Actor, data: EquityAttributesWrite
) -> EquityAttributes:
    require_person(actor)
    require_scope(actor, Scope.PROFILE_WRITE)
    answers = data.model_dump(exclude={"consent"})
    attributes = repository.get_equity_attributes(session, actor.person_id)
    if attributes is None:
        attributes = EquityAttributes(person_id=actor.person_id, consented_at=utcnow(), **answers)
        session.add(attributes)
    else:
        attributes.consented_at = utcnow()
        for key, value in answers.items():
            setattr(attributes, key, value)
    session.flush()
    return attributes


def withdraw_my_equity_attributes(session: Session, actor: Actor) -> None:
    """Withdrawing consent erases the answers, not just hides them."""
    require_scope(actor, Scope.PROFILE_WRITE)
    attributes = repository.get_equity_attributes(session, actor.person_id)
    if attributes is not None:
        session.delete(attributes)
        session.flush()
