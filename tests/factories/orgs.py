from __future__ import annotations

import itertools
import uuid
from functools import cache

from sqlalchemy.orm import Session

from cairn.kit.actor import Actor, Role
from cairn.kit.passwords import hash_password
from cairn.orgs import people
from cairn.orgs.enums import OrgKind, SizeBand
from cairn.orgs.models import Department, Membership, Organisation, Person, Position

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


@cache
def _password_hash() -> str:
    """Hash the shared test password once: argon2id is slow by design."""
    return hash_password(PASSWORD)


def make_org(
    session: Session,
    *,
    name: str | None = None,
    kind: OrgKind = OrgKind.EMPLOYER,
    size_band: SizeBand | None = None,
    region: str | None = "Ontario",
) -> Organisation:
    number = next(_counter)
    org = Organisation(
        name=name or f"Organisation {number}",
        slug=f"org-{number}-{uuid.uuid4().hex[:6]}",
        kind=kind,
        size_band=size_band or (SizeBand.MEDIUM if kind is OrgKind.EMPLOYER else None),
        region=region,
    )
    session.add(org)
    session.flush()
    return org


def make_person(
    session: Session,
    *,
    email: str | None = None,
    name: str | None = None,
    with_password: bool = True,
) -> Person:
    number = next(_counter)
    person = Person(
        email=(email or f"person{number}-{uuid.uuid4().hex[:6]}@example.org").lower(),
        display_name=name or f"Person {number}",
        password_hash=_password_hash() if with_password else None,
    )
    session.add(person)
    session.flush()
    return person


def make_member(
    session: Session,
    org: Organisation,
    role: Role = Role.LEARNER,
    *,
    person: Person | None = None,
    department: Department | None = None,
    position: Position | None = None,
) -> Person:
    person = person or make_person(session)
    people.add_membership(
        session,
        person,
        org,
        role,
        department_id=department.id if department else None,
        position_id=position.id if position else None,
    )
    return person


def make_membership(session: Session, org: Organisation, role: Role = Role.LEARNER) -> Membership:
    person = make_member(session, org, role)
    membership = next(
        m for m, _ in people.my_memberships(session, actor(session, person)) if m.org_id == org.id
    )
    return membership


def make_department(
    session: Session,
    org: Organisation,
    *,
    name: str | None = None,
    parent: Department | None = None,
) -> Department:
    department = Department(
        org_id=org.id,
        name=name or f"Department {next(_counter)}",
        parent_id=parent.id if parent else None,
    )
    session.add(department)
    session.flush()
    return department


def make_position(
    session: Session,
    org: Organisation,
    *,
    title: str | None = None,
    department: Department | None = None,
) -> Position:
    position = Position(
        org_id=org.id,
        title=title or f"Job role {next(_counter)}",
        department_id=department.id if department else None,
    )
    session.add(position)
    session.flush()
    return position


def actor(session: Session, person: Person) -> Actor:
    """The actor a web session for ``person`` would carry."""
    return people.actor_for(session, person)
