"""Reading a skills profile, sharing it, and measuring it against a role's skill profile.

Only the person sees their profile, unless they share it with their employers: then the
administrators and managers of the organisations they belong to see it too. Everyone else
(other organisations, platform administrators) gets a 404, as for any object they may not
see. Aggregates such as department heatmaps use everyone, with small cells suppressed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cairn.assessment.merge import MergedLevel, merge
from cairn.kit.actor import Actor, Role, Scope, require_person, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import NotFound
from cairn.kit.i18n import lazy_gettext
from cairn.orgs import repository as orgs_repository
from cairn.orgs import skill_profiles
from cairn.orgs.skill_profiles import Target
from cairn.profiles import repository
from cairn.profiles.models import ProfileSharing
from cairn.taxonomy import repository as taxonomy_repository
from cairn.taxonomy.models import Framework, Skill

EMPLOYER_ROLES = frozenset({Role.HR_ADMIN, Role.MANAGER, Role.PLATFORM_ADMIN})
"""Roles that see a shared profile, within the person's own organisations only."""


def can_read(session: Session, actor: Actor, person_id: uuid.UUID) -> bool:
    if actor.person_id == person_id and not actor.system:
        return True
    sharing = repository.sharing_of(session, person_id)
    if sharing is None or not sharing.with_employers:
        return False
    return any(
        actor.has_any_role(org.id, EMPLOYER_ROLES)
        for _, org in orgs_repository.memberships_of_person(session, person_id)
    )


@dataclass(frozen=True)
class ProfileLine:
    skill: Skill
    framework: Framework
    merged: MergedLevel

    @property
    def level_label(self) -> str | None:
        levels = self.framework.scale.levels if self.framework.scale else []
        return next((level.label for level in levels if level.rank == self.merged.level), None)


def profile(session: Session, actor: Actor, person_id: uuid.UUID) -> list[ProfileLine]:
    """One line per skill with evidence, strongest claims explained, by skill label."""
    require_scope(actor, Scope.PROFILE_READ)
    if not can_read(session, actor, person_id):
        raise NotFound(lazy_gettext("Profile not found."))
    merged = merge(repository.evidence_of(session, person_id), utcnow())
    skills = taxonomy_repository.skills_by_ids(session, merged)
    frameworks = taxonomy_repository.frameworks_by_ids(
        session, {skill.framework_id for skill in skills.values()}
    )
    lines = [
        ProfileLine(skills[skill_id], frameworks[skills[skill_id].framework_id], level)
        for skill_id, level in merged.items()
    ]
    return sorted(lines, key=lambda line: line.skill.preferred_label.lower())


def is_shared(session: Session, actor: Actor) -> bool:
    sharing = repository.sharing_of(session, actor.person_id)
    return sharing is not None and sharing.with_employers


def set_sharing(session: Session, actor: Actor, *, with_employers: bool) -> ProfileSharing:
    require_person(actor)
    require_scope(actor, Scope.PROFILE_WRITE)
    sharing = repository.sharing_of(session, actor.person_id)
    if sharing is None:
        sharing = ProfileSharing(person_id=actor.person_id)
        session.add(sharing)
    sharing.with_employers = with_employers
    session.flush()
    return sharing


@dataclass(frozen=True)
class Gap:
    skill: Skill
    target: int
    weight: int
    current: int | None
    """None when there is no evidence at all for the skill."""

    @property
    def shortfall(self) -> int:
        """How many levels below target; a skill with no evidence counts from zero."""
        return max(0, self.target - (self.current or 0))


def gaps(session: Session, actor: Actor, person_id: uuid.UUID, target: Target) -> list[Gap]:
    """The role's skills with the person's current level, biggest weighted shortfall first."""
    lines = {line.skill.id: line for line in profile(session, actor, person_id)}
    role = skill_profiles.view(session, actor.without_scopes(), target)
    found = [
        Gap(
            skill=line.skill,
            target=line.item.target_level,
            weight=line.item.weight,
            current=lines[line.skill.id].merged.level if line.skill.id in lines else None,
        )
        for line in role.lines
    ]
    return sorted(found, key=lambda gap: (-gap.shortfall * gap.weight, gap.skill.preferred_label))
