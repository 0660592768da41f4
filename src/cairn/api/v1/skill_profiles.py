"""Skill profiles of job roles and departments: what each needs, at which level."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from sqlalchemy.orm import Session

from cairn.api.v1.common import ERROR_RESPONSES
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.kit.actor import Actor
from cairn.orgs import skill_profiles
from cairn.orgs.schemas import (
    FromOccupation,
    SkillProfileItemRead,
    SkillProfileRead,
    SkillProfileWrite,
)
from cairn.orgs.skill_profiles import Target

router = APIRouter(prefix="/orgs/{org_id}", tags=["skill profiles"], responses=ERROR_RESPONSES)


def profile_read(session: Session, actor: Actor, target: Target) -> SkillProfileRead:
    view = skill_profiles.view(session, actor, target)
    return SkillProfileRead(
        occupation_id=view.occupation.id if view.occupation else None,
        occupation_label=view.occupation.preferred_label if view.occupation else None,
        items=[
            SkillProfileItemRead(
                skill_id=line.skill.id,
                uri=line.skill.uri,
                label=line.skill.preferred_label,
                framework=line.framework.slug,
                framework_version=line.framework.version,
                target_level=line.item.target_level,
                target_label=line.target_label,
                weight=line.item.weight,
            )
            for line in view.lines
        ],
    )


@router.get(
    "/positions/{position_id}/skill-profile",
    response_model=SkillProfileRead,
    summary="Read a job role's skill profile",
)
def read_position_profile(
    org_id: uuid.UUID, position_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> SkillProfileRead:
    return profile_read(session, actor, Target(org_id, position_id=position_id))


@router.put(
    "/positions/{position_id}/skill-profile",
    response_model=SkillProfileRead,
    summary="Replace a job role's skill profile",
)
def replace_position_profile(
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    data: SkillProfileWrite,
    session: DbSession,
    actor: ApiActor,
) -> SkillProfileRead:
    target = Target(org_id, position_id=position_id)
    skill_profiles.replace(session, actor, target, data)
    return profile_read(session, actor, target)


@router.post(
    "/positions/{position_id}/skill-profile/from-occupation",
    response_model=SkillProfileRead,
    summary="Add an occupation's essential skills to a job role's profile",
)
def position_profile_from_occupation(
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    data: FromOccupation,
    session: DbSession,
    actor: ApiActor,
) -> SkillProfileRead:
    target = Target(org_id, position_id=position_id)
    skill_profiles.start_from_occupation(session, actor, target, data)
    return profile_read(session, actor, target)


@router.get(
    "/departments/{department_id}/skill-profile",
    response_model=SkillProfileRead,
    summary="Read a department's skill profile",
)
def read_department_profile(
    org_id: uuid.UUID, department_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> SkillProfileRead:
    return profile_read(session, actor, Target(org_id, department_id=department_id))


@router.put(
    "/departments/{department_id}/skill-profile",
    response_model=SkillProfileRead,
    summary="Replace a department's skill profile",
)
def replace_department_profile(
    org_id: uuid.UUID,
    department_id: uuid.UUID,
    data: SkillProfileWrite,
    session: DbSession,
    actor: ApiActor,
) -> SkillProfileRead:
    target = Target(org_id, department_id=department_id)
    skill_profiles.replace(session, actor, target, data)
    return profile_read(session, actor, target)


@router.post(
    "/departments/{department_id}/skill-profile/from-occupation",
    response_model=SkillProfileRead,
    summary="Add an occupation's essential skills to a department's profile",
)
def department_profile_from_occupation(
    org_id: uuid.UUID,
    department_id: uuid.UUID,
    data: FromOccupation,
    session: DbSession,
    actor: ApiActor,
) -> SkillProfileRead:
    target = Target(org_id, department_id=department_id)
    skill_profiles.start_from_occupation(session, actor, target, data)
    return profile_read(session, actor, target)
