"""Shapes of feedback surveys: an answer as sent, a survey and its results as read.

Ratings are plain integers here: the service checks them against the five-point scale
so that every face (API, pages, command line) refuses a 0 or a 6 with the same sentence
naming the question."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from cairn.catalogue.enums import JobOutcome, SurveyKind, VersionStatus

Comment = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class SurveyAnswer(BaseModel):
    """The answers to one survey; only the questions of its kind may be answered."""

    model_config = ConfigDict(extra="forbid")

    relevance: int | None = None
    """Learner, at completion and six months later: 1 (not at all) to 5 (completely)."""
    quality: int | None = None
    """Learner, at completion: the teaching and the assessment, 1 to 5."""
    employer_may_be_asked: bool | None = None
    """Learner, at completion: consent to ask their employer about their skills."""
    job_outcome: JobOutcome | None = None
    """Learner, six months later: what changed at work."""
    had_skills: int | None = None
    """Employer: did the holder have the skills the credential says? 1 to 5."""
    comment: Comment | None = None


class SurveyRead(BaseModel):
    token: str
    """What the survey's link ends with: ``/surveys/{token}``."""
    kind: SurveyKind
    version_id: uuid.UUID
    specification_title: str
    version_number: int
    issuer_name: str
    holder_name: str | None
    """Employer surveys: the holder asked about."""
    respondent_org_id: uuid.UUID | None
    due_on: date
    answered: bool
    questions: list[str]
    """The fields of ``SurveyAnswer`` this kind asks, required ones first."""


class SurveyResultsRead(BaseModel):
    """One kind of survey on one version. Figures are null when fewer than ``min_group``
    responded, so that nobody's answer can be picked out."""

    kind: SurveyKind
    due: int
    """Surveys of this kind owed so far."""
    responses: int
    response_rate: float | None
    shown: bool
    mean_relevance: float | None
    mean_quality: float | None
    mean_had_skills: float | None
    job_outcomes: dict[JobOutcome, int] | None
    comments: list[str] | None
    """Without names; only for the issuer's designers and registrars."""


class VersionFeedbackRead(BaseModel):
    version_id: uuid.UUID
    specification_id: uuid.UUID
    number: int
    title: str
    status: VersionStatus
    min_group: int
    surveys: list[SurveyResultsRead]


class IssuerFeedbackRead(BaseModel):
    """Each specification's published version, as on the issuer's dashboard."""

    org_id: uuid.UUID
    min_group: int
    specifications: list[VersionFeedbackRead]
