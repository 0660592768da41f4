"""Stacking rules on the web: an issuer's "Stacks" tab with its rules, the equivalences it
recognises and its assessment-only routes; a rule's own page; and the form that writes a
rule, where a circular or conflicting one is refused with the cycle named."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cairn.auth.dependencies import DbSession
from cairn.catalogue import service, stacking_service, stacking_views
from cairn.catalogue.enums import label
from cairn.catalogue.stacking import KIND_LABELS
from cairn.catalogue.stacking_schemas import (
    EquivalenceCreate,
    RplRouteCreate,
    StackRuleCreate,
    StackRuleFields,
)
from cairn.kit.actor import Actor
from cairn.kit.errors import Conflict, DomainError, InvalidInput
from cairn.orgs import service as orgs_service
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of, parse
from cairn.web.routes.orgs import org_context
from cairn.web.templating import render

router = APIRouter()
Text = Annotated[str, Form()]
Ids = Annotated[list[str], Form()]
FormError = ValidationError | InvalidInput | Conflict


def _status(error: FormError) -> int:
    return error.status if isinstance(error, DomainError) else 422


def _anchored(error: FormError) -> dict[str, str]:
    """Errors on one component (``specification_ids.2``) or on the components as a whole
    point at the group of boxes, where the summary's link lands."""
    found: dict[str, str] = {}
    for field, message in errors_of(error).items():
        name = field.split(".")[0]
        found.setdefault("specification_ids" if name == "components" else name, message)
    return found


def _rule_form(
    title: Text = "",
    kind: Text = "",
    n: Text = "",
    credits_required: Text = "",
    target_specification_id: Text = "",
    program_name: Text = "",
    program_code: Text = "",
    specification_ids: Ids = [],  # noqa: B006 - FastAPI copies form defaults
    rule_ids: Ids = [],  # noqa: B006
) -> dict[str, Any]:
    return {
        "title": title,
        "kind": kind,
        "n": n.strip(),
        "credits_required": credits_required.strip(),
        "target_specification_id": target_specification_id,
        "program_name": program_name.strip(),
        "program_code": program_code.strip(),
        "specification_ids": specification_ids,
        "rule_ids": rule_ids,
    }


RuleForm = Annotated[dict[str, Any], Depends(_rule_form)]


# The organisation's tab --------------------------------------------------------------------


def _stacks(
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
    rules = stacking_service.list_rules(session, actor, org.id)
    equivalences = stacking_service.list_equivalences(session, actor, org.id)
    routes = stacking_views.rpl_routes_of_organisation(session, actor, org.id)
    designs = service.can_design(actor, org.id)
    named = {
        *(s for rule in rules for s in rule.specification_ids),
        *(r.target_specification_id for r in rules if r.target_specification_id),
        *(e.specification_id for e in equivalences),
        *(e.equivalent_specification_id for e in equivalences),
        *(route.specification_id for route in routes),
    }
    context = org_context(actor, org, "stacks")
    context.update(
        rules=rules,
        equivalences=equivalences,
        routes=routes,
        designs=designs,
        heads=stacking_views.specification_heads(session, actor, named),
        rule_titles=stacking_views.rule_titles(
            session, actor, {r for rule in rules for r in rule.rule_ids}
        ),
        kind_labels=KIND_LABELS,
        own=[
            (str(specification.id), version.title)
            for specification, version in service.list_for_organisation(session, actor, org.id)
        ]
        if designs
        else [],
        others=[
            (str(head.specification_id), f"{head.title} · {head.issuer}")
            for head in stacking_views.component_choices(session, actor)
            if head.owner_org_id != org.id
        ]
        if designs
        else [],
        values=values or {},
        errors=errors or {},
    )
    return render(request, "stacking/list.html", context, actor=actor, status_code=status)


@router.get("/orgs/{org_id}/stacks")
def stacks_page(
    request: Request, org_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    return _stacks(request, session, actor, org_id)


@router.post("/orgs/{org_id}/stacks/equivalences")
def declare_equivalence(
    request: Request,
    org_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    specification_id: Text = "",
    equivalent_specification_id: Text = "",
    note: Text = "",
) -> Response:
    service.require_designer(session, actor, org_id)
    values = {
        "specification_id": specification_id,
        "equivalent_specification_id": equivalent_specification_id,
        "note": note.strip(),
    }
    try:
        stacking_service.declare_equivalence(session, actor, parse(EquivalenceCreate, values))
    except (ValidationError, InvalidInput, Conflict) as error:
        return _stacks(
            request,
            session,
            actor,
            org_id,
            values=values,
            errors=errors_of(error),
            status=_status(error),
        )
    return redirect(f"/orgs/{org_id}/stacks", notice="saved")


@router.post("/orgs/{org_id}/stacks/equivalences/{equivalence_id}/withdraw")
def withdraw_equivalence(
    org_id: uuid.UUID,
    equivalence_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    service.require_designer(session, actor, org_id)
    stacking_service.withdraw_equivalence(session, actor, equivalence_id)
    return redirect(f"/orgs/{org_id}/stacks", notice="deleted")


@router.post("/orgs/{org_id}/stacks/rpl-routes")
def add_rpl_route(
    request: Request,
    org_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    rpl_specification_id: Text = "",
    description: Text = "",
) -> Response:
    service.require_designer(session, actor, org_id)
    values = {"rpl_specification_id": rpl_specification_id, "description": description}
    try:
        data = parse(
            RplRouteCreate,
            {"specification_id": rpl_specification_id, "description": description.strip()},
        )
        stacking_service.add_rpl_route(session, actor, data)
    except (ValidationError, InvalidInput) as error:
        errors = {
            "rpl_specification_id" if field == "specification_id" else field: message
            for field, message in errors_of(error).items()
        }
        return _stacks(
            request, session, actor, org_id, values=values, errors=errors, status=_status(error)
        )
    return redirect(f"/orgs/{org_id}/stacks", notice="created")


# A rule's form -----------------------------------------------------------------------------


def _form_page(
    request: Request,
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    *,
    rule: stacking_service.RuleView | None = None,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    org = service.require_designer(session, actor, org_id)
    every_rule = stacking_service.list_rules(session, actor)
    context = org_context(actor, org, "stacks")
    context.update(
        rule=rule,
        action=f"/stacks/{rule.id}/edit" if rule else f"/orgs/{org.id}/stacks/new",
        kinds=list(KIND_LABELS.items()),
        targets=[
            (str(specification.id), f"{version.title} · {label(version.status)}")
            for specification, version in service.list_for_organisation(session, actor, org.id)
        ],
        choices=stacking_views.component_choices(session, actor),
        other_rules=[r for r in every_rule if rule is None or r.id != rule.id],
        owners=stacking_views.owner_names(session, actor, {r.owner_org_id for r in every_rule}),
        values=values,
        errors=errors or {},
    )
    return render(request, "stacking/form.html", context, actor=actor, status_code=status)


@router.get("/orgs/{org_id}/stacks/new")
def new_page(request: Request, org_id: uuid.UUID, session: DbSession, actor: WebActor) -> Response:
    return _form_page(request, session, actor, org_id, values={"kind": "all_of"})


@router.post("/orgs/{org_id}/stacks/new")
def create(
    request: Request,
    org_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    values: RuleForm,
    slug: Text = "",
) -> Response:
    service.require_designer(session, actor, org_id)
    try:
        data = parse(StackRuleCreate, {**values, "slug": slug.strip()})
        view = stacking_service.create_rule(session, actor, org_id, data)
    except (ValidationError, InvalidInput, Conflict) as error:
        return _form_page(
            request,
            session,
            actor,
            org_id,
            values={**values, "slug": slug},
            errors=_anchored(error),
            status=_status(error),
        )
    return redirect(f"/stacks/{view.id}", notice="created")


def _values(rule: stacking_service.RuleView) -> dict[str, Any]:
    return {
        "title": rule.title,
        "kind": rule.kind.value,
        "n": "" if rule.n is None else str(rule.n),
        "credits_required": "" if rule.credits_required is None else f"{rule.credits_required:g}",
        "target_specification_id": str(rule.target_specification_id or ""),
        "program_name": rule.program_name or "",
        "program_code": rule.program_code or "",
        "specification_ids": [str(s) for s in rule.specification_ids],
        "rule_ids": [str(r) for r in rule.rule_ids],
    }


@router.get("/stacks/{rule_id}/edit")
def edit_page(
    request: Request, rule_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    rule = stacking_service.get_rule(session, actor, rule_id)
    return _form_page(request, session, actor, rule.owner_org_id, rule=rule, values=_values(rule))


@router.post("/stacks/{rule_id}/edit")
def save(
    request: Request,
    rule_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    values: RuleForm,
) -> Response:
    rule = stacking_service.get_rule(session, actor, rule_id)
    service.require_designer(session, actor, rule.owner_org_id)
    try:
        stacking_service.update_rule(session, actor, rule_id, parse(StackRuleFields, values))
    except (ValidationError, InvalidInput, Conflict) as error:
        return _form_page(
            request,
            session,
            actor,
            rule.owner_org_id,
            rule=rule,
            values=values,
            errors=_anchored(error),
            status=_status(error),
        )
    return redirect(f"/stacks/{rule_id}", notice="saved")


# A rule's own page -------------------------------------------------------------------------


def _rule_page(
    request: Request,
    session: Session,
    actor: Actor,
    rule_id: uuid.UUID,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    rule = stacking_service.get_rule(session, actor, rule_id)
    named = [*rule.specification_ids]
    if rule.target_specification_id is not None:
        named.append(rule.target_specification_id)
    context = {
        "rule": rule,
        "kind_labels": KIND_LABELS,
        "heads": stacking_views.specification_heads(session, actor, named),
        "rule_titles": stacking_views.rule_titles(session, actor, rule.rule_ids),
        "included_in": stacking_views.included_in(session, actor, rule.id),
        "owner": stacking_views.owner_names(session, actor, [rule.owner_org_id]).get(
            rule.owner_org_id, ""
        ),
        "member": actor.is_platform_admin or rule.owner_org_id in actor.org_ids,
        "designs": service.can_design(actor, rule.owner_org_id),
        "spec_label": label,
        "errors": errors or {},
    }
    return render(request, "stacking/rule.html", context, actor=actor, status_code=status)


@router.get("/stacks/{rule_id}")
def rule_page(
    request: Request, rule_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    return _rule_page(request, session, actor, rule_id)


@router.post("/stacks/{rule_id}/delete")
def delete(
    request: Request, rule_id: uuid.UUID, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    owner = stacking_service.get_rule(session, actor, rule_id).owner_org_id
    try:
        stacking_service.delete_rule(session, actor, rule_id)
    except Conflict as error:
        return _rule_page(
            request, session, actor, rule_id, errors=errors_of(error), status=error.status
        )
    return redirect(f"/orgs/{owner}/stacks", notice="deleted")
