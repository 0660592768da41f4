"""Skills named in a text and occupations meant by a job title, for tokens with
``taxonomy:read``. The answers are suggestions for a person to confirm; nothing is stored."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from cairn.api.problems import Problem
from cairn.api.v1.common import ERROR_RESPONSES
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.intelligence import service
from cairn.intelligence.linker import MAX_TEXT_CHARS
from cairn.intelligence.service import Suggestions
from cairn.taxonomy.schemas import FrameworkRef

MAX_TITLE_CHARS = 500
"""The service refuses longer titles; saying so here puts it in the OpenAPI document."""
DEFAULT_TITLE_TOP = 5

router = APIRouter(
    tags=["skill intelligence"],
    responses={
        **ERROR_RESPONSES,
        409: {
            "model": Problem,
            "content": {"application/problem+json": {}},
            "description": "The framework's embeddings have not been built for the configured "
            "model: `cairn skills index --framework slug@version` builds them.",
        },
    },
)

FrameworkName = Field(
    default=None,
    max_length=120,
    description="The framework to link to: its short name (newest version) or name@version, "
    "e.g. esco or esco@v1.2.0. ESCO when absent.",
)


class ExtractRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        min_length=1,
        max_length=MAX_TEXT_CHARS,
        description="Plain text: a job ad, course outcomes, a CV.",
    )
    framework: str | None = FrameworkName
    top: int = Field(
        default=service.DEFAULT_TOP, ge=1, le=service.MAX_TOP, description="At most this many."
    )


class MatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(
        min_length=1,
        max_length=MAX_TITLE_CHARS,
        description='A job title as written in a posting, e.g. "RN, night shift".',
    )
    framework: str | None = FrameworkName
    top: int = Field(
        default=DEFAULT_TITLE_TOP, ge=1, le=service.MAX_TOP, description="At most this many."
    )


class SuggestionRead(BaseModel):
    id: uuid.UUID = Field(description="The skill's (or occupation's) id in this API.")
    uri: str
    label: str = Field(description="Its preferred label.")
    score: float = Field(
        description="How well the words fit, higher is better (about 1.1 to 2.5); a ranking, "
        "not a probability."
    )
    quote: str = Field(description="The words of the text it was found in.")
    start: int = Field(description="Where the quote starts in the text (in characters).")
    end: int = Field(description="Where the quote ends in the text (exclusive).")
    matched_label: str = Field(
        description="The label or alternative label those words fit; the preferred label "
        "when equal."
    )


class SuggestionsRead(BaseModel):
    framework: FrameworkRef
    model: str = Field(description="The embedding model that ranked them.")
    results: list[SuggestionRead] = Field(description="Best first; suggestions to confirm.")


def _read(found: Suggestions) -> SuggestionsRead:
    return SuggestionsRead(
        framework=FrameworkRef(
            id=found.framework.id,
            slug=found.framework.slug,
            version=found.framework.version,
            title=found.framework.title,
        ),
        model=found.embedder,
        results=[
            SuggestionRead(
                id=item.concept_id,
                uri=item.uri,
                label=item.label,
                score=item.score,
                quote=item.quote,
                start=item.start,
                end=item.end,
                matched_label=item.matched_label,
            )
            for item in found.items
        ],
    )


@router.post(
    "/skills/extract",
    response_model=SuggestionsRead,
    summary="Find the skills a text names, best first, each with the words it was found in",
)
def extract_skills(data: ExtractRequest, session: DbSession, actor: ApiActor) -> SuggestionsRead:
    return _read(
        service.suggest_skills(
            session, actor, text=data.text, framework=data.framework, top=data.top
        )
    )


@router.post(
    "/occupations/match",
    response_model=SuggestionsRead,
    summary="Find the occupations a job title most likely means, using alternative titles",
)
def match_title(data: MatchRequest, session: DbSession, actor: ApiActor) -> SuggestionsRead:
    return _read(
        service.match_title(
            session, actor, title=data.title, framework=data.framework, top=data.top
        )
    )
