"""Skills suggested from the caller's CV, and those they confirm added to their own profile
as self-reported. The CV's text is read for the answer and never stored."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from pydantic import BaseModel, Field

from cairn.api.v1.common import ERROR_RESPONSES
from cairn.api.v1.ratings import RatingRead, rating_read
from cairn.assessment.enums import EvidenceSource
from cairn.assessment.rating_schemas import MAX_SKILLS
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.kit.i18n import gettext
from cairn.profiles import cv_suggestions

router = APIRouter(prefix="/me", tags=["me"], responses=ERROR_RESPONSES)


class CvSuggestionsAsk(BaseModel):
    text: str = Field(description="The CV as plain text. Read for the answer, never stored.")
    framework: str | None = Field(
        default=None, description="The framework to link to: esco (the default) or slug@version."
    )
    top: int = Field(default=cv_suggestions.DEFAULT_TOP, description="At most this many skills.")


class LevelRead(BaseModel):
    rank: int
    label: str | None


class CurrentLevelRead(BaseModel):
    level: int
    source: EvidenceSource


class CvSuggestionRead(BaseModel):
    skill_id: uuid.UUID
    uri: str
    label: str
    score: float = Field(description="About 1.1 to 2.5, higher is better; not a probability.")
    quote: str = Field(description="The words of the text the skill was found in.")
    start: int
    end: int
    matched_label: str = Field(description="The label or alternative label the words fit.")
    has_evidence: bool = Field(description="Whether your profile already holds the skill.")
    current: CurrentLevelRead | None = Field(description="Your profile's level, if any.")
    levels: list[LevelRead] = Field(description="The levels to claim, lowest first.")
    default_level: int = Field(description="Your current level, else the lowest.")


class CvFrameworkRead(BaseModel):
    slug: str
    version: str


class CvSuggestionsRead(BaseModel):
    framework: CvFrameworkRead
    model: str
    items: list[CvSuggestionRead]


class SkillClaim(BaseModel):
    skill_id: uuid.UUID
    level: int | None = Field(
        default=None, description="A rank of the skill's scale; the lowest when left out."
    )


class SkillClaims(BaseModel):
    items: list[SkillClaim] = Field(max_length=MAX_SKILLS)


@router.post(
    "/skills/suggestions",
    response_model=CvSuggestionsRead,
    summary="Suggest skills for my profile from my CV (nothing is stored)",
    description="Needs the assessment:read scope, like self-assessment. Suggestions only: "
    "claim the ones that are yours with POST /me/skills/claims.",
)
def suggest_from_cv(
    data: CvSuggestionsAsk, session: DbSession, actor: ApiActor
) -> CvSuggestionsRead:
    found = cv_suggestions.suggest_from_cv(
        session, actor, text=data.text, framework=data.framework, top=data.top
    )
    return CvSuggestionsRead(
        framework=CvFrameworkRead(slug=found.framework.slug, version=found.framework.version),
        model=found.embedder,
        items=[
            CvSuggestionRead(
                skill_id=item.skill.id,
                uri=item.skill.uri,
                label=item.skill.preferred_label,
                score=item.score,
                quote=item.quote,
                start=item.start,
                end=item.end,
                matched_label=item.matched_label,
                has_evidence=item.has_evidence,
                current=CurrentLevelRead(level=item.current.level, source=item.current.source)
                if item.current
                else None,
                levels=[LevelRead(rank=level.rank, label=level.label) for level in item.levels],
                default_level=item.default_level,
            )
            for item in found.items
        ],
    )


@router.post(
    "/skills/claims",
    response_model=list[RatingRead],
    status_code=201,
    summary="Add skills to my profile as self-reported",
    description="Needs the assessment:write scope. Each skill is recorded as your own "
    "self-assessment, marked as coming from your CV; one refused item refuses them all.",
)
def claim_skills(data: SkillClaims, session: DbSession, actor: ApiActor) -> list[RatingRead]:
    evidence = cv_suggestions.claim_skills(
        session,
        actor,
        [(item.skill_id, item.level) for item in data.items],
        source_note=gettext("From my CV"),
    )
    return [rating_read(e) for e in evidence]
