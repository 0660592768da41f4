"""Pathways: a learner plans their way to a role or a credential, saves the plan and
follows it (``pathways:read`` to plan and read, ``pathways:write`` to save and re-plan)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from cairn.api.v1.common import ERROR_RESPONSES
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.pathways import service
from cairn.pathways.schemas import PathwayRead, PlanRead, PlanRequest

router = APIRouter(prefix="/me/pathways", tags=["pathways"], responses=ERROR_RESPONSES)


@router.post(
    "/plan",
    response_model=PlanRead,
    summary="Plan a pathway without saving it: every step explained, or why none exists",
)
def plan(data: PlanRequest, session: DbSession, actor: ApiActor) -> PlanRead:
    return service.plan(session, actor, data)


@router.get("", response_model=list[PathwayRead], summary="My pathways, newest first")
def list_pathways(session: DbSession, actor: ApiActor) -> list[PathwayRead]:
    return [service.read(session, p) for p in service.list_pathways(session, actor)]


@router.post(
    "",
    response_model=PathwayRead,
    status_code=status.HTTP_201_CREATED,
    summary="Plan and save a pathway (refused with its blockers when no plan exists)",
)
def save(data: PlanRequest, session: DbSession, actor: ApiActor) -> PathwayRead:
    return service.read(session, service.save(session, actor, data))


@router.get(
    "/{pathway_id}",
    response_model=PathwayRead,
    summary="One of my pathways, its steps following my enrolments and awards",
)
def show(pathway_id: uuid.UUID, session: DbSession, actor: ApiActor) -> PathwayRead:
    return service.show(session, actor, pathway_id)


@router.post(
    "/{pathway_id}/replan",
    response_model=PathwayRead,
    summary="Re-plan what is left, keeping steps enrolled in or completed",
)
def replan(pathway_id: uuid.UUID, session: DbSession, actor: ApiActor) -> PathwayRead:
    return service.read(session, service.replan(session, actor, pathway_id))


@router.post("/{pathway_id}/archive", response_model=PathwayRead, summary="Stop following it")
def archive(pathway_id: uuid.UUID, session: DbSession, actor: ApiActor) -> PathwayRead:
    return service.read(session, service.archive(session, actor, pathway_id))
