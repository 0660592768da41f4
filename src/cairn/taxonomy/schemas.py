"""Read shapes of the taxonomy, as the API answers them: frameworks with their scale and
sizes, skills with their place in the hierarchy, occupations with what they need."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from cairn.taxonomy.enums import Relation, ReuseLevel, SkillType


class FrameworkRef(BaseModel):
    """Which published version a skill or an occupation belongs to."""

    id: uuid.UUID
    slug: str = Field(description="Names the framework across versions, e.g. esco.")
    version: str
    title: str


class FrameworkSizes(BaseModel):
    skills: int
    skill_groups: int
    occupations: int
    occupation_groups: int
    collections: int


class FrameworkCounts(FrameworkSizes):
    hierarchy_links: int
    skill_relations: int
    occupation_skills: int
    tasks: int


class FrameworkSummaryRead(FrameworkRef):
    publisher: str | None
    licence: str | None = Field(description="The licence, with the credit its publisher asks for.")
    source: str | None = Field(description="Where the data came from.")
    code_system: str | None = Field(description="The system of its occupation codes.")
    public: bool = Field(description="False for an organisation's own framework.")
    imported_at: datetime | None
    counts: FrameworkSizes


class ScaleLevelRead(BaseModel):
    rank: int
    label: str
    descriptor: str | None


class ScaleRead(BaseModel):
    slug: str
    name: str
    description: str | None
    levels: list[ScaleLevelRead]


class CollectionRead(BaseModel):
    id: uuid.UUID
    slug: str
    title: str


class SkillRef(BaseModel):
    id: uuid.UUID
    uri: str
    code: str | None
    preferred_label: str
    is_group: bool


class FrameworkRead(FrameworkSummaryRead):
    description: str | None
    counts: FrameworkCounts
    scale: ScaleRead | None = Field(description="The proficiency scale its levels use.")
    collections: list[CollectionRead]
    top_groups: list[SkillRef] = Field(description="The top of its skills hierarchy.")


class SkillSummaryRead(SkillRef):
    alt_labels: list[str]
    skill_type: SkillType | None
    reuse_level: ReuseLevel | None
    framework: FrameworkRef


class SkillSearchResults(BaseModel):
    """Best match first."""

    items: list[SkillSummaryRead]


class RelatedSkillRead(BaseModel):
    skill: SkillRef
    relation: Relation


class SkillLevelRead(BaseModel):
    rank: int
    label: str | None = Field(description="The level's name on the framework's scale.")
    descriptor: str | None = Field(description="What the level means on the scale in general.")
    skill_descriptor: str | None = Field(
        description="What the level looks like for this skill, where the framework says."
    )


class OccupationRef(BaseModel):
    id: uuid.UUID
    uri: str
    code: str | None
    preferred_label: str


class OccupationNeedRead(BaseModel):
    """An occupation that needs a skill: essential or optional (ESCO), or O*NET ratings."""

    occupation: OccupationRef
    relation: Relation | None
    importance: float | None = Field(description="O*NET importance, 1 to 5.")
    level: float | None = Field(description="O*NET level, 0 to 7.")


class CrosswalkEntryRead(BaseModel):
    crosswalk: str = Field(description="The crosswalk's short name.")
    title: str
    source_system: str
    source_code: str
    source_label: str | None
    target_system: str
    target_code: str
    target_label: str | None
    note: str | None


class SkillRead(SkillSummaryRead):
    description: str | None
    breadcrumb: list[SkillRef] = Field(description="From the top of the hierarchy down.")
    broader: list[SkillRef]
    narrower: list[SkillRef]
    related: list[RelatedSkillRead]
    collections: list[CollectionRead]
    levels: list[SkillLevelRead]
    occupations: list[OccupationNeedRead] = Field(description="Occupations that need it.")
    crosswalks: list[CrosswalkEntryRead]


class OccupationSummaryRead(OccupationRef):
    isco_code: str | None
    alt_labels: list[str]
    is_group: bool
    job_zone: int | None = Field(description="O*NET preparation, 1 (little) to 5 (extensive).")
    framework: FrameworkRef


class OccupationSearchResults(BaseModel):
    """Label matches first, then alternative titles."""

    items: list[OccupationSummaryRead]


class SkillNeedRead(BaseModel):
    skill: SkillRef
    relation: Relation | None
    importance: float | None = Field(description="O*NET importance, 1 to 5.")
    level: float | None = Field(description="O*NET level, 0 to 7.")


class SkillGroupRead(BaseModel):
    """The skills an occupation needs under one top-level group of the hierarchy."""

    group: str
    essential: list[SkillNeedRead]
    optional: list[SkillNeedRead]


class TaskRead(BaseModel):
    code: str
    text: str
    core: bool | None


class OccupationRead(OccupationSummaryRead):
    description: str | None
    broader: list[OccupationRef] = Field(description="From the top of the hierarchy down.")
    narrower: list[OccupationRef]
    skill_groups: list[SkillGroupRead]
    tasks: list[TaskRead] = Field(description="Core tasks first.")
    crosswalks: list[CrosswalkEntryRead]
