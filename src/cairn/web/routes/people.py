"""People pages of an organisation: members, their roles and placement, and invitations."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError

from cairn.auth.dependencies import DbSession
from cairn.kit.actor import Actor
from cairn.kit.errors import DomainError
from cairn.kit.pagination import PageParams
from cairn.orgs import invitations
from cairn.orgs import service as orgs_service
from cairn.orgs.enums import label
from cairn.orgs.permissions import allowed_roles
from cairn.orgs.schemas import InvitationCreate, MembershipUpdate
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of, parse
from cairn.web.routes.orgs import department_options, org_context
from cairn.web.templating import render

router = APIRouter()
PER_PAGE = 25
Text = Annotated[str, Form()]


def _placement_options(session: DbSession, actor: Actor, org_id: uuid.UUID) -> dict[str, Any]:
    """Choices for role, department and job role, shared by the member and invite forms."""
    org = orgs_service.get_organisation(session, actor, org_id)
    departments = orgs_service.list_departments(session, actor, org_id)
    positions = orgs_service.list_positions(session, actor, org_id)
    return {
        "role_options": [(role.value, label(role)) for role in allowed_roles(actor, org)],
        "department_options": department_options(departments),
        "position_options": [(str(position.id), position.title) for position in positions],
        "department_names": {department.id: department.name for department in departments},
        "position_names": {position.id: position.title for position in positions},
    }


@router.get("/orgs/{org_id}/people")
def people_page(
    request: Request,
    org_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    page: Annotated[int, Query(ge=1)] = 1,
    q: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    org = orgs_service.get_organisation(session, actor, org_id)
    result = orgs_service.list_members(
        session, actor, org_id, PageParams(page=page, per_page=PER_PAGE), search=q.strip() or None
    )
    context = org_context(actor, org, "people")
    context.update(_placement_options(session, actor, org_id), result=result, q=q)
    return render(request, "orgs/people.html", context, actor=actor)


def _member_page(
    request: Request,
    session: DbSession,
    actor: Actor,
    org_id: uuid.UUID,
    membership_id: uuid.UUID,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    org = orgs_service.get_organisation(session, actor, org_id)
    membership = orgs_service.get_membership(session, actor, org_id, membership_id)
    context = org_context(actor, org, "people")
    context.update(
        _placement_options(session, actor, org_id),
        membership=membership,
        values=values
        or {
            "role": membership.role.value,
            "department_id": str(membership.department_id or ""),
            "position_id": str(membership.position_id or ""),
        },
        errors=errors or {},
    )
    return render(request, "orgs/member.html", context, actor=actor, status_code=status)


@router.get("/orgs/{org_id}/people/{membership_id}")
def member(
    request: Request,
    org_id: uuid.UUID,
    membership_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
) -> Response:
    return _member_page(request, session, actor, org_id, membership_id)


@router.post("/orgs/{org_id}/people/{membership_id}")
def update_member(
    request: Request,
    org_id: uuid.UUID,
    membership_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    role: Text = "",
    department_id: Text = "",
    position_id: Text = "",
) -> Response:
    values = {"role": role, "department_id": department_id, "position_id": position_id}
    try:
        data = MembershipUpdate.model_validate(
            {
                "role": role or None,
                "department_id": department_id or None,
                "position_id": position_id or None,
            }
        )
        orgs_service.update_membership(session, actor, org_id, membership_id, data)
    except (ValidationError, DomainError) as error:
        return _member_page(
            request,
            session,
            actor,
            org_id,
            membership_id,
            values=values,
            errors=errors_of(error),
            status=422,
        )
    return redirect(f"/orgs/{org_id}/people", notice="saved")


@router.post("/orgs/{org_id}/people/{membership_id}/remove")
def remove_member(
    request: Request,
    org_id: uuid.UUID,
    membership_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    try:
        orgs_service.remove_membership(session, actor, org_id, membership_id)
    except DomainError as error:
        return _member_page(
            request, session, actor, org_id, membership_id, errors=errors_of(error), status=409
        )
    return redirect(f"/orgs/{org_id}/people", notice="deleted")


# --- invitations ---------------------------------------------------------------------


def _invitations_page(
    request: Request,
    session: DbSession,
    actor: Actor,
    org_id: uuid.UUID,
    page: int = 1,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    org = orgs_service.get_organisation(session, actor, org_id)
    result = invitations.list_invitations(
        session, actor, org_id, PageParams(page=page, per_page=PER_PAGE)
    )
    context = org_context(actor, org, "invitations")
    context.update(
        _placement_options(session, actor, org_id),
        result=result,
        statuses={invitation.id: invitations.status_of(invitation) for invitation in result.items},
        values=values or {"role": "learner"},
        errors=errors or {},
    )
    return render(request, "orgs/invitations.html", context, actor=actor, status_code=status)


@router.get("/orgs/{org_id}/invitations")
def invitations_page(
    request: Request,
    org_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    return _invitations_page(request, session, actor, org_id, page)


@router.post("/orgs/{org_id}/invitations")
def invite(
    request: Request,
    org_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    email: Text = "",
    role: Text = "",
    department_id: Text = "",
    position_id: Text = "",
) -> Response:
    values = {
        "email": email,
        "role": role,
        "department_id": department_id,
        "position_id": position_id,
    }
    try:
        invitations.invite(session, actor, org_id, parse(InvitationCreate, values))
    except (ValidationError, DomainError) as error:
        return _invitations_page(
            request, session, actor, org_id, values=values, errors=errors_of(error), status=422
        )
    return redirect(f"/orgs/{org_id}/invitations", notice="invited")


@router.post("/orgs/{org_id}/invitations/{invitation_id}/revoke")
def revoke_invitation(
    request: Request,
    org_id: uuid.UUID,
    invitation_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    try:
        invitations.revoke_invitation(session, actor, org_id, invitation_id)
    except DomainError as error:
        return _invitations_page(
            request, session, actor, org_id, errors=errors_of(error), status=409
        )
    return redirect(f"/orgs/{org_id}/invitations", notice="revoked")
