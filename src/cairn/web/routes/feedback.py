"""Feedback surveys on the web: the surveys waiting for me, answering one from its link,
and an issuer's dashboard of results."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cairn.auth.dependencies import DbSession
from cairn.catalogue import feedback_service
from cairn.catalogue.enums import JobOutcome, label
from cairn.catalogue.feedback_schemas import SurveyAnswer
from cairn.kit.actor import Actor
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, InvalidInput
from cairn.orgs import service as orgs_service
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of, parse
from cairn.web.routes.orgs import org_context
from cairn.web.templating import render

router = APIRouter()


@router.get("/surveys")
def surveys_page(request: Request, session: DbSession, actor: WebActor) -> Response:
    context = {
        "surveys": feedback_service.my_pending_surveys(session, actor),
        "spec_label": label,
    }
    return render(request, "feedback/surveys.html", context, actor=actor)


def _survey_page(
    request: Request,
    session: Session,
    actor: Actor,
    token: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    view = feedback_service.get_survey(session, actor, token)
    context = {
        "view": view,
        "outcomes": [(outcome.value, label(outcome)) for outcome in JobOutcome],
        "opens_later": view.invitation.due_on > utcnow().date(),
        "values": values or {},
        "errors": errors or {},
        "spec_label": label,
    }
    return render(request, "feedback/answer.html", context, actor=actor, status_code=status)


@router.get("/surveys/{survey_token}")
def survey_page(
    request: Request, survey_token: str, session: DbSession, actor: WebActor
) -> Response:
    return _survey_page(request, session, actor, survey_token)


@router.post("/surveys/{survey_token}")
async def answer(
    request: Request, survey_token: str, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    view = feedback_service.get_survey(session, actor, survey_token)
    form = await request.form()
    values = {name: str(form.get(name) or "") for name in view.questions}
    try:
        data = parse(SurveyAnswer, values)
        feedback_service.answer_survey(session, actor, survey_token, data)
    except (ValidationError, InvalidInput, Conflict) as error:
        return _survey_page(
            request,
            session,
            actor,
            survey_token,
            values=values,
            errors=errors_of(error),
            status=422 if isinstance(error, ValidationError) else error.status,
        )
    return redirect("/surveys", notice="saved")


@router.get("/orgs/{org_id}/feedback")
def dashboard(request: Request, org_id: uuid.UUID, session: DbSession, actor: WebActor) -> Response:
    results = feedback_service.issuer_dashboard(session, actor, org_id)
    org = orgs_service.get_organisation(session, actor, org_id)
    context = org_context(actor, org, "feedback")
    context.update(feedback=results, min_group=feedback_service.MIN_GROUP, spec_label=label)
    return render(request, "feedback/dashboard.html", context, actor=actor)
