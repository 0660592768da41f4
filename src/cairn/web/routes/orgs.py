"""Organisation pages: the list, registration, overview and settings, departments, job roles."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError

from cairn.auth.dependencies import DbSession
from cairn.kit.actor import Actor, Role
from cairn.kit.errors import DomainError
from cairn.kit.pagination import PageParams
from cairn.orgs import service as orgs_service
from cairn.orgs.enums import OrgKind, SizeBand, label
from cairn.orgs.models import Department, Organisation
from cairn.orgs.permissions import is_org_admin
from cairn.orgs.schemas import (
    DepartmentCreate,
    DepartmentUpdate,
    OrganisationCreate,
    OrganisationUpdate,
    PositionCreate,
    PositionUpdate,
)
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of, parse
from cairn.web.templating import render

router = APIRouter()
PER_PAGE = 25
Text = Annotated[str, Form()]


def org_context(actor: Actor, org: Organisation, tab: str) -> dict[str, Any]:
    """What the organisation's tab bar needs on every organisation page."""
    is_admin = is_org_admin(actor, org.id)
    return {
        "org": org,
        "tab": tab,
        "is_admin": is_admin,
        "sees_people": is_admin or Role.MANAGER in actor.roles_in(org.id),
    }


def department_children(
    departments: Sequence[Department],
) -> dict[uuid.UUID | None, list[Department]]:
    """Parent id (None for the top) → its departments by name: the tree, for nested lists."""
    children: dict[uuid.UUID | None, list[Department]] = {}
    for department in sorted(departments, key=lambda d: d.name.lower()):
        children.setdefault(department.parent_id, []).append(department)
    return children


def department_tree(departments: Sequence[Department]) -> list[tuple[Department, int]]:
    """Departments in tree order with their depth, for indented options."""
    children = department_children(departments)
    ordered: list[tuple[Department, int]] = []

    def walk(parent: uuid.UUID | None, depth: int) -> None:
        for department in children.get(parent, []):
            ordered.append((department, depth))
            walk(department.id, depth + 1)

    walk(None, 0)
    return ordered


def department_options(
    departments: Sequence[Department], *, excluding: uuid.UUID | None = None
) -> list[tuple[str, str]]:
    """(id, name) pairs indented by depth; ``excluding`` drops a department and its subtree."""
    options: list[tuple[str, str]] = []
    skip_below: int | None = None
    for department, depth in department_tree(departments):
        if skip_below is not None and depth > skip_below:
            continue
        skip_below = None
        if department.id == excluding:
            skip_below = depth
            continue
        options.append((str(department.id), "\u2014 " * depth + department.name))
    return options


# --- organisations -------------------------------------------------------------------


@router.get("/orgs")
def organisations(
    request: Request, session: DbSession, actor: WebActor, page: Annotated[int, Query(ge=1)] = 1
) -> Response:
    result = orgs_service.list_organisations(
        session, actor, PageParams(page=page, per_page=PER_PAGE)
    )
    return render(request, "orgs/list.html", {"result": result}, actor=actor)


def _organisation_form(
    request: Request,
    actor: Actor,
    template: str,
    context: dict[str, Any],
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        template,
        {
            **context,
            "errors": errors or {},
            "kinds": [(kind.value, label(kind)) for kind in OrgKind],
            "sizes": [(size.value, label(size)) for size in SizeBand],
        },
        actor=actor,
        status_code=status,
    )


@router.get("/orgs/new")
def new_organisation_page(request: Request, actor: WebActor) -> Response:
    orgs_service.require_can_register(actor)
    return _organisation_form(request, actor, "orgs/new.html", {"values": {}})


@router.post("/orgs/new")
def create_organisation(
    request: Request,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    name: Text = "",
    kind: Text = "",
    size_band: Text = "",
    sector: Text = "",
    region: Text = "",
    description: Text = "",
) -> Response:
    values = {
        "name": name,
        "kind": kind,
        "size_band": size_band,
        "sector": sector,
        "region": region,
        "description": description,
    }
    try:
        org = orgs_service.create_organisation(session, actor, parse(OrganisationCreate, values))
    except (ValidationError, DomainError) as error:
        return _organisation_form(
            request, actor, "orgs/new.html", {"values": values}, errors=errors_of(error), status=422
        )
    return redirect(f"/orgs/{org.id}", notice="created")


@router.get("/orgs/{org_id}")
def organisation(
    request: Request, org_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    org = orgs_service.get_organisation(session, actor, org_id)
    context = org_context(actor, org, "overview")
    context["department_count"] = len(orgs_service.list_departments(session, actor, org_id))
    context["position_count"] = len(orgs_service.list_positions(session, actor, org_id))
    context["people_count"] = orgs_service.count_people(session, actor, org_id)
    return render(request, "orgs/overview.html", context, actor=actor)


@router.get("/orgs/{org_id}/edit")
def edit_organisation_page(
    request: Request, org_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    org = orgs_service.get_organisation(session, actor, org_id)
    orgs_service.require_org_admin(session, actor, org_id)
    values = {
        "name": org.name,
        "size_band": org.size_band.value if org.size_band else "",
        "sector": org.sector or "",
        "region": org.region or "",
        "description": org.description or "",
    }
    return _organisation_form(
        request, actor, "orgs/edit.html", {**org_context(actor, org, "overview"), "values": values}
    )


@router.post("/orgs/{org_id}/edit")
def update_organisation(
    request: Request,
    org_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    name: Text = "",
    size_band: Text = "",
    sector: Text = "",
    region: Text = "",
    description: Text = "",
) -> Response:
    values = {
        "name": name,
        "size_band": size_band,
        "sector": sector,
        "region": region,
        "description": description,
    }
    org = orgs_service.get_organisation(session, actor, org_id)
    try:
        data = OrganisationUpdate.model_validate(
            {
                "name": name,
                "size_band": size_band or None,
                "sector": sector or None,
                "region": region or None,
                "description": description or None,
            }
        )
        orgs_service.update_organisation(session, actor, org_id, data)
    except (ValidationError, DomainError) as error:
        return _organisation_form(
            request,
            actor,
            "orgs/edit.html",
            {**org_context(actor, org, "overview"), "values": values},
            errors=errors_of(error),
            status=422,
        )
    return redirect(f"/orgs/{org_id}", notice="saved")


# --- departments ---------------------------------------------------------------------


def _departments_page(
    request: Request,
    session: DbSession,
    actor: Actor,
    org_id: uuid.UUID,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    org = orgs_service.get_organisation(session, actor, org_id)
    departments = orgs_service.list_departments(session, actor, org_id)
    context = org_context(actor, org, "departments")
    context.update(
        children=department_children(departments),
        parent_options=department_options(departments),
        values=values or {},
        errors=errors or {},
    )
    return render(request, "orgs/departments.html", context, actor=actor, status_code=status)


@router.get("/orgs/{org_id}/departments")
def departments(
    request: Request, org_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    return _departments_page(request, session, actor, org_id)


@router.post("/orgs/{org_id}/departments")
def create_department(
    request: Request,
    org_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    name: Text = "",
    parent_id: Text = "",
) -> Response:
    values = {"name": name, "parent_id": parent_id}
    try:
        orgs_service.create_department(session, actor, org_id, parse(DepartmentCreate, values))
    except (ValidationError, DomainError) as error:
        return _departments_page(
            request, session, actor, org_id, values=values, errors=errors_of(error), status=422
        )
    return redirect(f"/orgs/{org_id}/departments", notice="created")


def _department_page(
    request: Request,
    session: DbSession,
    actor: Actor,
    org_id: uuid.UUID,
    department_id: uuid.UUID,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    org = orgs_service.get_organisation(session, actor, org_id)
    department = orgs_service.get_department(session, actor, org_id, department_id)
    orgs_service.require_org_admin(session, actor, org_id)
    departments = orgs_service.list_departments(session, actor, org_id)
    context = org_context(actor, org, "departments")
    context.update(
        department=department,
        parent_options=department_options(departments, excluding=department.id),
        values=values or {"name": department.name, "parent_id": str(department.parent_id or "")},
        errors=errors or {},
    )
    return render(request, "orgs/department.html", context, actor=actor, status_code=status)


@router.get("/orgs/{org_id}/departments/{department_id}")
def department(
    request: Request,
    org_id: uuid.UUID,
    department_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
) -> Response:
    return _department_page(request, session, actor, org_id, department_id)


@router.post("/orgs/{org_id}/departments/{department_id}")
def update_department(
    request: Request,
    org_id: uuid.UUID,
    department_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    name: Text = "",
    parent_id: Text = "",
) -> Response:
    values = {"name": name, "parent_id": parent_id}
    try:
        data = DepartmentUpdate.model_validate(
            {"name": name, "parent_id": parent_id or None, "move_to_top": not parent_id}
        )
        orgs_service.update_department(session, actor, org_id, department_id, data)
    except (ValidationError, DomainError) as error:
        return _department_page(
            request,
            session,
            actor,
            org_id,
            department_id,
            values=values,
            errors=errors_of(error),
            status=422,
        )
    return redirect(f"/orgs/{org_id}/departments", notice="saved")


@router.post("/orgs/{org_id}/departments/{department_id}/delete")
def delete_department(
    request: Request,
    org_id: uuid.UUID,
    department_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    try:
        orgs_service.delete_department(session, actor, org_id, department_id)
    except DomainError as error:
        return _department_page(
            request, session, actor, org_id, department_id, errors=errors_of(error), status=409
        )
    return redirect(f"/orgs/{org_id}/departments", notice="deleted")


# --- job roles (positions) -----------------------------------------------------------


def _roles_page(
    request: Request,
    session: DbSession,
    actor: Actor,
    org_id: uuid.UUID,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    org = orgs_service.get_organisation(session, actor, org_id)
    departments = orgs_service.list_departments(session, actor, org_id)
    names = {department.id: department.name for department in departments}
    context = org_context(actor, org, "roles")
    context.update(
        positions=orgs_service.list_positions(session, actor, org_id),
        department_names=names,
        department_options=department_options(departments),
        values=values or {},
        errors=errors or {},
    )
    return render(request, "orgs/roles.html", context, actor=actor, status_code=status)


@router.get("/orgs/{org_id}/roles")
def roles(request: Request, org_id: uuid.UUID, session: DbSession, actor: WebActor) -> Response:
    return _roles_page(request, session, actor, org_id)


@router.post("/orgs/{org_id}/roles")
def create_role(
    request: Request,
    org_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    title: Text = "",
    department_id: Text = "",
    description: Text = "",
) -> Response:
    values = {"title": title, "department_id": department_id, "description": description}
    try:
        orgs_service.create_position(session, actor, org_id, parse(PositionCreate, values))
    except (ValidationError, DomainError) as error:
        return _roles_page(
            request, session, actor, org_id, values=values, errors=errors_of(error), status=422
        )
    return redirect(f"/orgs/{org_id}/roles", notice="created")


def _role_page(
    request: Request,
    session: DbSession,
    actor: Actor,
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    org = orgs_service.get_organisation(session, actor, org_id)
    position = orgs_service.get_position(session, actor, org_id, position_id)
    orgs_service.require_org_admin(session, actor, org_id)
    context = org_context(actor, org, "roles")
    context.update(
        position=position,
        department_options=department_options(
            orgs_service.list_departments(session, actor, org_id)
        ),
        values=values
        or {
            "title": position.title,
            "department_id": str(position.department_id or ""),
            "description": position.description or "",
        },
        errors=errors or {},
    )
    return render(request, "orgs/role.html", context, actor=actor, status_code=status)


@router.get("/orgs/{org_id}/roles/{position_id}")
def role(
    request: Request, org_id: uuid.UUID, position_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    return _role_page(request, session, actor, org_id, position_id)


@router.post("/orgs/{org_id}/roles/{position_id}")
def update_role(
    request: Request,
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    title: Text = "",
    department_id: Text = "",
    description: Text = "",
) -> Response:
    values = {"title": title, "department_id": department_id, "description": description}
    try:
        data = PositionUpdate.model_validate(
            {
                "title": title,
                "department_id": department_id or None,
                "description": description or None,
            }
        )
        orgs_service.update_position(session, actor, org_id, position_id, data)
    except (ValidationError, DomainError) as error:
        return _role_page(
            request,
            session,
            actor,
            org_id,
            position_id,
            values=values,
            errors=errors_of(error),
            status=422,
        )
    return redirect(f"/orgs/{org_id}/roles", notice="saved")


@router.post("/orgs/{org_id}/roles/{position_id}/delete")
def delete_role(
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    orgs_service.delete_position(session, actor, org_id, position_id)
    return redirect(f"/orgs/{org_id}/roles", notice="deleted")
