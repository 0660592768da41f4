"""Offerings and enrolments on the web: a specification's upcoming runs, an offering's page
with the split of its price shown before the learner confirms, my enrolments, and the
provider's pages to add runs and record completion.

The confirm form carries the split the learner saw; when the split worked out at
confirmation differs, the page shows the new one instead of charging it."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cairn.accounts.errors import QuoteChanged
from cairn.accounts.money import format_money
from cairn.accounts.pricing import Quote
from cairn.auth.dependencies import DbSession, OptionalWebActor
from cairn.catalogue import enrolment_service, offerings, public
from cairn.catalogue.enrolment_service import line_label
from cairn.catalogue.enums import Participation
from cairn.catalogue.enums import label as catalogue_label
from cairn.catalogue.offering_schemas import OfferingCreate, QuoteRead
from cairn.kit.actor import Actor
from cairn.kit.errors import Conflict, InvalidInput
from cairn.kit.i18n import gettext
from cairn.orgs import service as orgs_service
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of, parse
from cairn.web.routes.orgs import org_context
from cairn.web.templating import render

router = APIRouter()
FIELDS = (
    "version_id",
    "code",
    "starts_on",
    "ends_on",
    "enrol_by",
    "delivery",
    "language",
    "region",
    "hours",
    "price_minor",
    "currency",
    "capacity",
    "tags",
)


def _helpers() -> dict[str, Any]:
    return {"money": format_money, "line_label": line_label, "spec_label": catalogue_label}


@router.get("/catalogue/{org_slug}/{spec_slug}/offerings")
def specification_offerings(
    request: Request, org_slug: str, spec_slug: str, session: DbSession, actor: OptionalWebActor
) -> Response:
    found = public.published_specification(session, actor, org_slug, spec_slug)
    views = offerings.upcoming_offerings(session, actor, found.specification.id)
    context = {"found": found, "offerings": views, **_helpers()}
    return render(request, "offerings/list.html", context, actor=actor)


def _offering_page(
    request: Request,
    session: Session,
    actor: Actor | None,
    offering_id: uuid.UUID,
    *,
    quote: Quote | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    view = offerings.find(session, offering_id)
    if actor is not None and quote is None and problem is None:
        try:
            quote = enrolment_service.quote(session, actor, offering_id).quote
        except Conflict as error:
            problem = str(error.message)
    context = {
        "view": view,
        "quote": quote,
        "quote_json": QuoteRead.of(quote).model_dump_json() if quote else "",
        "problem": problem,
        **_helpers(),
    }
    return render(request, "offerings/offering.html", context, actor=actor, status_code=status)


@router.get("/offerings/{offering_id}")
def offering_page(
    request: Request, offering_id: uuid.UUID, session: DbSession, actor: OptionalWebActor
) -> Response:
    return _offering_page(request, session, actor, offering_id)


@router.post("/offerings/{offering_id}/enrol")
async def enrol(
    request: Request,
    offering_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    form = await request.form()
    try:
        seen = QuoteRead.model_validate_json(str(form.get("quote") or "{}")).to_quote()
    except ValidationError:
        return _offering_page(request, session, actor, offering_id)
    try:
        enrolment_service.enrol(session, actor, offering_id, expected=seen)
    except QuoteChanged as changed:
        message = gettext("The split has changed since you saw it. Check the new one below.")
        return _offering_page(
            request, session, actor, offering_id, quote=changed.quote, problem=message, status=409
        )
    except Conflict as error:
        return _offering_page(
            request, session, actor, offering_id, problem=str(error.message), status=409
        )
    return redirect("/me/enrolments", notice="saved")


@router.get("/me/enrolments")
def my_enrolments(request: Request, session: DbSession, actor: WebActor) -> Response:
    context = {"enrolments": enrolment_service.my_enrolments(session, actor), **_helpers()}
    return render(request, "offerings/mine.html", context, actor=actor)


@router.post("/enrolments/{enrolment_id}/withdraw")
def withdraw(
    enrolment_id: uuid.UUID, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    enrolment_service.withdraw(session, actor, enrolment_id)
    return redirect("/me/enrolments", notice="saved")


def _provider_page(
    request: Request,
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    views = offerings.provider_offerings(session, actor, org_id)
    org = orgs_service.get_organisation(session, actor, org_id)
    context = org_context(actor, org, "offerings")
    context.update(
        offerings=views,
        versions=[
            (
                str(version.id),
                gettext(
                    "%(title)s, version %(number)s", title=version.title, number=version.number
                ),
            )
            for version, _ in offerings.offerable_versions(session, actor, org_id)
        ],
        deliveries=[(item.value, catalogue_label(item)) for item in Participation],
        values=values or {"language": "en", "delivery": Participation.ONLINE.value},
        errors=errors or {},
        **_helpers(),
    )
    return render(request, "offerings/provider.html", context, actor=actor, status_code=status)


@router.get("/orgs/{org_id}/offerings")
def provider_page(
    request: Request, org_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    return _provider_page(request, session, actor, org_id)


@router.post("/orgs/{org_id}/offerings")
async def add_offering(
    request: Request, org_id: uuid.UUID, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    offerings.require_provider(session, actor, org_id)
    form = await request.form()
    values = {name: str(form.get(name) or "").strip() for name in FIELDS}
    data: dict[str, object] = {name: values[name] for name in FIELDS if name != "version_id"}
    data["tags"] = [tag.strip() for tag in values["tags"].split(",") if tag.strip()]
    version_id = values["version_id"]
    errors: dict[str, str] = {}
    try:
        fields = parse(OfferingCreate, data)
        version = uuid.UUID(version_id) if version_id else None
        if version is None:
            errors = {"version_id": gettext("Choose the micro-credential to offer.")}
        else:
            offerings.create_offering(session, actor, version, org_id=org_id, data=fields)
    except (ValidationError, InvalidInput, Conflict) as error:
        errors = errors_of(error)
    except ValueError:
        errors = {"version_id": gettext("Choose the micro-credential to offer.")}
    if errors:
        return _provider_page(
            request, session, actor, org_id, values=values, errors=errors, status=422
        )
    return redirect(f"/orgs/{org_id}/offerings", notice="created")


@router.get("/offerings/{offering_id}/enrolments")
def learners_page(
    request: Request, offering_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    view, learners = enrolment_service.offering_enrolments(session, actor, offering_id)
    context = {"view": view, "learners": learners, **_helpers()}
    return render(request, "offerings/learners.html", context, actor=actor)


@router.post("/enrolments/{enrolment_id}/complete")
def complete(
    enrolment_id: uuid.UUID, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    enrolment = enrolment_service.complete(session, actor, enrolment_id)
    return redirect(f"/offerings/{enrolment.offering_id}/enrolments", notice="saved")


@router.post("/offerings/{offering_id}/close")
def close(
    offering_id: uuid.UUID, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    offering = offerings.close_offering(session, actor, offering_id)
    return redirect(f"/orgs/{offering.provider_org_id}/offerings", notice="saved")


@router.post("/offerings/{offering_id}/cancel")
def cancel(
    offering_id: uuid.UUID, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    offering = offerings.cancel_offering(session, actor, offering_id)
    return redirect(f"/orgs/{offering.provider_org_id}/offerings", notice="saved")
