"""Organisations and their structure: departments, job roles and memberships."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from cairn.kit.actor import Actor, Role, Scope, require_scope
from cairn.kit.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from cairn.kit.i18n import lazy_gettext
from cairn.kit.pagination import Paged, PageParams
from cairn.orgs import repository
from cairn.orgs.models import Department, Membership, Organisation, Position
from cairn.orgs.permissions import (
    ADMIN_ROLES,
    administered_organisation,
    allowed_roles,
    is_org_admin,
    visible_organisation,
)
from cairn.orgs.schemas import (
    DepartmentCreate,
    DepartmentUpdate,
    MembershipUpdate,
    OrganisationCreate,
    OrganisationUpdate,
    PositionCreate,
    PositionUpdate,
)


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:70] or "organisation"


# --- organisations -------------------------------------------------------------------


def list_organisations(session: Session, actor: Actor, params: PageParams) -> Paged[Organisation]:
    """Your organisations; every organisation for a platform administrator."""
    require_scope(actor, Scope.ORGS_READ)
    return repository.list_organisations(
        session, params, only=None if actor.is_platform_admin else actor.org_ids
    )


def get_organisation(session: Session, actor: Actor, org_id: uuid.UUID) -> Organisation:
    require_scope(actor, Scope.ORGS_READ)
    return visible_organisation(session, actor, org_id)


def require_org_admin(session: Session, actor: Actor, org_id: uuid.UUID) -> Organisation:
    """The organisation, if ``actor`` administers it (forms for changes are shown only then)."""
    require_scope(actor, Scope.ORGS_WRITE)
    return administered_organisation(session, actor, org_id)


def get_organisation_by_slug(session: Session, actor: Actor, slug: str) -> Organisation:
    org = repository.get_organisation_by_slug(session, slug)
    if org is None:
        raise NotFound(lazy_gettext("No organisation has the short name %(slug)s.", slug=slug))
    return get_organisation(session, actor, org.id)


def require_can_register(actor: Actor) -> None:
    """Only platform administrators register organisations."""
    require_scope(actor, Scope.ORGS_WRITE)
    if not actor.is_platform_admin:
        raise PermissionDenied(
            lazy_gettext("Only a platform administrator can register an organisation.")
        )


def create_organisation(session: Session, actor: Actor, data: OrganisationCreate) -> Organisation:
    require_can_register(actor)
    slug = data.slug or _free_slug(session, slugify(data.name))
    if repository.slug_taken(session, slug):
        raise Conflict(
            lazy_gettext("That short name is already used."),
            [FieldError("slug", lazy_gettext("Choose another short name."))],
        )
    org = Organisation(
        name=data.name,
        slug=slug,
        kind=data.kind,
        size_band=data.size_band,
        sector=data.sector,
        region=data.region,
        description=data.description,
    )
    session.add(org)
    session.flush()
    return org


def _free_slug(session: Session, base: str) -> str:
    slug, counter = base, 2
    while repository.slug_taken(session, slug):
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def update_organisation(
    session: Session, actor: Actor, org_id: uuid.UUID, data: OrganisationUpdate
) -> Organisation:
    require_scope(actor, Scope.ORGS_WRITE)
    org = administered_organisation(session, actor, org_id)
    changes = data.model_dump(exclude_unset=True)
    if "size_band" in changes and (changes["size_band"] is None) == (org.kind.value == "employer"):
        message = (
            lazy_gettext("An employer needs a size band.")
            if changes["size_band"] is None
            else lazy_gettext("Only employers have a size band.")
        )
        raise InvalidInput(message, [FieldError("size_band", message)])
    if "name" in changes and changes["name"] is None:
        del changes["name"]
    for key, value in changes.items():
        setattr(org, key, value)
    session.flush()
    return org


# --- departments ---------------------------------------------------------------------


def list_departments(session: Session, actor: Actor, org_id: uuid.UUID) -> Sequence[Department]:
    """Any member may see the department tree of their organisation."""
    require_scope(actor, Scope.ORGS_READ)
    visible_organisation(session, actor, org_id)
    return repository.list_departments(session, org_id)


def get_department(
    session: Session, actor: Actor, org_id: uuid.UUID, department_id: uuid.UUID
) -> Department:
    require_scope(actor, Scope.ORGS_READ)
    visible_organisation(session, actor, org_id)
    return _department(session, org_id, department_id)


def _department(
    session: Session, org_id: uuid.UUID, department_id: uuid.UUID, *, field: str | None = None
) -> Department:
    department = repository.get_department(session, org_id, department_id)
    if department is None:
        message = lazy_gettext("Department not found.")
        raise NotFound(message, [FieldError(field, message)] if field else [])
    return department


def _check_department_name(
    session: Session,
    org_id: uuid.UUID,
    parent_id: uuid.UUID | None,
    name: str,
    excluding: uuid.UUID | None = None,
) -> None:
    if repository.department_name_taken(session, org_id, parent_id, name, excluding=excluding):
        message = lazy_gettext("A department with this name already exists here.")
        raise Conflict(message, [FieldError("name", message)])


def create_department(
    session: Session, actor: Actor, org_id: uuid.UUID, data: DepartmentCreate
) -> Department:
    require_scope(actor, Scope.ORGS_WRITE)
    administered_organisation(session, actor, org_id)
    if data.parent_id is not None:
        _department(session, org_id, data.parent_id, field="parent_id")
    _check_department_name(session, org_id, data.parent_id, data.name)
    department = Department(org_id=org_id, parent_id=data.parent_id, name=data.name)
    session.add(department)
    session.flush()
    return department


def update_department(
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    department_id: uuid.UUID,
    data: DepartmentUpdate,
) -> Department:
    """Rename or move a department; a department can never end up inside itself."""
    require_scope(actor, Scope.ORGS_WRITE)
    administered_organisation(session, actor, org_id)
    department = _department(session, org_id, department_id)
    parent_id = department.parent_id
    if data.move_to_top:
        parent_id = None
    elif data.parent_id is not None:
        _department(session, org_id, data.parent_id, field="parent_id")
        parents = {d.id: d.parent_id for d in repository.list_departments(session, org_id)}
        cursor: uuid.UUID | None = data.parent_id
        while cursor is not None:
            if cursor == department.id:
                message = lazy_gettext(
                    "A department cannot be moved inside itself or one of its sub-departments."
                )
                raise InvalidInput(message, [FieldError("parent_id", message)])
            cursor = parents.get(cursor)
        parent_id = data.parent_id
    name = data.name or department.name
    _check_department_name(session, org_id, parent_id, name, excluding=department.id)
    department.name = name
    department.parent_id = parent_id
    session.flush()
    return department


def delete_department(
    session: Session, actor: Actor, org_id: uuid.UUID, department_id: uuid.UUID
) -> None:
    """Only a department without sub-departments may go; its people stay, unassigned."""
    require_scope(actor, Scope.ORGS_WRITE)
    administered_organisation(session, actor, org_id)
    department = _department(session, org_id, department_id)
    if repository.count_child_departments(session, department.id):
        raise Conflict(lazy_gettext("Move or delete its sub-departments first."))
    session.delete(department)
    session.flush()


# --- positions (job roles) -----------------------------------------------------------


def list_positions(session: Session, actor: Actor, org_id: uuid.UUID) -> Sequence[Position]:
    require_scope(actor, Scope.ORGS_READ)
    visible_organisation(session, actor, org_id)
    return repository.list_positions(session, org_id)


def get_position(
    session: Session, actor: Actor, org_id: uuid.UUID, position_id: uuid.UUID
) -> Position:
    require_scope(actor, Scope.ORGS_READ)
    visible_organisation(session, actor, org_id)
    return _position(session, org_id, position_id)


def _position(
    session: Session, org_id: uuid.UUID, position_id: uuid.UUID, *, field: str | None = None
) -> Position:
    position = repository.get_position(session, org_id, position_id)
    if position is None:
        message = lazy_gettext("Job role not found.")
        raise NotFound(message, [FieldError(field, message)] if field else [])
    return position


def _check_position_title(
    session: Session, org_id: uuid.UUID, title: str, excluding: uuid.UUID | None = None
) -> None:
    if repository.position_title_taken(session, org_id, title, excluding=excluding):
        message = lazy_gettext("A job role with this title already exists.")
        raise Conflict(message, [FieldError("title", message)])


def create_position(
    session: Session, actor: Actor, org_id: uuid.UUID, data: PositionCreate
) -> Position:
    require_scope(actor, Scope.ORGS_WRITE)
    administered_organisation(session, actor, org_id)
    if data.department_id is not None:
        _department(session, org_id, data.department_id, field="department_id")
    _check_position_title(session, org_id, data.title)
    position = Position(
        org_id=org_id,
        department_id=data.department_id,
        title=data.title,
        description=data.description,
    )
    session.add(position)
    session.flush()
    return position


def update_position(
    session: Session, actor: Actor, org_id: uuid.UUID, position_id: uuid.UUID, data: PositionUpdate
) -> Position:
    require_scope(actor, Scope.ORGS_WRITE)
    administered_organisation(session, actor, org_id)
    position = _position(session, org_id, position_id)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("department_id") is not None:
        _department(session, org_id, changes["department_id"], field="department_id")
    if changes.get("title"):
        _check_position_title(session, org_id, changes["title"], excluding=position.id)
    elif "title" in changes:
        del changes["title"]
    for key, value in changes.items():
        setattr(position, key, value)
    session.flush()
    return position


def delete_position(
    session: Session, actor: Actor, org_id: uuid.UUID, position_id: uuid.UUID
) -> None:
    require_scope(actor, Scope.ORGS_WRITE)
    administered_organisation(session, actor, org_id)
    session.delete(_position(session, org_id, position_id))
    session.flush()


# --- memberships ---------------------------------------------------------------------


def _managed_departments(
    session: Session, org_id: uuid.UUID, person_id: uuid.UUID
) -> set[uuid.UUID]:
    """The departments a manager leads, with every department below them."""
    # Only the departments they manage: a learner membership elsewhere grants no oversight.
    roots = repository.member_departments(session, org_id, person_id, Role.MANAGER)
    children: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    for department in repository.list_departments(session, org_id):
        children.setdefault(department.parent_id, []).append(department.id)
    seen: set[uuid.UUID] = set()
    stack = list(roots)
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(children.get(current, []))
    return seen


def list_members(
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    params: PageParams,
    *,
    search: str | None = None,
) -> Paged[Membership]:
    """Administrators see everyone; a manager sees the people of the departments they lead."""
    require_scope(actor, Scope.PEOPLE_READ)
    visible_organisation(session, actor, org_id)
    if is_org_admin(actor, org_id):
        return repository.list_members(session, org_id, params, search=search)
    if Role.MANAGER in actor.roles_in(org_id):
        departments = _managed_departments(session, org_id, actor.person_id)
        return repository.list_members(
            session, org_id, params, department_ids=departments, search=search
        )
    raise PermissionDenied(
        lazy_gettext("Only administrators and managers can see the people of an organisation.")
    )


def count_people(session: Session, actor: Actor, org_id: uuid.UUID) -> int:
    """How many people belong to the organisation: a total any member may see."""
    require_scope(actor, Scope.ORGS_READ)
    visible_organisation(session, actor, org_id)
    return repository.count_people(session, org_id)


def get_membership(
    session: Session, actor: Actor, org_id: uuid.UUID, membership_id: uuid.UUID
) -> Membership:
    require_scope(actor, Scope.PEOPLE_READ)
    administered_organisation(session, actor, org_id)
    return _membership(session, org_id, membership_id)


def _membership(session: Session, org_id: uuid.UUID, membership_id: uuid.UUID) -> Membership:
    membership = repository.get_membership(session, org_id, membership_id)
    if membership is None:
        raise NotFound(lazy_gettext("Member not found."))
    return membership


def validate_assignment(
    session: Session,
    actor: Actor,
    org: Organisation,
    *,
    role: Role,
    department_id: uuid.UUID | None,
    position_id: uuid.UUID | None,
) -> None:
    """The role must suit the kind of organisation; department and job role must be its own."""
    if role not in allowed_roles(actor, org):
        message = lazy_gettext("This role cannot be given in this kind of organisation.")
        raise InvalidInput(message, [FieldError("role", message)])
    if department_id is not None:
        _department(session, org.id, department_id, field="department_id")
    if position_id is not None:
        _position(session, org.id, position_id, field="position_id")


def _keeps_an_admin(session: Session, membership: Membership, new_role: Role | None) -> bool:
    if membership.role not in ADMIN_ROLES or new_role in ADMIN_ROLES:
        return True
    return repository.count_members_with_roles(session, membership.org_id, ADMIN_ROLES) > 1


def update_membership(
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    membership_id: uuid.UUID,
    data: MembershipUpdate,
) -> Membership:
    require_scope(actor, Scope.PEOPLE_WRITE)
    org = administered_organisation(session, actor, org_id)
    membership = _membership(session, org_id, membership_id)
    changes = data.model_dump(exclude_unset=True)
    role = changes.get("role") or membership.role
    validate_assignment(
        session,
        actor,
        org,
        role=role,
        department_id=changes.get("department_id", membership.department_id),
        position_id=changes.get("position_id", membership.position_id),
    )
    if role != membership.role:
        if not _keeps_an_admin(session, membership, role):
            raise Conflict(lazy_gettext("An organisation must keep at least one administrator."))
        if repository.find_membership(session, org_id, membership.person_id, role) is not None:
            message = lazy_gettext("This person already holds that role here.")
            raise Conflict(message, [FieldError("role", message)])
    membership.role = role
    for key in ("department_id", "position_id"):
        if key in changes:
            setattr(membership, key, changes[key])
    session.flush()
    return membership


def remove_membership(
    session: Session, actor: Actor, org_id: uuid.UUID, membership_id: uuid.UUID
) -> None:
    require_scope(actor, Scope.PEOPLE_WRITE)
    administered_organisation(session, actor, org_id)
    membership = _membership(session, org_id, membership_id)
    if not _keeps_an_admin(session, membership, None):
        raise Conflict(lazy_gettext("An organisation must keep at least one administrator."))
    session.delete(membership)
    session.flush()
