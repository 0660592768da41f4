"""The skill-gap heatmap of an organisation, for its administrators, with a CSV download."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from cairn.auth.dependencies import DbSession
from cairn.kit.downloads import csv_attachment
from cairn.orgs import service as orgs_service
from cairn.profiles import export
from cairn.profiles.heatmap import DEFAULT_MIN_CELL, department_heatmap
from cairn.web.deps import WebActor
from cairn.web.routes.orgs import org_context
from cairn.web.templating import render

router = APIRouter()
Department = Annotated[uuid.UUID | None, Query()]


@router.get("/orgs/{org_id}/gaps")
def gaps_page(
    request: Request,
    org_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    department: Department = None,
) -> Response:
    org = orgs_service.get_organisation(session, actor, org_id)
    heatmap = department_heatmap(session, actor, org.id, department_id=department)
    context = org_context(actor, org, "gaps")
    context.update(
        heatmap=heatmap,
        departments=orgs_service.list_departments(session, actor, org.id),
        chosen=department,
        min_cell=DEFAULT_MIN_CELL,
    )
    return render(request, "orgs/gaps.html", context, actor=actor)


@router.get("/orgs/{org_id}/gaps.csv")
def gaps_csv(
    org_id: uuid.UUID, session: DbSession, actor: WebActor, department: Department = None
) -> Response:
    heatmap = department_heatmap(session, actor, org_id, department_id=department)
    return Response(
        export.to_csv(heatmap),
        headers=csv_attachment("skill-gaps.csv"),
    )
