"""Skill profiles of job roles and departments: what each needs, at which level."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from cairn.api.problems import Problem
from cairn.api.v1.common import ERROR_RESPONSES
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.intelligence import role_profiles
from cairn.intelligence import service as intelligence_service
from cairn.intelligence.linker import MAX_TEXT_CHARS
from cairn.intelligence.role_profiles import Cue
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
EMBEDDINGS_MISSING: dict[int | str, dict[str, object]] = {
    409: {
        "model": Problem,
        "content": {"application/problem+json": {}},
        "description": "The framework's embeddings have not been built for the configured "
        "model: `cairn skills index --framework slug@version` builds them.",
    }
}


class SuggestionsAsked(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        min_length=1,
        max_length=MAX_TEXT_CHARS,
        description="The job description or job ad, plain text.",
    )
    framework: str | None = Field(
        default=None,
        max_length=120,
        description="The framework to find skills of: its short name (newest version) or "
        "name@version, e.g. esco or esco@v1.2.0. ESCO when absent.",
    )
    top: int = Field(
        default=role_profiles.DEFAULT_TOP,
        ge=1,
        le=intelligence_service.MAX_TOP,
        description="At most this many skills.",
    )


class SkillSuggestionRead(BaseModel):
    skill_id: uuid.UUID
    uri: str
    label: str = Field(description="The skill's preferred label.")
    framework: str
    framework_version: str
    score: float = Field(
        description="How well the words fit, higher is better (about 1.1 to 2.5); a ranking, "
        "not a probability."
    )
    quote: str = Field(description="The words of the text it was found in.")
    start: int = Field(description="Where the quote starts in the text (in characters).")
    end: int = Field(description="Where the quote ends in the text (exclusive).")
    matched_label: str = Field(description="The label or alternative label those words fit.")
    target_level: int | None = Field(
        description="The proposed target level, a rank on the framework's scale; null when "
        "the framework has no scale."
    )
    target_label: str | None = Field(description="The proposed level's name on the scale.")
    cue: Cue | None = Field(
        description="The part of the scale the words around the skill point to; null when "
        "they say nothing of the level (the middle is proposed). English words only."
    )
    level_reason: str | None = Field(
        description='The words the level was read from, e.g. "extensive experience with".'
    )
    in_profile: bool = Field(description="Whether the profile lists the skill already.")
    current_level: int | None = Field(description="Its target level in the profile, if there.")


class SkillSuggestionsRead(BaseModel):
    """Skills a job description names, best first, each with a proposed target level.
    Nothing is stored. To keep some, read the profile (`GET .../skill-profile`), add or
    change the chosen items with their `skill_id` and a `target_level` (the proposed one or
    another) and put the whole profile back (`PUT .../skill-profile`)."""

    items: list[SkillSuggestionRead]


def suggestions_read(
    session: Session, actor: Actor, target: Target, data: SuggestionsAsked
) -> SkillSuggestionsRead:
    found = role_profiles.suggest_for_role(
        session, actor, target, text=data.text, framework=data.framework, top=data.top
    )
    return SkillSuggestionsRead(
        items=[
            SkillSuggestionRead(
                skill_id=item.skill_id,
                uri=item.uri,
                label=item.label,
                framework=item.framework.slug,
                framework_version=item.framework.version,
                score=item.score,
                quote=item.quote,
                start=item.start,
                end=item.end,
                matched_label=item.matched_label,
                target_level=item.level,
                target_label=item.level_label,
                cue=item.cue,
                level_reason=item.level_reason,
                in_profile=item.in_profile,
                current_level=item.current_level,
            )
            for item in found
        ]
    )


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


@router.post(
    "/positions/{position_id}/skill-profile/suggestions",
    response_model=SkillSuggestionsRead,
    responses=EMBEDDINGS_MISSING,
    summary="Suggest skills with target levels for a job role from its job description",
)
def position_profile_suggestions(
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    data: SuggestionsAsked,
    session: DbSession,
    actor: ApiActor,
) -> SkillSuggestionsRead:
    return suggestions_read(session, actor, Target(org_id, position_id=position_id), data)


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


@router.post(
    "/departments/{department_id}/skill-profile/suggestions",
    response_model=SkillSuggestionsRead,
    responses=EMBEDDINGS_MISSING,
    summary="Suggest skills with target levels for a department from a description of its work",
)
def department_profile_suggestions(
    org_id: uuid.UUID,
    department_id: uuid.UUID,
    data: SuggestionsAsked,
    session: DbSession,
    actor: ApiActor,
) -> SkillSuggestionsRead:
    return suggestions_read(session, actor, Target(org_id, department_id=department_id), data)
