"""Micro-credential specifications on the web: an issuer's list, drafting and editing every
element and the credentials to hold first, the profile check beside them, review,
publication, new versions, endorsement."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cairn.auth.dependencies import DbSession
from cairn.catalogue import (
    demand_service,
    feedback_service,
    prerequisite_service,
    service,
    stacking_views,
)
from cairn.catalogue.alignment import alignments
from cairn.catalogue.enums import (
    AssessmentType,
    IdentityCheck,
    Participation,
    Profile,
    VersionStatus,
    label,
)
from cairn.catalogue.schemas import SpecificationCreate, SpecificationFields
from cairn.kit.actor import Actor
from cairn.kit.errors import Conflict, DomainError, InvalidInput
from cairn.kit.i18n import LazyString, gettext, lazy_gettext
from cairn.orgs import people
from cairn.orgs import service as orgs_service
from cairn.orgs.permissions import is_org_admin
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of, parse
from cairn.web.routes.orgs import org_context
from cairn.web.templating import render

router = APIRouter()
Text = Annotated[str, Form()]
Ids = Annotated[list[str], Form()]


def _choices(values: Any) -> list[tuple[str, str]]:
    return [(value.value, label(value)) for value in values]


FIELDS: list[tuple[str, LazyString, str, list[tuple[str, str]] | None]] = [
    ("title", lazy_gettext("Title"), "text", None),
    ("summary", lazy_gettext("Summary"), "textarea", None),
    ("profile", lazy_gettext("Designed to"), "select", None),
    ("language", lazy_gettext("Language (e.g. en, fr)"), "text", None),
    ("country", lazy_gettext("Country of the issuer (two letters, e.g. CA)"), "text", None),
    ("region", lazy_gettext("Region"), "text", None),
    ("workload_hours", lazy_gettext("Notional workload in hours"), "number", None),
    ("ects", lazy_gettext("ECTS credits"), "number", None),
    ("eqf_level", lazy_gettext("EQF level (1 to 8)"), "number", None),
    ("national_level", lazy_gettext("Level in a national framework"), "text", None),
    ("assessment_type", lazy_gettext("Type of assessment"), "select", None),
    (
        "summative",
        lazy_gettext("Achievement is assessed at the end against the outcomes"),
        "checkbox",
        None,
    ),
    ("participation", lazy_gettext("Form of participation"), "select", None),
    ("quality_assurance", lazy_gettext("Quality assurance"), "textarea", None),
    ("prerequisites", lazy_gettext("Prerequisites"), "textarea", None),
    (
        "identity_check",
        lazy_gettext("Supervision and identity checks during assessment"),
        "select",
        None,
    ),
    ("grading_scheme", lazy_gettext("Grading scheme"), "textarea", None),
    ("stackability", lazy_gettext("What it stacks into or counts toward"), "textarea", None),
    ("transcriptable", lazy_gettext("Recorded on the learner's transcript"), "checkbox", None),
    ("price_minor", lazy_gettext("Price in cents (0 if free)"), "number", None),
    ("currency", lazy_gettext("Currency (e.g. CAD, EUR)"), "text", None),
    ("starts_on", lazy_gettext("Starts on"), "date", None),
    ("ends_on", lazy_gettext("Ends on"), "date", None),
    ("accessibility", lazy_gettext("Accessibility"), "textarea", None),
]
OPTIONS = {
    "profile": Profile,
    "assessment_type": AssessmentType,
    "participation": Participation,
    "identity_check": IdentityCheck,
}


def _fields() -> list[tuple[str, LazyString, str, list[tuple[str, str]] | None]]:
    return [
        (name, text, kind, _choices(OPTIONS[name]) if name in OPTIONS else None)
        for name, text, kind, _ in FIELDS
    ]


@router.get("/orgs/{org_id}/specifications")
def list_page(request: Request, org_id: uuid.UUID, session: DbSession, actor: WebActor) -> Response:
    org = orgs_service.get_organisation(session, actor, org_id)
    context = org_context(actor, org, "specifications")
    context.update(
        rows=service.list_for_organisation(session, actor, org.id),
        designs=service.can_design(actor, org.id),
        spec_label=label,
    )
    return render(request, "specifications/list.html", context, actor=actor)


def _new_page(
    request: Request,
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    org = orgs_service.get_organisation(session, actor, org_id)
    context = org_context(actor, org, "specifications")
    context.update(
        values=values or {"language": "en", "profile": Profile.EU_2022.value},
        errors=errors or {},
        profiles=_choices(Profile),
    )
    return render(request, "specifications/new.html", context, actor=actor, status_code=status)


@router.get("/orgs/{org_id}/specifications/new")
def new_page(request: Request, org_id: uuid.UUID, session: DbSession, actor: WebActor) -> Response:
    service.require_designer(session, actor, org_id)
    return _new_page(request, session, actor, org_id)


@router.post("/orgs/{org_id}/specifications/new")
def create(
    request: Request,
    org_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    slug: Text = "",
    title: Text = "",
    profile: Text = "",
    language: Text = "",
) -> Response:
    service.require_designer(session, actor, org_id)
    values = {"slug": slug, "title": title, "profile": profile, "language": language}
    try:
        version = service.create_specification(
            session, actor, org_id, parse(SpecificationCreate, values)
        )
    except (ValidationError, InvalidInput, Conflict) as error:
        return _new_page(
            request, session, actor, org_id, values=values, errors=errors_of(error), status=422
        )
    return redirect(f"/specifications/{version.id}/edit", notice="created")


@router.get("/specifications/{version_id}")
def view_page(
    request: Request, version_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    return _view(request, session, actor, version_id)


def _view(
    request: Request,
    session: Session,
    actor: Actor,
    version_id: uuid.UUID,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    view = service.view(session, actor, version_id)
    owner = view.specification.owner_org_id
    issued = view.version.status in (VersionStatus.PUBLISHED, VersionStatus.RETIRED)
    context = {
        "view": view,
        "aligned": alignments(session, actor.without_scopes(), view.draft.outcomes),
        "counts_toward": (
            stacking_views.counts_toward(session, actor, view.specification.id) if issued else []
        ),
        "coverage": demand_service.coverage(session, actor, version_id),
        "feedback": (
            feedback_service.results_for_specification(session, actor, view.specification.id)
            if issued
            else []
        ),
        "prerequisites": prerequisite_service.shown(session, actor, view.prerequisites),
        "spec_label": label,
        "fields": _fields(),
        "designs": service.can_design(actor, owner),
        "publishes": service.can_publish(actor, owner),
        "endorsers": sorted(
            {
                (str(org.id), org.name)
                for _, org in people.my_memberships(session, actor)
                if is_org_admin(actor, org.id) and org.id != owner
            },
            key=lambda option: option[1],
        ),
        "errors": errors or {},
    }
    return render(request, "specifications/view.html", context, actor=actor, status_code=status)


def _edit_page(
    request: Request,
    session: Session,
    actor: Actor,
    version_id: uuid.UUID,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    chosen: list[str] | None = None,
    status: int = 200,
) -> Response:
    view = service.view(session, actor, version_id)
    owner = service.require_designer(session, actor, view.specification.owner_org_id)
    current = values or {
        **{name: getattr(view.version, name) for name, *_ in FIELDS},
        "outcomes": "\n".join(o.statement for o in view.draft.outcomes),
    }
    context = {
        "view": view,
        "fields": _fields(),
        "values": current,
        "errors": errors or {},
        "prerequisites": prerequisite_service.shown(session, actor, view.prerequisites),
        "prerequisite_choices": _prerequisite_choices(session, actor, view, owner.name),
        "chosen": chosen or [],
    }
    return render(request, "specifications/edit.html", context, actor=actor, status_code=status)


def _prerequisite_choices(
    session: Session, actor: Actor, view: service.VersionView, owner_name: str
) -> list[tuple[str, str, str]]:
    """(specification id, title, what to say of it): the issuer's own specifications in any
    state, then those of other issuers on offer, as a stacking rule offers them."""
    own_org = view.specification.owner_org_id
    own = [
        (str(specification.id), version.title, f"{owner_name} · {label(version.status)}")
        for specification, version in service.list_for_organisation(session, actor, own_org)
        if specification.id != view.specification.id
    ]
    others = [
        (str(head.specification_id), head.title, head.issuer)
        for head in stacking_views.component_choices(session, actor)
        if head.owner_org_id != own_org
    ]
    return own + others


@router.get("/specifications/{version_id}/edit")
def edit_page(
    request: Request, version_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    return _edit_page(request, session, actor, version_id)


@router.post("/specifications/{version_id}/edit")
async def save(
    request: Request, version_id: uuid.UUID, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    form = await request.form()
    values: dict[str, Any] = {name: str(form.get(name) or "") for name, *_ in FIELDS}
    for name, _, kind, _ in FIELDS:
        if kind == "checkbox":
            values[name] = form.get(name) == "yes"
    statements = [line.strip() for line in str(form.get("outcomes") or "").splitlines()]
    kept = service.view(session, actor, version_id).draft.outcomes
    aligned = {o.statement: o for o in kept}
    outcomes = [
        {
            "statement": text,
            "skill_id": aligned[text].skill_id if text in aligned else None,
            "level": aligned[text].level if text in aligned else None,
        }
        for text in statements
        if text
    ]
    try:
        data = parse(SpecificationFields, {**values, "outcomes": outcomes})
        service.update_draft(session, actor, version_id, data)
    except (ValidationError, InvalidInput, Conflict) as error:
        shown = {**values, "outcomes": str(form.get("outcomes") or "")}
        return _edit_page(
            request, session, actor, version_id, values=shown, errors=errors_of(error), status=422
        )
    return redirect(f"/specifications/{version_id}", notice="saved")


def _prerequisite_errors(error: DomainError) -> dict[str, str]:
    """Errors on a clause or one of its credentials point at the group of boxes, where the
    summary's link lands; there is one clause on the form."""
    return {
        "specification_ids" if field.startswith("clauses") else field: message
        for field, message in errors_of(error).items()
    }


@router.post("/specifications/{version_id}/prerequisites")
def add_prerequisite(
    request: Request,
    version_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    specification_ids: Ids = [],  # noqa: B006 - FastAPI copies form defaults
) -> Response:
    try:
        chosen = [uuid.UUID(value) for value in specification_ids]
    except ValueError:
        errors = {"specification_ids": gettext("Choose one of the listed options.")}
        return _edit_page(
            request, session, actor, version_id, errors=errors, chosen=specification_ids, status=422
        )
    try:
        prerequisite_service.add_clause(session, actor, version_id, chosen)
    except (InvalidInput, Conflict) as error:
        return _edit_page(
            request,
            session,
            actor,
            version_id,
            errors=_prerequisite_errors(error),
            chosen=specification_ids,
            status=error.status,
        )
    return redirect(f"/specifications/{version_id}/edit", notice="saved")


@router.post("/specifications/{version_id}/prerequisites/remove")
def remove_prerequisite(
    request: Request,
    version_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    clause: Text = "",
) -> Response:
    number = int(clause) if clause.isdigit() else -1
    try:
        prerequisite_service.remove_clause(session, actor, version_id, number)
    except (InvalidInput, Conflict) as error:
        return _edit_page(
            request,
            session,
            actor,
            version_id,
            errors=_prerequisite_errors(error),
            status=error.status,
        )
    return redirect(f"/specifications/{version_id}/edit", notice="deleted")


def _act(name: str) -> None:
    action = getattr(service, name)

    def endpoint(
        request: Request,
        version_id: uuid.UUID,
        session: DbSession,
        actor: WebActor,
        _csrf: CsrfChecked,
    ) -> Response:
        try:
            version = action(session, actor, version_id)
        except (InvalidInput, Conflict) as error:
            return _view(
                request, session, actor, version_id, errors=errors_of(error), status=error.status
            )
        return redirect(f"/specifications/{version.id}", notice="saved")

    router.post(f"/specifications/{{version_id}}/{name.replace('_', '-')}", name=f"page_{name}")(
        endpoint
    )


for _name in ("submit_for_review", "return_to_draft", "publish", "retire", "new_version"):
    _act(_name)


@router.post("/specifications/{version_id}/endorse")
def endorse(
    request: Request,
    version_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    org_id: Text = "",
    statement: Text = "",
) -> Response:
    try:
        endorser = uuid.UUID(org_id)
    except ValueError:
        endorser = uuid.UUID(int=0)
    try:
        service.endorse(session, actor, version_id, endorser, statement.strip() or None)
    except (InvalidInput, Conflict) as error:
        return _view(
            request, session, actor, version_id, errors=errors_of(error), status=error.status
        )
    return redirect(f"/specifications/{version_id}", notice="saved")
