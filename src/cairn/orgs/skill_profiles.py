"""Skill profiles of job roles and departments: the skills a role needs, each with a target
level on its framework's scale and a weight. Started from an occupation (its essential
skills pre-filled) and then edited. Members read them; administrators change them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cairn.kit.actor import Actor, Scope, require_scope
from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext
from cairn.orgs import repository
from cairn.orgs import service as orgs_service
from cairn.orgs.models import SkillProfile, SkillProfileItem
from cairn.orgs.schemas import FromOccupation, SkillProfileItemWrite, SkillProfileWrite
from cairn.taxonomy import service as taxonomy_service
from cairn.taxonomy.models import Framework, Occupation, ProficiencyLevel, Skill

DEFAULT_WEIGHT = 3
ESSENTIAL_WEIGHT = 4


@dataclass(frozen=True)
class Target:
    """A job role or a department of one organisation: exactly one of the two ids."""

    org_id: uuid.UUID
    position_id: uuid.UUID | None = None
    department_id: uuid.UUID | None = None

    def __post_init__(self) -> None:
        if (self.position_id is None) == (self.department_id is None):
            raise ValueError("a skill profile belongs to a job role or a department")


@dataclass(frozen=True)
class ProfileLine:
    item: SkillProfileItem
    skill: Skill
    framework: Framework
    levels: list[ProficiencyLevel]

    @property
    def target_label(self) -> str | None:
        return next(
            (level.label for level in self.levels if level.rank == self.item.target_level), None
        )


@dataclass(frozen=True)
class ProfileView:
    profile: SkillProfile | None
    occupation: Occupation | None
    lines: list[ProfileLine]


def _check_target(session: Session, actor: Actor, target: Target, *, write: bool) -> None:
    """The target exists in an organisation the actor sees (404 otherwise) and, to write,
    administers (403)."""
    require_scope(actor, Scope.ORGS_WRITE if write else Scope.ORGS_READ)
    if target.position_id is not None:
        orgs_service.get_position(session, actor, target.org_id, target.position_id)
    elif target.department_id is not None:
        orgs_service.get_department(session, actor, target.org_id, target.department_id)
    if write:
        orgs_service.require_org_admin(session, actor, target.org_id)


def require_editor(session: Session, actor: Actor, target: Target) -> None:
    """For forms: refuse someone who may not edit before reading what they typed."""
    _check_target(session, actor, target, write=True)


def _profile(session: Session, target: Target) -> SkillProfile | None:
    return repository.get_skill_profile(
        session, position_id=target.position_id, department_id=target.department_id
    )


def _profile_for_writing(session: Session, target: Target) -> SkillProfile:
    profile = _profile(session, target)
    if profile is None:
        profile = SkillProfile(
            org_id=target.org_id,
            position_id=target.position_id,
            department_id=target.department_id,
        )
        session.add(profile)
        session.flush()
    return profile


def view(session: Session, actor: Actor, target: Target) -> ProfileView:
    _check_target(session, actor, target, write=False)
    profile = _profile(session, target)
    if profile is None:
        return ProfileView(None, None, [])
    lines: list[ProfileLine] = []
    frameworks: dict[uuid.UUID, Framework] = {}
    for item in repository.skill_profile_items(session, profile.id):
        skill = taxonomy_service.get_skill(session, actor.without_scopes(), item.skill_id)
        framework = frameworks.get(skill.framework_id) or taxonomy_service.get_framework(
            session, actor.without_scopes(), skill.framework_id
        )
        frameworks[framework.id] = framework
        levels = list(framework.scale.levels) if framework.scale else []
        lines.append(ProfileLine(item, skill, framework, levels))
    lines.sort(key=lambda line: (-line.item.weight, line.skill.preferred_label.lower()))
    occupation = (
        taxonomy_service.get_occupation(session, actor.without_scopes(), profile.occupation_id)
        if profile.occupation_id
        else None
    )
    return ProfileView(profile, occupation, lines)


def _checked_item(
    session: Session, actor: Actor, data: SkillProfileItemWrite, field: str
) -> SkillProfileItemWrite:
    skill = taxonomy_service.get_skill(session, actor.without_scopes(), data.skill_id)
    if skill.is_group:
        message = lazy_gettext(
            "%(label)s is a group of skills; choose a skill in it.", label=skill.preferred_label
        )
        raise InvalidInput(message, [FieldError(f"{field}skill_id", message)])
    framework = taxonomy_service.get_framework(session, actor.without_scopes(), skill.framework_id)
    ranks = [level.rank for level in framework.scale.levels] if framework.scale else []
    if ranks and data.target_level not in ranks:
        message = lazy_gettext(
            "Choose a level from %(low)s to %(high)s.", low=min(ranks), high=max(ranks)
        )
        raise InvalidInput(message, [FieldError(f"{field}target_level", message)])
    return data


def set_item(session: Session, actor: Actor, target: Target, data: SkillProfileItemWrite) -> None:
    """Add a skill to the profile, or change its level and weight."""
    _check_target(session, actor, target, write=True)
    _checked_item(session, actor, data, "")
    _put(session, _profile_for_writing(session, target), data)
    session.flush()


def _put(session: Session, profile: SkillProfile, data: SkillProfileItemWrite) -> None:
    item = repository.get_skill_profile_item(session, profile.id, data.skill_id)
    if item is None:
        session.add(
            SkillProfileItem(
                profile_id=profile.id,
                skill_id=data.skill_id,
                target_level=data.target_level,
                weight=data.weight,
            )
        )
    else:
        item.target_level, item.weight = data.target_level, data.weight


def remove_item(session: Session, actor: Actor, target: Target, skill_id: uuid.UUID) -> None:
    _check_target(session, actor, target, write=True)
    profile = _profile(session, target)
    item = repository.get_skill_profile_item(session, profile.id, skill_id) if profile else None
    if item is not None:
        session.delete(item)
        session.flush()


def _check_items(session: Session, actor: Actor, items: Sequence[SkillProfileItemWrite]) -> None:
    """Every item checked before any is written, so one refused leaves the profile as it was."""
    seen: set[uuid.UUID] = set()
    for index, item in enumerate(items):
        _checked_item(session, actor, item, f"items.{index}.")
        if item.skill_id in seen:
            message = lazy_gettext("This skill is listed twice.")
            raise InvalidInput(message, [FieldError(f"items.{index}.skill_id", message)])
        seen.add(item.skill_id)


def set_items(
    session: Session, actor: Actor, target: Target, items: Sequence[SkillProfileItemWrite]
) -> None:
    """Add several skills, or change their levels and weights, at once (skills suggested
    from a job description); skills not listed stay as they are."""
    _check_target(session, actor, target, write=True)
    _check_items(session, actor, items)
    profile = _profile_for_writing(session, target)
    for item in items:
        _put(session, profile, item)
    session.flush()


def replace(session: Session, actor: Actor, target: Target, data: SkillProfileWrite) -> None:
    """The whole profile at once (the API's PUT): all items checked before any is written."""
    _check_target(session, actor, target, write=True)
    _check_items(session, actor, data.items)
    profile = _profile_for_writing(session, target)
    wanted = {item.skill_id: item for item in data.items}
    for stored in repository.skill_profile_items(session, profile.id):
        if stored.skill_id not in wanted:
            session.delete(stored)
    session.flush()
    for data_item in data.items:
        _put(session, profile, data_item)
    session.flush()


def start_from_occupation(
    session: Session, actor: Actor, target: Target, data: FromOccupation
) -> int:
    """Pre-fill the occupation's essential skills; returns how many were added. Skills
    already in the profile keep their level and weight unless ``replace``."""
    _check_target(session, actor, target, write=True)
    reader = actor.without_scopes()
    if data.occupation_id is not None:
        occupation = taxonomy_service.get_occupation(session, reader, data.occupation_id)
    elif data.occupation_uri:
        occupation = taxonomy_service.occupation_by_uri(session, reader, data.occupation_uri)
    else:
        message = lazy_gettext("Choose an occupation.")
        raise InvalidInput(message, [FieldError("occupation_id", message)])
    view_of = taxonomy_service.occupation_view(session, reader, occupation.id)
    framework = view_of.framework
    ranks = [level.rank for level in framework.scale.levels] if framework.scale else [1, 2, 3, 4, 5]
    profile = _profile_for_writing(session, target)
    if data.replace:
        for item in repository.skill_profile_items(session, profile.id):
            session.delete(item)
        session.flush()
    profile.occupation_id = occupation.id
    existing = {item.skill_id for item in repository.skill_profile_items(session, profile.id)}
    added = 0
    for group in view_of.skill_groups:
        for skill, need in group.essential:
            if skill.id in existing:
                continue
            session.add(
                SkillProfileItem(
                    profile_id=profile.id,
                    skill_id=skill.id,
                    target_level=_target_level(need.level, ranks),
                    weight=_weight(need.importance),
                )
            )
            existing.add(skill.id)
            added += 1
    session.flush()
    return added


def _target_level(level: float | None, ranks: list[int]) -> int:
    """O*NET's level where given; else the middle of the scale ("competent" on 1-5)."""
    if level is not None:
        return min(max(round(level), min(ranks)), max(ranks))
    return ranks[len(ranks) // 2]


def _weight(importance: float | None) -> int:
    """O*NET importance is already 1-5; ESCO's "essential" counts as important (4)."""
    if importance is None:
        return ESSENTIAL_WEIGHT
    return min(max(round(importance), 1), 5)


def role_by_title(session: Session, actor: Actor, org_id: uuid.UUID, title: str) -> Target:
    """A job role named as people type it (any case), for the command line."""
    for position in orgs_service.list_positions(session, actor, org_id):
        if position.title.casefold() == title.strip().casefold():
            return Target(org_id, position_id=position.id)
    message = lazy_gettext("No job role is called %(title)s here.", title=title)
    raise InvalidInput(message, [FieldError("role", message)])
