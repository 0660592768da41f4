"""Input and read shapes of skills demand, shared by the API, the pages and the CLI.

A posting sent in a JSON body is checked row by row like a line of a file (by
``demand_import``), so that every bad posting is reported at once with its position; the
schema only bounds the envelope."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MAX_POSTINGS = 100_000
"""Postings in one batch: a year of a province's job board fits; more is split by source."""

Source = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
FrameworkName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)
]


class Period(StrEnum):
    """How postings are counted over time."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class PostingBatchCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: Source
    """Where the postings come from, in words: "Job Bank, Ontario, 2026 Q3"."""
    framework: FrameworkName | None = None
    """The framework to link to, as ``esco`` or ``esco@v1.2.0``; ESCO when absent."""
    org_id: uuid.UUID | None = None
    """The program authority importing; absent for the platform's own (administrators)."""
    postings: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_POSTINGS)
    """Each with ``title``, ``text``, ``date`` (YYYY-MM-DD) and optionally ``region``,
    ``id`` and ``skills`` (a list of skill URIs, codes or labels)."""


class PostingBatchRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    org_id: uuid.UUID | None
    source: str
    filename: str | None
    framework_id: uuid.UUID
    linker: str
    postings: int
    mentions: int
    imported_at: datetime


class SkillDemandRead(BaseModel):
    """One skill's three demand signals, kept apart rather than blended into a score."""

    skill_id: uuid.UUID
    skill_uri: str
    skill_label: str
    framework_id: uuid.UUID
    postings: int
    """Postings naming it, within the filters."""
    by_period: dict[str, int]
    by_region: dict[str, int]
    """Postings by region; ``""`` for postings without one."""
    needs: int
    """Open or agreed employer needs naming it."""
    needed_headcount: int
    """Those needs weighted by headcount (a need without one counts once)."""
    role_profiles: int
    """Employers' job-role skill profiles requiring it."""


class DemandRead(BaseModel):
    period: Period
    periods: list[str]
    region: str | None
    since: date | None
    postings_total: int
    """Postings within the filters, whatever their skills: the denominator of shares."""
    skills: list[SkillDemandRead]


class OutcomeDemandRead(BaseModel):
    position: int
    statement: str
    skill_id: uuid.UUID | None
    skill_label: str | None
    postings: int
    needs: int
    needed_headcount: int
    role_profiles: int
    in_demand: bool


class CoverageRead(BaseModel):
    version_id: uuid.UUID
    region: str | None
    since: date
    postings_total: int
    outcomes_in_demand: int
    outcomes: int
    share: float | None
    """Outcomes in demand over all outcomes; None when the version has none."""
    details: list[OutcomeDemandRead]
