"""Taking tests through the API: start one, answer its questions one by one, read results."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from cairn.api.v1.common import ERROR_RESPONSES
from cairn.assessment import attempts
from cairn.assessment.attempt_schemas import AnswerWrite, AttemptRead, AttemptStart, QuizWrite
from cairn.auth.dependencies import ApiActor, DbSession

router = APIRouter(prefix="/me/assessments", tags=["assessments"], responses=ERROR_RESPONSES)


@router.get("", response_model=list[AttemptRead], summary="My tests, newest first")
def list_attempts(session: DbSession, actor: ApiActor) -> list[AttemptRead]:
    return [
        AttemptRead.of(attempts.view(session, actor, attempt.id))
        for attempt in attempts.my_attempts(session, actor)
    ]


@router.post(
    "",
    response_model=AttemptRead,
    status_code=status.HTTP_201_CREATED,
    summary="Start a test (or resume my unfinished one at the same test)",
)
def start_attempt(data: AttemptStart, session: DbSession, actor: ApiActor) -> AttemptRead:
    attempt = attempts.start(
        session,
        actor,
        bank_id=data.bank_id,
        scope_skill_id=data.scope_skill_id,
        mode=data.mode,
        campaign_id=data.campaign_id,
    )
    return AttemptRead.of(attempts.view(session, actor.without_scopes(), attempt.id))


@router.get("/{attempt_id}", response_model=AttemptRead, summary="A test: its question or result")
def read_attempt(attempt_id: uuid.UUID, session: DbSession, actor: ApiActor) -> AttemptRead:
    return AttemptRead.of(attempts.view(session, actor, attempt_id))


@router.post(
    "/{attempt_id}/responses",
    response_model=AttemptRead,
    summary="Answer the waiting question; refused once the test is over or closed (409)",
)
def answer(
    attempt_id: uuid.UUID, data: AnswerWrite, session: DbSession, actor: ApiActor
) -> AttemptRead:
    attempts.answer(session, actor, attempt_id, data.item_id, data.answer)
    return AttemptRead.of(attempts.view(session, actor.without_scopes(), attempt_id))


@router.post(
    "/{attempt_id}/quiz",
    response_model=AttemptRead,
    summary="Send a self-paced quiz's answers, once; questions left out count as skipped",
)
def send_quiz(
    attempt_id: uuid.UUID, data: QuizWrite, session: DbSession, actor: ApiActor
) -> AttemptRead:
    answers = {entry.item_id: entry.answer for entry in data.answers}
    attempts.submit_quiz(session, actor, attempt_id, answers)
    return AttemptRead.of(attempts.view(session, actor.without_scopes(), attempt_id))
