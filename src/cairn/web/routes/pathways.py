"""Pathways on the web: "My pathways", the planning form with the plan beneath it (a GET:
planning changes nothing), saving it, and a saved pathway with re-plan and archive."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from babel.numbers import get_currency_precision
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cairn.auth.dependencies import DbSession
from cairn.catalogue.enums import Participation
from cairn.catalogue.enums import label as catalogue_label
from cairn.kit.actor import Actor
from cairn.kit.errors import Conflict, FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext
from cairn.pathways import explain, service
from cairn.pathways.enums import Objective
from cairn.pathways.enums import label as pathway_label
from cairn.pathways.schemas import PlanRequest
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of, parse
from cairn.web.templating import render

router = APIRouter()
Text = Annotated[str, Form()]
FIELDS = (
    "target_profile_id",
    "target_specification",
    "budget",
    "currency",
    "hours_per_week",
    "deadline",
    "objective",
    "languages",
)


@router.get("/pathways")
def my_pathways(request: Request, session: DbSession, actor: WebActor) -> Response:
    context = {"pathways": service.list_pathways(session, actor), "label": pathway_label}
    return render(request, "pathways/list.html", context, actor=actor)


def _request_of(values: dict[str, Any]) -> PlanRequest:
    """The form's values as a plan request; the budget is typed in the currency's units."""
    budget_minor: int | None = None
    if values.get("budget"):
        digits = get_currency_precision(values.get("currency") or "CAD")
        try:
            budget_minor = int(Decimal(str(values["budget"]).replace(",", "")).scaleb(digits))
        except InvalidOperation:
            message = lazy_gettext("Give the budget as an amount, e.g. 900.00.")
            raise InvalidInput(message, [FieldError("budget", message)]) from None
    languages = [part.strip() for part in str(values.get("languages", "")).split(",")]
    return parse(
        PlanRequest,
        {
            **{key: values.get(key, "") for key in FIELDS if key not in ("budget", "languages")},
            "currency": str(values.get("currency", "")).upper(),
            "budget_minor": "" if budget_minor is None else budget_minor,
            "languages": [language for language in languages if language],
            "deliveries": values.get("deliveries", []),
        },
    )


def _form_context(session: Session, actor: Actor, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "values": values,
        "profiles": [
            (str(head.profile.id), f"{head.name} · {head.organisation.name}")
            for head in service.role_profiles(session, actor)
        ],
        "objectives": [(o.value, pathway_label(o)) for o in Objective],
        "deliveries": [(p.value, catalogue_label(p)) for p in Participation],
        "fields": FIELDS,
    }


@router.get("/pathways/plan")
def plan_page(
    request: Request,
    session: DbSession,
    actor: WebActor,
    target_profile_id: Annotated[str, Query()] = "",
    target_specification: Annotated[str, Query()] = "",
    budget: Annotated[str, Query()] = "",
    currency: Annotated[str, Query()] = "",
    hours_per_week: Annotated[str, Query()] = "",
    deadline: Annotated[str, Query()] = "",
    objective: Annotated[str, Query()] = Objective.COST.value,
    languages: Annotated[str, Query()] = "",
    deliveries: Annotated[list[str] | None, Query()] = None,
) -> Response:
    values: dict[str, Any] = {
        "target_profile_id": target_profile_id,
        "target_specification": target_specification.strip(),
        "budget": budget.strip(),
        "currency": currency.strip(),
        "hours_per_week": hours_per_week.strip(),
        "deadline": deadline,
        "objective": objective,
        "languages": languages,
        "deliveries": deliveries or [],
    }
    context = _form_context(session, actor, values)
    asked = bool(target_profile_id or target_specification.strip())
    plan, errors, status = None, {}, 200
    if asked:
        try:
            plan = service.plan(session, actor, _request_of(values))
        except (ValidationError, InvalidInput) as error:
            errors, status = errors_of(error), 422
    context.update(plan=plan, errors=errors, method_words=explain.method_words, money=explain.money)
    return render(request, "pathways/plan.html", context, actor=actor, status_code=status)


@router.post("/pathways")
async def save(
    request: Request, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    form = await request.form()
    values: dict[str, Any] = {key: str(form.get(key, "")) for key in FIELDS}
    values["deliveries"] = [str(value) for value in form.getlist("deliveries")]
    try:
        pathway = service.save(session, actor, _request_of(values))
    except (ValidationError, InvalidInput) as error:
        context = _form_context(session, actor, values)
        context.update(plan=None, errors=errors_of(error), method_words=explain.method_words)
        return render(request, "pathways/plan.html", context, actor=actor, status_code=422)
    return redirect(f"/pathways/{pathway.id}", notice="created")


@router.get("/pathways/{pathway_id}")
def pathway_page(
    request: Request, pathway_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    return _pathway_page(request, session, actor, pathway_id)


def _pathway_page(
    request: Request,
    session: Session,
    actor: Actor,
    pathway_id: uuid.UUID,
    errors: dict[str, str] | None = None,
) -> Response:
    context = {
        "pathway": service.show(session, actor, pathway_id),
        "label": pathway_label,
        "method_words": explain.method_words,
        "money": explain.money,
        "errors": errors or {},
    }
    return render(
        request, "pathways/show.html", context, actor=actor, status_code=422 if errors else 200
    )


@router.post("/pathways/{pathway_id}/replan")
def replan(
    request: Request,
    pathway_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    try:
        service.replan(session, actor, pathway_id)
    except (InvalidInput, Conflict) as error:
        return _pathway_page(request, session, actor, pathway_id, {"__root__": str(error.message)})
    return redirect(f"/pathways/{pathway_id}", notice="saved")


@router.post("/pathways/{pathway_id}/archive")
def archive(
    pathway_id: uuid.UUID, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    service.archive(session, actor, pathway_id)
    return redirect("/pathways", notice="saved")
