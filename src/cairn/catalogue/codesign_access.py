"""Who sees a skills need and who speaks on its thread (decision 0025).

A need is read by the posting organisation's administrators, by the educators and
registrars of the training providers it reaches (the members of its network, or every
provider when it has none) or that have proposed to it, and by the staff of its network's
members. Learners never see needs. Anyone else is told it does not exist."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cairn.catalogue import codesign_repository as repo
from cairn.catalogue import network_repository
from cairn.catalogue.codesign_models import SkillsNeed
from cairn.catalogue.service import DESIGNERS
from cairn.kit.actor import Actor, Role, Scope, require_scope
from cairn.kit.errors import NotFound
from cairn.kit.i18n import lazy_gettext
from cairn.orgs import repository as orgs_repository
from cairn.orgs.enums import OrgKind
from cairn.orgs.permissions import ADMIN_ROLES


@dataclass(frozen=True)
class Viewer:
    """The actor's standing toward needs, worked out once per request."""

    actor: Actor
    admin_of: frozenset[uuid.UUID]
    """Organisations the actor administers: it manages their needs."""
    designs_for: frozenset[uuid.UUID]
    """Training providers the actor designs for: it proposes and speaks for them."""
    networks_of: dict[uuid.UUID, frozenset[uuid.UUID]]
    """For each organisation where the actor is staff (any role but learner), its networks."""

    @property
    def everything(self) -> bool:
        return self.actor.is_platform_admin

    @property
    def networks(self) -> frozenset[uuid.UUID]:
        return frozenset[uuid.UUID]().union(*self.networks_of.values())

    def sees(self, need: SkillsNeed, proposing: Collection[uuid.UUID]) -> bool:
        return (
            self.everything
            or need.org_id in self.admin_of
            or (need.network_id is None and bool(self.designs_for))
            or need.network_id in self.networks
            or not self.designs_for.isdisjoint(proposing)
        )

    def owns(self, need: SkillsNeed) -> bool:
        return self.everything or need.org_id in self.admin_of

    def reaches(self, need: SkillsNeed, provider_id: uuid.UUID) -> bool:
        """Whether the need is shared with this provider."""
        return need.network_id is None or need.network_id in self.networks_of.get(
            provider_id, frozenset()
        )

    def can_propose_for(self, need: SkillsNeed) -> list[uuid.UUID]:
        return sorted(org for org in self.designs_for if self.reaches(need, org))

    def sides(self, need: SkillsNeed, proposing: Collection[uuid.UUID]) -> list[uuid.UUID]:
        """The organisations the actor may speak for on the thread: the owner first."""
        providers = sorted(
            org for org in self.designs_for if self.reaches(need, org) or org in proposing
        )
        return [need.org_id, *providers] if self.owns(need) else providers


def viewer(session: Session, actor: Actor) -> Viewer:
    orgs = orgs_repository.organisations_by_ids(session, list(actor.org_ids))
    staff = [org_id for org_id in actor.org_ids if actor.roles_in(org_id) - {Role.LEARNER}]
    return Viewer(
        actor=actor,
        admin_of=frozenset(o for o in actor.org_ids if actor.has_any_role(o, ADMIN_ROLES)),
        designs_for=frozenset(
            org.id
            for org in orgs.values()
            if org.kind is OrgKind.PROVIDER and actor.has_any_role(org.id, DESIGNERS)
        ),
        networks_of=network_repository.memberships_of(session, staff) if staff else {},
    )


@dataclass(frozen=True)
class Seen:
    """A need the actor may read, with the actor's standing and the providers that proposed."""

    need: SkillsNeed
    viewer: Viewer
    proposing: frozenset[uuid.UUID]

    @property
    def owns(self) -> bool:
        return self.viewer.owns(self.need)

    @property
    def sides(self) -> list[uuid.UUID]:
        return self.viewer.sides(self.need, self.proposing)


def seen_need(
    session: Session, actor: Actor, need_id: uuid.UUID, *, write: bool = False, lock: bool = False
) -> Seen:
    require_scope(actor, Scope.CATALOGUE_WRITE if write else Scope.CATALOGUE_READ)
    need = repo.need_for_update(session, need_id) if lock else repo.get_need(session, need_id)
    if need is None:
        raise NotFound(lazy_gettext("Skills need not found."))
    who = viewer(session, actor)
    proposing = repo.proposing_org_ids(session, need.id)
    if not who.sees(need, proposing):
        raise NotFound(lazy_gettext("Skills need not found."))
    return Seen(need, who, proposing)
