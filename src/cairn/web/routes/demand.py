"""Skills in demand on the web: the table of skills with postings by period beside
employers' needs and role profiles (with a CSV download), and the batches of postings
with an upload form for those who may import (the file is imported by a background job,
whose page the form leads to)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from cairn.auth.dependencies import DbSession
from cairn.catalogue import demand_export, demand_service
from cairn.catalogue.demand_import import MAX_FILE_BYTES, PostingsFile
from cairn.catalogue.demand_schemas import Period
from cairn.kit.actor import Actor
from cairn.kit.downloads import csv_attachment
from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext
from cairn.taxonomy import service as taxonomy_service
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of
from cairn.web.templating import render

router = APIRouter()
PLATFORM = "platform"
"""The organisation choice meaning the platform's own batch (administrators only)."""
PERIODS = {
    Period.MONTH: lazy_gettext("Month"),
    Period.QUARTER: lazy_gettext("Quarter"),
    Period.YEAR: lazy_gettext("Year"),
}
Region = Annotated[str, Query(max_length=120)]
Framework = Annotated[str, Query(max_length=120)]


def _since(value: str) -> date | None:
    """A date typed in the filter, or None when empty or unreadable (then all postings)."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _report(
    session: Session, actor: Actor, region: str, period: Period, since: str, framework: str
) -> demand_service.DemandReport:
    return demand_service.skills_in_demand(
        session,
        actor,
        region=region or None,
        period=period,
        since=_since(since),
        framework=framework or None,
    )


@router.get("/demand")
def demand_page(
    request: Request,
    session: DbSession,
    actor: WebActor,
    region: Region = "",
    period: Period = Period.QUARTER,
    since: Annotated[str, Query(max_length=10)] = "",
    framework: Framework = "",
) -> Response:
    errors: dict[str, str] = {}
    try:
        report = _report(session, actor, region, period, since, framework)
    except InvalidInput as error:
        errors = errors_of(error)
        framework = ""
        report = _report(session, actor, region, period, since, framework)
    reader = actor.without_scopes()
    context = {
        "report": report,
        "errors": errors,
        "regions": [(name, name) for name in demand_service.regions(session, actor)],
        "frameworks": [
            (f.slug, f"{f.title} {f.version}")
            for f in taxonomy_service.list_frameworks(session, reader)
        ],
        "periods": [(value.value, str(text)) for value, text in PERIODS.items()],
        "chosen": {
            "region": region,
            "period": period.value,
            "since": since,
            "framework": framework,
        },
        "query": request.url.query,
        "imports": actor.is_platform_admin
        or bool(demand_service.importing_organisations(session, actor)),
    }
    return render(request, "demand/skills.html", context, actor=actor)


@router.get("/demand.csv")
def demand_csv(
    session: DbSession,
    actor: WebActor,
    region: Region = "",
    period: Period = Period.QUARTER,
    since: Annotated[str, Query(max_length=10)] = "",
    framework: Framework = "",
) -> Response:
    report = _report(session, actor, region, period, since, framework)
    return Response(
        demand_export.to_csv(report),
        headers=csv_attachment("skills-in-demand.csv"),
    )


def _batches_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    organisations = [
        (str(org.id), org.name) for org in demand_service.importing_organisations(session, actor)
    ]
    if actor.is_platform_admin:
        organisations.insert(0, (PLATFORM, str(lazy_gettext("The platform (no organisation)"))))
    frameworks = taxonomy_service.list_frameworks(session, actor.without_scopes())
    batches = demand_service.list_batches(session, actor)
    names = {f.id: f"{f.title} {f.version}" for f in frameworks}
    context: dict[str, Any] = {
        "batches": batches,
        "framework_names": names,
        "organisations": organisations,
        "frameworks": [(f"{f.slug}@{f.version}", f"{f.title} {f.version}") for f in frameworks],
        "values": values or {},
        "errors": errors or {},
        "max_mb": MAX_FILE_BYTES >> 20,
        "deletable": {
            batch.id
            for batch in batches
            if actor.is_platform_admin
            or any(str(batch.org_id) == org_id for org_id, _ in organisations)
        },
    }
    return render(request, "demand/batches.html", context, actor=actor, status_code=status)


@router.get("/demand/batches")
def batches_page(request: Request, session: DbSession, actor: WebActor) -> Response:
    return _batches_page(request, session, actor)


@router.post("/demand/batches")
async def upload(
    request: Request, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    form = await request.form()
    values = {key: value for key, value in form.items() if isinstance(value, str)}
    upload_file = form.get("file")
    data, name = b"", ""
    if isinstance(upload_file, UploadFile):
        name = upload_file.filename or ""
        data = await upload_file.read(MAX_FILE_BYTES + 1)
        await upload_file.close()
    org = values.get("org_id", "")
    try:
        if not name:
            message = lazy_gettext("Choose a file of postings.")
            raise InvalidInput(message, [FieldError("file", message)])
        job = demand_service.queue_import(
            session,
            actor,
            source=values.get("source", ""),
            postings=PostingsFile(name, data),
            framework=values.get("framework") or None,
            org_id=None if org in ("", PLATFORM) else _org_id(org),
        )
    except InvalidInput as error:
        return _batches_page(
            request, session, actor, values=values, errors=errors_of(error), status=422
        )
    return redirect(f"/jobs/{job.id}")


def _org_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        message = lazy_gettext("Choose one of the organisations offered.")
        raise InvalidInput(message, [FieldError("org_id", message)]) from None


@router.post("/demand/batches/{batch_id}/delete")
def delete(
    batch_id: uuid.UUID, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    demand_service.delete_batch(session, actor, batch_id)
    return redirect("/demand/batches", notice="deleted")
