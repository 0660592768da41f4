"""Input shapes of a specification, shared by the API, the pages and the CLI."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from cairn.catalogue.enums import (
    AssessmentType,
    IdentityCheck,
    Participation,
    Profile,
    VersionStatus,
)
from cairn.kit.validation import ENDS_BEFORE_STARTS
from cairn.taxonomy.schemas import FrameworkRef, ScaleLevelRead

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
Country = Annotated[str, StringConstraints(to_upper=True, pattern=r"^[A-Za-z]{2}$")]
Currency = Annotated[str, StringConstraints(to_upper=True, pattern=r"^[A-Za-z]{3}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]


class OutcomeWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    statement: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
    ]
    skill_id: uuid.UUID | None = None
    level: int | None = Field(default=None, ge=1, le=20)


class SpecificationFields(BaseModel):
    """Every element an issuer edits on a draft; absent fields are left as they are."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    summary: Text | None = None
    profile: Profile | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")] | None = None
    country: Country | None = None
    region: Short | None = None
    workload_hours: float | None = Field(default=None, gt=0, le=10_000)
    ects: float | None = Field(default=None, gt=0, le=60)
    eqf_level: int | None = Field(default=None, ge=1, le=8)
    national_level: Short | None = None
    assessment_type: AssessmentType | None = None
    summative: bool | None = None
    participation: Participation | None = None
    quality_assurance: Text | None = None
    prerequisites: Text | None = None
    identity_check: IdentityCheck | None = None
    grading_scheme: Text | None = None
    stackability: Text | None = None
    transcriptable: bool | None = None
    price_minor: int | None = Field(default=None, ge=0)
    currency: Currency | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    accessibility: Text | None = None
    outcomes: list[OutcomeWrite] | None = Field(default=None, max_length=50)
    co_issuer_ids: list[uuid.UUID] | None = Field(default=None, max_length=10)

    @field_validator("ends_on")
    @classmethod
    def _dates_in_order(cls, ends_on: date | None, info: ValidationInfo) -> date | None:
        starts_on = info.data.get("starts_on")
        if starts_on and ends_on and ends_on < starts_on:
            raise ValueError(ENDS_BEFORE_STARTS)
        return ends_on


class SpecificationCreate(SpecificationFields):
    slug: Slug
    title: Title
    profile: Profile
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")]


MAX_CLAUSES = 20
"""Prerequisite clauses a version may state, and specifications a clause may name."""


class PrerequisitesWrite(BaseModel):
    """A version's structured prerequisites, replacing those it has."""

    model_config = ConfigDict(extra="forbid")

    clauses: list[Annotated[list[uuid.UUID], Field(max_length=MAX_CLAUSES)]] = Field(
        max_length=MAX_CLAUSES,
        description="Every clause must be met; a clause is met by holding any one of its "
        "specifications (ids of specifications, not versions: any version counts). An empty "
        "list removes them all.",
    )


class OutcomeRead(BaseModel):
    position: int
    statement: str
    skill_id: uuid.UUID | None
    level: int | None


class FindingRead(BaseModel):
    element: str
    label: str
    passed: bool
    missing: str | None
    """What to add, when it does not pass."""


class ProfileCheckRead(BaseModel):
    profile: Profile
    passed: bool
    findings: list[FindingRead]


class SpecificationRead(BaseModel):
    """One version of a specification with its profile check."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    """The version's id: what credentials and endorsements point at."""
    specification_id: uuid.UUID
    slug: str
    owner_org_id: uuid.UUID
    number: int
    status: VersionStatus
    profile: Profile
    title: str
    summary: str | None
    language: str
    country: str | None
    region: str | None
    workload_hours: float | None
    ects: float | None
    eqf_level: int | None
    national_level: str | None
    assessment_type: AssessmentType | None
    summative: bool
    participation: Participation | None
    quality_assurance: str | None
    prerequisites: str | None
    identity_check: IdentityCheck | None
    grading_scheme: str | None
    stackability: str | None
    transcriptable: bool
    price_minor: int | None
    currency: str | None
    starts_on: date | None
    ends_on: date | None
    accessibility: str | None
    published_at: datetime | None
    issuers: list[str]
    endorsed_by: list[str]
    outcomes: list[OutcomeRead]
    prerequisite_clauses: list[list[uuid.UUID]] = Field(
        description="Specifications to hold before starting: every clause must be met, by "
        "any one of its specifications (under any of their versions). ``prerequisites`` "
        "says the same, and perhaps more, in words."
    )
    check: ProfileCheckRead


class EndorsementWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    org_id: uuid.UUID = Field(description="The endorsing organisation; you administer it.")
    statement: Text | None = None


class SkillSuggestionRead(BaseModel):
    """A skill an outcome's words name: a suggestion for a person to confirm."""

    skill_id: uuid.UUID
    uri: str
    label: str
    score: float = Field(description="About 1.1 to 2.5, higher is better; not a probability.")
    quote: str = Field(description="The words of the outcome the skill was found in.")
    start: int = Field(description="Where the quote starts in the outcome's statement.")
    end: int
    matched_label: str = Field(description="The label or alternative label the words fit.")


class OutcomeSuggestionsRead(BaseModel):
    position: int
    statement: str
    skill_id: uuid.UUID | None = Field(description="The skill it is aligned to now, if any.")
    level: int | None
    suggestions: list[SkillSuggestionRead] = Field(description="Best first.")


class AlignmentSuggestionsRead(BaseModel):
    """Skills suggested for each outcome of a draft. To keep some, send the outcomes with
    their ``skill_id`` and ``level`` to ``PATCH /api/v1/specifications/{version_id}``."""

    version_id: uuid.UUID
    framework: FrameworkRef = Field(description="Where the suggested skills come from.")
    levels: list[ScaleLevelRead] = Field(description="The framework's scale, for ``level``.")
    outcomes: list[OutcomeSuggestionsRead]
