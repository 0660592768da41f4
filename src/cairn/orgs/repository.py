"""Every query of the orgs domain. Callers pass the organisation scope explicitly."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from cairn.kit.actor import Role
from cairn.kit.pagination import Paged, PageParams, paginate
from cairn.orgs.models import (
    Department,
    EquityAttributes,
    Invitation,
    LearnerProfile,
    Membership,
    Organisation,
    Person,
    Position,
    SkillProfile,
    SkillProfileItem,
)


def get_organisation(session: Session, org_id: uuid.UUID) -> Organisation | None:
    return session.get(Organisation, org_id)


def get_organisation_by_slug(session: Session, slug: str) -> Organisation | None:
    return session.scalar(select(Organisation).where(Organisation.slug == slug))


def list_organisations(
    session: Session, params: PageParams, *, only: Iterable[uuid.UUID] | None
) -> Paged[Organisation]:
    query = select(Organisation).order_by(Organisation.name, Organisation.id)
    if only is not None:
        query = query.where(Organisation.id.in_(list(only)))
    return paginate(session, query, params)


def slug_taken(session: Session, slug: str) -> bool:
    return session.scalar(select(func.count()).where(Organisation.slug == slug)) != 0


def list_departments(session: Session, org_id: uuid.UUID) -> Sequence[Department]:
    return session.scalars(
        select(Department).where(Department.org_id == org_id).order_by(Department.name)
    ).all()


def get_department(
    session: Session, org_id: uuid.UUID, department_id: uuid.UUID
) -> Department | None:
    return session.scalar(
        select(Department).where(Department.org_id == org_id, Department.id == department_id)
    )


def department_name_taken(
    session: Session,
    org_id: uuid.UUID,
    parent_id: uuid.UUID | None,
    name: str,
    *,
    excluding: uuid.UUID | None = None,
) -> bool:
    query = select(func.count()).where(
        Department.org_id == org_id,
        Department.parent_id.is_(None) if parent_id is None else Department.parent_id == parent_id,
        func.lower(Department.name) == name.lower(),
    )
    if excluding is not None:
        query = query.where(Department.id != excluding)
    return session.scalar(query) != 0


def count_child_departments(session: Session, department_id: uuid.UUID) -> int:
    return session.scalar(select(func.count()).where(Department.parent_id == department_id)) or 0


def list_positions(session: Session, org_id: uuid.UUID) -> Sequence[Position]:
    return session.scalars(
        select(Position).where(Position.org_id == org_id).order_by(Position.title)
    ).all()


def get_position(session: Session, org_id: uuid.UUID, position_id: uuid.UUID) -> Position | None:
    return session.scalar(
        select(Position).where(Position.org_id == org_id, Position.id == position_id)
    )


def position_title_taken(
    session: Session, org_id: uuid.UUID, title: str, *, excluding: uuid.UUID | None = None
) -> bool:
    query = select(func.count()).where(
        Position.org_id == org_id, func.lower(Position.title) == title.lower()
    )
    if excluding is not None:
        query = query.where(Position.id != excluding)
    return session.scalar(query) != 0


def memberships_of_person(
    session: Session, person_id: uuid.UUID
) -> Sequence[tuple[Membership, Organisation]]:
    rows = session.execute(
        select(Membership, Organisation)
        .join(Organisation, Organisation.id == Membership.org_id)
        .where(Membership.person_id == person_id)
        .order_by(Organisation.name, Membership.role)
    )
    return [(membership, org) for membership, org in rows]


def list_members(
    session: Session,
    org_id: uuid.UUID,
    params: PageParams,
    *,
    department_ids: Iterable[uuid.UUID] | None = None,
    search: str | None = None,
) -> Paged[Membership]:
    query = (
        select(Membership)
        .join(Person, Person.id == Membership.person_id)
        .options(joinedload(Membership.person))
        .where(Membership.org_id == org_id)
        .order_by(Person.display_name, Person.id, Membership.role)
    )
    if department_ids is not None:
        query = query.where(Membership.department_id.in_(list(department_ids)))
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(
            func.lower(Person.display_name).like(pattern) | func.lower(Person.email).like(pattern)
        )
    return paginate(session, query, params)


def get_membership(
    session: Session, org_id: uuid.UUID, membership_id: uuid.UUID
) -> Membership | None:
    return session.scalar(
        select(Membership)
        .options(joinedload(Membership.person))
        .where(Membership.org_id == org_id, Membership.id == membership_id)
    )


def find_membership(
    session: Session, org_id: uuid.UUID, person_id: uuid.UUID, role: Role
) -> Membership | None:
    return session.scalar(
        select(Membership).where(
            Membership.org_id == org_id, Membership.person_id == person_id, Membership.role == role
        )
    )


def count_members_with_roles(session: Session, org_id: uuid.UUID, roles: Iterable[Role]) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                Membership.org_id == org_id, Membership.role.in_(list(roles))
            )
        )
        or 0
    )


def count_people(session: Session, org_id: uuid.UUID) -> int:
    """People with at least one role in the organisation (not memberships: roles add up)."""
    return (
        session.scalar(
            select(func.count(func.distinct(Membership.person_id))).where(
                Membership.org_id == org_id
            )
        )
        or 0
    )


def member_departments(
    session: Session, org_id: uuid.UUID, person_id: uuid.UUID, role: Role
) -> set[uuid.UUID]:
    """The departments of ``person_id``'s memberships with ``role`` in ``org_id``."""
    rows = session.scalars(
        select(Membership.department_id).where(
            Membership.org_id == org_id,
            Membership.person_id == person_id,
            Membership.role == role,
            Membership.department_id.is_not(None),
        )
    )
    return {department_id for department_id in rows if department_id is not None}


def list_invitations(session: Session, org_id: uuid.UUID, params: PageParams) -> Paged[Invitation]:
    query = (
        select(Invitation)
        .where(Invitation.org_id == org_id)
        .order_by(Invitation.created_at.desc(), Invitation.id)
    )
    return paginate(session, query, params)


def get_invitation(
    session: Session, org_id: uuid.UUID, invitation_id: uuid.UUID
) -> Invitation | None:
    return session.scalar(
        select(Invitation).where(Invitation.org_id == org_id, Invitation.id == invitation_id)
    )


def get_invitation_by_token_hash(session: Session, token_hash: str) -> Invitation | None:
    return session.scalar(select(Invitation).where(Invitation.token_hash == token_hash))


def get_person(session: Session, person_id: uuid.UUID) -> Person | None:
    return session.get(Person, person_id)


def get_person_by_email(session: Session, email: str) -> Person | None:
    return session.scalar(select(Person).where(Person.email == email.lower()))


def list_people(session: Session, params: PageParams) -> Paged[Person]:
    return paginate(session, select(Person).order_by(Person.email), params)


def get_profile(session: Session, person_id: uuid.UUID) -> LearnerProfile | None:
    return session.get(LearnerProfile, person_id)


def get_equity_attributes(session: Session, person_id: uuid.UUID) -> EquityAttributes | None:
    return session.get(EquityAttributes, person_id)


# --- skill profiles of job roles and departments -------------------------------------


def get_skill_profile(
    session: Session,
    *,
    position_id: uuid.UUID | None = None,
    department_id: uuid.UUID | None = None,
) -> SkillProfile | None:
    query = select(SkillProfile)
    if position_id is not None:
        return session.scalar(query.where(SkillProfile.position_id == position_id))
    return session.scalar(query.where(SkillProfile.department_id == department_id))


def skill_profile_items(session: Session, profile_id: uuid.UUID) -> Sequence[SkillProfileItem]:
    return session.scalars(
        select(SkillProfileItem).where(SkillProfileItem.profile_id == profile_id)
    ).all()


def get_skill_profile_item(
    session: Session, profile_id: uuid.UUID, skill_id: uuid.UUID
) -> SkillProfileItem | None:
    return session.get(SkillProfileItem, (profile_id, skill_id))


def skill_profiles_of(session: Session, org_id: uuid.UUID) -> Sequence[SkillProfile]:
    return session.scalars(select(SkillProfile).where(SkillProfile.org_id == org_id)).all()


def profile_items_of(
    session: Session, org_id: uuid.UUID
) -> Sequence[tuple[SkillProfile, SkillProfileItem]]:
    """Every skill-profile line of an organisation's roles and departments, in one query."""
    rows = session.execute(
        select(SkillProfile, SkillProfileItem)
        .join(SkillProfileItem, SkillProfileItem.profile_id == SkillProfile.id)
        .where(SkillProfile.org_id == org_id)
    )
    return [(profile, item) for profile, item in rows]


def memberships_in(session: Session, org_id: uuid.UUID) -> Sequence[Membership]:
    return session.scalars(select(Membership).where(Membership.org_id == org_id)).all()


def organisations_by_ids(
    session: Session, org_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Organisation]:
    found = session.scalars(select(Organisation).where(Organisation.id.in_(list(org_ids)))).all()
    return {org.id: org for org in found}
