"""Organisations, departments, job roles, members and invitations."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from cairn.api.v1.common import ERROR_RESPONSES, PageQuery, to_page
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.kit.pagination import Page
from cairn.orgs import invitations
from cairn.orgs import service as orgs_service
from cairn.orgs.models import Invitation, Membership
from cairn.orgs.schemas import (
    DepartmentCreate,
    DepartmentRead,
    DepartmentUpdate,
    InvitationCreate,
    InvitationRead,
    MemberRead,
    MembershipUpdate,
    OrganisationCreate,
    OrganisationRead,
    OrganisationUpdate,
    PositionCreate,
    PositionRead,
    PositionUpdate,
)

router = APIRouter(prefix="/orgs", tags=["organisations"], responses=ERROR_RESPONSES)
NO_CONTENT = status.HTTP_204_NO_CONTENT


def member_read(membership: Membership) -> MemberRead:
    return MemberRead(
        membership_id=membership.id,
        person_id=membership.person_id,
        display_name=membership.person.display_name,
        email=membership.person.email,
        role=membership.role,
        department_id=membership.department_id,
        position_id=membership.position_id,
    )


class InvitationWithStatus(InvitationRead):
    status: invitations.InvitationStatus


def invitation_read(invitation: Invitation) -> InvitationWithStatus:
    return InvitationWithStatus.model_validate(
        {
            **InvitationRead.model_validate(invitation).model_dump(),
            "status": invitations.status_of(invitation),
        }
    )


@router.get("", response_model=Page[OrganisationRead], summary="List my organisations")
def list_organisations(
    session: DbSession, actor: ApiActor, params: PageQuery
) -> Page[OrganisationRead]:
    return to_page(
        orgs_service.list_organisations(session, actor, params), OrganisationRead.model_validate
    )


@router.post(
    "", response_model=OrganisationRead, status_code=201, summary="Register an organisation"
)
def create_organisation(
    data: OrganisationCreate, session: DbSession, actor: ApiActor
) -> OrganisationRead:
    return OrganisationRead.model_validate(orgs_service.create_organisation(session, actor, data))


@router.get("/{org_id}", response_model=OrganisationRead, summary="Read an organisation")
def read_organisation(org_id: uuid.UUID, session: DbSession, actor: ApiActor) -> OrganisationRead:
    return OrganisationRead.model_validate(orgs_service.get_organisation(session, actor, org_id))


@router.patch("/{org_id}", response_model=OrganisationRead, summary="Update an organisation")
def update_organisation(
    org_id: uuid.UUID, data: OrganisationUpdate, session: DbSession, actor: ApiActor
) -> OrganisationRead:
    return OrganisationRead.model_validate(
        orgs_service.update_organisation(session, actor, org_id, data)
    )


@router.get(
    "/{org_id}/departments", response_model=list[DepartmentRead], summary="List the department tree"
)
def list_departments(
    org_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> list[DepartmentRead]:
    return [
        DepartmentRead.model_validate(d)
        for d in orgs_service.list_departments(session, actor, org_id)
    ]


@router.post(
    "/{org_id}/departments",
    response_model=DepartmentRead,
    status_code=201,
    summary="Add a department",
)
def create_department(
    org_id: uuid.UUID, data: DepartmentCreate, session: DbSession, actor: ApiActor
) -> DepartmentRead:
    return DepartmentRead.model_validate(
        orgs_service.create_department(session, actor, org_id, data)
    )


@router.get(
    "/{org_id}/departments/{department_id}",
    response_model=DepartmentRead,
    summary="Read a department",
)
def read_department(
    org_id: uuid.UUID, department_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> DepartmentRead:
    return DepartmentRead.model_validate(
        orgs_service.get_department(session, actor, org_id, department_id)
    )


@router.patch(
    "/{org_id}/departments/{department_id}", response_model=DepartmentRead, summary="Rename or move"
)
def update_department(
    org_id: uuid.UUID,
    department_id: uuid.UUID,
    data: DepartmentUpdate,
    session: DbSession,
    actor: ApiActor,
) -> DepartmentRead:
    return DepartmentRead.model_validate(
        orgs_service.update_department(session, actor, org_id, department_id, data)
    )


@router.delete(
    "/{org_id}/departments/{department_id}", status_code=NO_CONTENT, summary="Delete a department"
)
def delete_department(
    org_id: uuid.UUID, department_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> Response:
    orgs_service.delete_department(session, actor, org_id, department_id)
    return Response(status_code=NO_CONTENT)


@router.get("/{org_id}/positions", response_model=list[PositionRead], summary="List job roles")
def list_positions(org_id: uuid.UUID, session: DbSession, actor: ApiActor) -> list[PositionRead]:
    return [
        PositionRead.model_validate(p) for p in orgs_service.list_positions(session, actor, org_id)
    ]


@router.post(
    "/{org_id}/positions", response_model=PositionRead, status_code=201, summary="Add a job role"
)
def create_position(
    org_id: uuid.UUID, data: PositionCreate, session: DbSession, actor: ApiActor
) -> PositionRead:
    return PositionRead.model_validate(orgs_service.create_position(session, actor, org_id, data))


@router.get(
    "/{org_id}/positions/{position_id}", response_model=PositionRead, summary="Read a job role"
)
def read_position(
    org_id: uuid.UUID, position_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> PositionRead:
    return PositionRead.model_validate(
        orgs_service.get_position(session, actor, org_id, position_id)
    )


@router.patch(
    "/{org_id}/positions/{position_id}", response_model=PositionRead, summary="Update a job role"
)
def update_position(
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    data: PositionUpdate,
    session: DbSession,
    actor: ApiActor,
) -> PositionRead:
    return PositionRead.model_validate(
        orgs_service.update_position(session, actor, org_id, position_id, data)
    )


@router.delete(
    "/{org_id}/positions/{position_id}", status_code=NO_CONTENT, summary="Delete a job role"
)
def delete_position(
    org_id: uuid.UUID, position_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> Response:
    orgs_service.delete_position(session, actor, org_id, position_id)
    return Response(status_code=NO_CONTENT)


@router.get("/{org_id}/members", response_model=Page[MemberRead], summary="List members")
def list_members(
    org_id: uuid.UUID,
    session: DbSession,
    actor: ApiActor,
    params: PageQuery,
    q: Annotated[str | None, Query(max_length=100, description="Match on name or e-mail.")] = None,
) -> Page[MemberRead]:
    return to_page(orgs_service.list_members(session, actor, org_id, params, search=q), member_read)


@router.get(
    "/{org_id}/members/{membership_id}", response_model=MemberRead, summary="Read a membership"
)
def read_member(
    org_id: uuid.UUID, membership_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> MemberRead:
    return member_read(orgs_service.get_membership(session, actor, org_id, membership_id))


@router.patch(
    "/{org_id}/members/{membership_id}",
    response_model=MemberRead,
    summary="Change role or placement",
)
def update_member(
    org_id: uuid.UUID,
    membership_id: uuid.UUID,
    data: MembershipUpdate,
    session: DbSession,
    actor: ApiActor,
) -> MemberRead:
    return member_read(orgs_service.update_membership(session, actor, org_id, membership_id, data))


@router.delete(
    "/{org_id}/members/{membership_id}", status_code=NO_CONTENT, summary="Remove a membership"
)
def remove_member(
    org_id: uuid.UUID, membership_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> Response:
    orgs_service.remove_membership(session, actor, org_id, membership_id)
    return Response(status_code=NO_CONTENT)


@router.get(
    "/{org_id}/invitations", response_model=Page[InvitationWithStatus], summary="List invitations"
)
def list_invitations(
    org_id: uuid.UUID, session: DbSession, actor: ApiActor, params: PageQuery
) -> Page[InvitationWithStatus]:
    return to_page(invitations.list_invitations(session, actor, org_id, params), invitation_read)


@router.post(
    "/{org_id}/invitations",
    response_model=InvitationWithStatus,
    status_code=201,
    summary="Invite someone by e-mail",
)
def create_invitation(
    org_id: uuid.UUID, data: InvitationCreate, session: DbSession, actor: ApiActor
) -> InvitationWithStatus:
    return invitation_read(invitations.invite(session, actor, org_id, data))


@router.delete(
    "/{org_id}/invitations/{invitation_id}", response_model=InvitationWithStatus, summary="Revoke"
)
def revoke_invitation(
    org_id: uuid.UUID, invitation_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> InvitationWithStatus:
    return invitation_read(invitations.revoke_invitation(session, actor, org_id, invitation_id))
