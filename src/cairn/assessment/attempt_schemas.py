"""The JSON shapes of taking a test through the API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cairn.assessment.attempts import AttemptView, Question
from cairn.assessment.enums import AttemptStatus, ItemType, TestMode


class AttemptStart(BaseModel):
    """Either a campaign's test, or a bank with an optional area or competence."""

    model_config = ConfigDict(extra="forbid")

    bank_id: uuid.UUID | None = None
    scope_skill_id: uuid.UUID | None = None
    mode: TestMode = TestMode.ADAPTIVE
    campaign_id: uuid.UUID | None = None


class AnswerWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_id: uuid.UUID
    """The question waiting for its answer (``question.item_id``)."""
    answer: dict[str, Any] = Field(
        description="Shape per item type: {choice}, {choices}, {value}, {order} "
        "(docs/item-bank-format.md)."
    )


class QuizWrite(BaseModel):
    """The answers of a self-paced quiz, sent once; questions left out were skipped."""

    model_config = ConfigDict(extra="forbid")

    answers: list[AnswerWrite]


class QuestionRead(BaseModel):
    item_id: uuid.UUID
    number: int
    type: ItemType
    content: dict[str, Any]
    """Stem and options; never the answer key."""

    @classmethod
    def of(cls, question: Question) -> QuestionRead:
        return cls(
            item_id=question.item.id,
            number=question.number,
            type=question.item.item_type,
            content=question.content,
        )


class ResultRead(BaseModel):
    level: int
    level_label: str
    lowest: int
    highest: int
    """The levels of the 95% plausible range."""
    theta: float
    se: float
    answered: int
    skill_ids: list[uuid.UUID]
    """The skills the result was recorded for as evidence."""


class AttemptRead(BaseModel):
    id: uuid.UUID
    bank_id: uuid.UUID
    scope_skill_id: uuid.UUID | None
    campaign_id: uuid.UUID | None
    mode: TestMode
    status: AttemptStatus
    started_at: datetime
    closes_at: datetime | None
    finished_at: datetime | None
    max_questions: int
    question: QuestionRead | None
    """The question waiting for its answer (adaptive tests and fixed forms)."""
    quiz: list[QuestionRead]
    """Every question of a self-paced quiz still open; empty otherwise."""
    result: ResultRead | None

    @classmethod
    def of(cls, view: AttemptView) -> AttemptRead:
        attempt, question, result = view.attempt, view.question, view.result
        return cls(
            id=attempt.id,
            bank_id=attempt.bank_id,
            scope_skill_id=attempt.scope_skill_id,
            campaign_id=attempt.campaign_id,
            mode=attempt.mode,
            status=attempt.status,
            started_at=attempt.created_at,
            closes_at=attempt.closes_at,
            finished_at=attempt.finished_at,
            max_questions=view.max_length,
            question=None if question is None else QuestionRead.of(question),
            quiz=[QuestionRead.of(one) for one in view.quiz],
            result=None
            if result is None
            else ResultRead(
                level=result.proficiency.level,
                level_label=result.label(result.proficiency.level),
                lowest=result.proficiency.lowest,
                highest=result.proficiency.highest,
                theta=result.proficiency.theta,
                se=result.proficiency.se,
                answered=result.answered,
                skill_ids=[skill.id for skill in result.skills],
            ),
        )
