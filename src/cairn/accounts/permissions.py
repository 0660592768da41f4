"""Who may run a learning-account program: its organisation's program administrators, and
for an employer's program its HR administrators too. Programs of other organisations do not
exist for anyone else (404); inside the organisation a missing role is a 403."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from cairn.accounts import repository as repo
from cairn.accounts.models import Program
from cairn.kit.actor import Actor, Role
from cairn.kit.errors import NotFound, PermissionDenied
from cairn.kit.i18n import lazy_gettext

ADMIN_ROLES: frozenset[Role] = frozenset({Role.PROGRAM_ADMIN, Role.HR_ADMIN})
"""HR administrators exist only in employers, so holding it in the program's organisation
means the program is their employer's."""


def can_administer(actor: Actor, org_id: uuid.UUID) -> bool:
    return actor.is_platform_admin or actor.has_any_role(org_id, ADMIN_ROLES)


def require_program_admin(actor: Actor, org_id: uuid.UUID) -> None:
    """Other organisations are invisible; inside one, the role is needed."""
    if not (actor.is_platform_admin or org_id in actor.org_ids):
        raise NotFound(lazy_gettext("Organisation not found."))
    if not can_administer(actor, org_id):
        raise PermissionDenied(
            lazy_gettext("Only the program administrators of this organisation can do that.")
        )


def administered_program(
    session: Session, actor: Actor, program_id: uuid.UUID, *, lock: bool = False
) -> Program:
    program = repo.get_program(session, program_id, lock=lock)
    if program is None or not (actor.is_platform_admin or program.org_id in actor.org_ids):
        raise NotFound(lazy_gettext("Program not found."))
    require_program_admin(actor, program.org_id)
    return program
