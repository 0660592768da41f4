"""Shapes of recognition of prior learning, shared by the API and the pages: what a learner
sends with a claim, what an assessor decides, and what both read back."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from cairn.assessment.enums import ArtifactKind, RplStatus

Statement = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]

MAX_LINKS = 20


class LinkWrite(BaseModel):
    url: Url = Field(description="An http or https address, e.g. a portfolio page.")
    title: Title | None = Field(default=None, description="The address itself when omitted.")


class ClaimCreate(BaseModel):
    org_id: uuid.UUID = Field(description="One of the caller's organisations, asked to assess.")
    skill_id: uuid.UUID
    claimed_level: int = Field(description="A rank on the skill's framework scale.")
    statement: Statement = Field(description="What the learner did, where and when.")
    links: list[LinkWrite] = Field(default_factory=list, max_length=MAX_LINKS)


class Outcome(StrEnum):
    ACCEPT = "accept"
    MORE_EVIDENCE = "more_evidence"
    REJECT = "reject"


class CriterionJudgement(BaseModel):
    key: str = Field(max_length=40, description="The criterion's key, as the claim lists it.")
    met: bool
    note: Note | None = None


class DecisionWrite(BaseModel):
    outcome: Outcome
    level: int | None = Field(
        default=None, description="Required to accept: the claimed level or a lower one."
    )
    criteria: list[CriterionJudgement] = Field(
        max_length=20, description="One judgement for every criterion of the claim."
    )
    note: Note | None = Field(
        default=None, description="Required to reject (the reason) or to ask for more evidence."
    )


class ArtifactRead(BaseModel):
    id: uuid.UUID
    kind: ArtifactKind
    title: str
    url: str | None
    filename: str | None
    media_type: str | None
    size: int
    added_at: datetime


class CriterionRead(BaseModel):
    key: str
    criterion: str
    met: bool | None = Field(description="Null until an assessor has judged it.")
    note: str | None


class ClaimRead(BaseModel):
    id: uuid.UUID
    org_id: uuid.UUID
    org_name: str
    person_id: uuid.UUID
    person_name: str
    skill_id: uuid.UUID
    skill_uri: str
    skill_label: str
    framework: str
    framework_version: str
    claimed_level: int
    claimed_level_label: str | None
    statement: str
    status: RplStatus
    submitted_at: datetime
    assessor_id: uuid.UUID | None
    decided_at: datetime | None
    decided_level: int | None
    decision_note: str | None
    criteria: list[CriterionRead]
    artifacts: list[ArtifactRead]


class EvidenceAdd(BaseModel):
    links: list[LinkWrite] = Field(min_length=1, max_length=MAX_LINKS)
