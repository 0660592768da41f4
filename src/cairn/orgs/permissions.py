"""Who may see and change what inside an organisation.

Outside your organisations nothing exists (404); inside, a missing role is a 403. Platform
administrators see every organisation. API tokens are further limited by their scopes.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from cairn.kit.actor import Actor, Role
from cairn.kit.errors import NotFound, PermissionDenied
from cairn.kit.i18n import lazy_gettext
from cairn.orgs import repository
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Organisation

ADMIN_ROLES: frozenset[Role] = frozenset({Role.HR_ADMIN, Role.ISSUER_ADMIN, Role.PROGRAM_ADMIN})
"""Roles that administer their organisation's structure, people and invitations."""

ROLES_BY_KIND: dict[OrgKind, tuple[Role, ...]] = {
    OrgKind.EMPLOYER: (Role.LEARNER, Role.MANAGER, Role.HR_ADMIN),
    OrgKind.PROVIDER: (Role.LEARNER, Role.EDUCATOR, Role.ISSUER_ADMIN, Role.MANAGER),
    OrgKind.PROGRAM_AUTHORITY: (Role.PROGRAM_ADMIN, Role.MANAGER, Role.LEARNER),
    OrgKind.COMMUNITY: (Role.LEARNER, Role.MANAGER, Role.PROGRAM_ADMIN),
}
"""The roles that make sense in each kind of organisation. ``platform_admin`` may be held
in any organisation but only a platform administrator can grant it."""


def visible_organisation(session: Session, actor: Actor, org_id: uuid.UUID) -> Organisation:
    org = repository.get_organisation(session, org_id)
    if org is None or not (actor.is_platform_admin or org_id in actor.org_ids):
        raise NotFound(lazy_gettext("Organisation not found."))
    return org


def is_org_admin(actor: Actor, org_id: uuid.UUID) -> bool:
    return actor.is_platform_admin or actor.has_any_role(org_id, ADMIN_ROLES)


def administered_organisation(session: Session, actor: Actor, org_id: uuid.UUID) -> Organisation:
    org = visible_organisation(session, actor, org_id)
    if not is_org_admin(actor, org_id):
        raise PermissionDenied(
            lazy_gettext("Only an administrator of this organisation can do that.")
        )
    return org


def allowed_roles(actor: Actor, org: Organisation) -> tuple[Role, ...]:
    """Roles ``actor`` may grant in ``org``."""
    roles = ROLES_BY_KIND[org.kind]
    return (*roles, Role.PLATFORM_ADMIN) if actor.is_platform_admin else roles
