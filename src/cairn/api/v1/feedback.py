"""Feedback surveys: the ones owed by the caller, answering one, and the results of a
version or of an issuer's specifications."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from cairn.api.v1.common import ERROR_RESPONSES
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.catalogue import feedback_service
from cairn.catalogue.feedback_schemas import (
    IssuerFeedbackRead,
    SurveyAnswer,
    SurveyRead,
    SurveyResultsRead,
    VersionFeedbackRead,
)
from cairn.catalogue.feedback_service import SurveyView, VersionResults

router = APIRouter(tags=["feedback"], responses=ERROR_RESPONSES)


def survey_read(view: SurveyView) -> SurveyRead:
    invitation, subject = view.invitation, view.subject
    return SurveyRead(
        token=invitation.token,
        kind=invitation.kind,
        version_id=subject.version.id,
        specification_title=subject.version.title,
        version_number=subject.version.number,
        issuer_name=subject.issuer.name,
        holder_name=view.holder.display_name if view.holder else None,
        respondent_org_id=invitation.respondent_org_id,
        due_on=invitation.due_on,
        answered=invitation.answered_at is not None,
        questions=list(view.questions),
    )


def version_feedback_read(results: VersionResults) -> VersionFeedbackRead:
    version = results.version
    return VersionFeedbackRead(
        version_id=version.id,
        specification_id=version.specification_id,
        number=version.number,
        title=version.title,
        status=version.status,
        min_group=results.min_group,
        surveys=[
            SurveyResultsRead(
                kind=survey.kind,
                due=survey.due,
                responses=survey.responses,
                response_rate=survey.response_rate,
                shown=survey.shown,
                mean_relevance=survey.mean_relevance,
                mean_quality=survey.mean_quality,
                mean_had_skills=survey.mean_had_skills,
                job_outcomes=survey.job_outcomes,
                comments=survey.comments,
            )
            for survey in results.surveys
        ],
    )


@router.get(
    "/me/surveys",
    response_model=list[SurveyRead],
    summary="Surveys due that I (or an employer I administer) have not answered",
)
def my_surveys(session: DbSession, actor: ApiActor) -> list[SurveyRead]:
    return [survey_read(view) for view in feedback_service.my_pending_surveys(session, actor)]


@router.get(
    "/surveys/{survey_token}", response_model=SurveyRead, summary="A survey put to me, by its link"
)
def read_survey(survey_token: str, session: DbSession, actor: ApiActor) -> SurveyRead:
    return survey_read(feedback_service.get_survey(session, actor, survey_token))


@router.post(
    "/surveys/{survey_token}/answer",
    response_model=SurveyRead,
    status_code=status.HTTP_201_CREATED,
    summary="Answer a survey, once; ratings are 1 to 5",
)
def answer_survey(
    survey_token: str, data: SurveyAnswer, session: DbSession, actor: ApiActor
) -> SurveyRead:
    feedback_service.answer_survey(session, actor, survey_token, data)
    return survey_read(feedback_service.get_survey(session, actor.without_scopes(), survey_token))


@router.get(
    "/specifications/{version_id}/feedback",
    response_model=VersionFeedbackRead,
    summary="A version's survey results; groups under the minimum are hidden, comments "
    "are for the issuer",
)
def version_feedback(
    version_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> VersionFeedbackRead:
    return version_feedback_read(feedback_service.results_for_version(session, actor, version_id))


@router.get(
    "/orgs/{org_id}/feedback",
    response_model=IssuerFeedbackRead,
    summary="Each published specification's survey results (the issuer's designers and registrars)",
)
def issuer_feedback(org_id: uuid.UUID, session: DbSession, actor: ApiActor) -> IssuerFeedbackRead:
    return IssuerFeedbackRead(
        org_id=org_id,
        min_group=feedback_service.MIN_GROUP,
        specifications=[
            version_feedback_read(results)
            for results in feedback_service.issuer_dashboard(session, actor, org_id)
        ],
    )
