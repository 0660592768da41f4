"""Who is acting: the identity every service call receives, from a session, a token or the CLI."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from cairn.kit.errors import InsufficientScope, PermissionDenied
from cairn.kit.i18n import lazy_gettext


class Role(StrEnum):
    LEARNER = "learner"
    MANAGER = "manager"
    HR_ADMIN = "hr_admin"
    EDUCATOR = "educator"
    ISSUER_ADMIN = "issuer_admin"
    PROGRAM_ADMIN = "program_admin"
    PLATFORM_ADMIN = "platform_admin"


class Scope(StrEnum):
    """What an API token may do; a web session or the CLI is not limited by scopes."""

    ORGS_READ = "orgs:read"
    ORGS_WRITE = "orgs:write"
    PEOPLE_READ = "people:read"
    PEOPLE_WRITE = "people:write"
    PROFILE_READ = "profile:read"
    PROFILE_WRITE = "profile:write"
    TAXONOMY_READ = "taxonomy:read"
    ASSESSMENT_READ = "assessment:read"
    ASSESSMENT_WRITE = "assessment:write"
    CATALOGUE_READ = "catalogue:read"
    CATALOGUE_WRITE = "catalogue:write"
    ACCOUNTS_READ = "accounts:read"
    """Read learning-account programs, balances, statements and quotes."""
    ACCOUNTS_WRITE = "accounts:write"
    """Join programs, enrol and pay with credit; run programs as their administrator."""
    PATHWAYS_READ = "pathways:read"
    PATHWAYS_WRITE = "pathways:write"
    CREDENTIALS_ISSUE = "credentials:issue"
    """Issue credentials through the W3C VC API and change their status, as a registrar."""


@dataclass(frozen=True)
class Actor:
    person_id: uuid.UUID
    email: str
    memberships: frozenset[tuple[uuid.UUID, Role]] = field(default_factory=frozenset)
    scopes: frozenset[Scope] | None = None
    """None for a web session or the CLI; the granted scopes for an API token."""
    system: bool = False
    """The operator at the command line: whoever can reach the database runs the platform."""

    @classmethod
    def operator(cls) -> Actor:
        return cls(person_id=uuid.UUID(int=0), email="operator@localhost", system=True)

    @property
    def is_platform_admin(self) -> bool:
        return self.system or any(role is Role.PLATFORM_ADMIN for _, role in self.memberships)

    @property
    def org_ids(self) -> frozenset[uuid.UUID]:
        return frozenset(org_id for org_id, _ in self.memberships)

    def roles_in(self, org_id: uuid.UUID) -> frozenset[Role]:
        return frozenset(role for member_org, role in self.memberships if member_org == org_id)

    def has_any_role(self, org_id: uuid.UUID, roles: Iterable[Role]) -> bool:
        return bool(self.roles_in(org_id) & frozenset(roles))

    def without_scopes(self) -> Actor:
        """The same person and roles with no token limits: for reading what a permitted
        object embeds (a role profile's skills), never for acting on the caller's behalf."""
        return replace(self, scopes=None)

    def allows(self, scope: Scope) -> bool:
        return self.scopes is None or scope in self.scopes


def require_person(actor: Actor) -> None:
    """Some things belong to a person (tokens, equity answers); the operator is nobody."""
    if actor.system:
        raise PermissionDenied(
            lazy_gettext("Only a person can do this; the command-line operator cannot.")
        )


def require_scope(actor: Actor, scope: Scope) -> None:
    if not actor.allows(scope):
        raise InsufficientScope(
            lazy_gettext("This API token lacks the %(scope)s scope.", scope=scope.value)
        )
