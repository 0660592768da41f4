"""Skill gaps: the department-by-skill heatmap of an organisation, for its administrators."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from cairn.api.v1.common import ERROR_RESPONSES
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.profiles import export
from cairn.profiles.heatmap import DEFAULT_MIN_CELL, department_heatmap

router = APIRouter(prefix="/orgs/{org_id}", tags=["skill gaps"], responses=ERROR_RESPONSES)


class GapCell(BaseModel):
    department: str
    skill: str
    skill_uri: str
    targeted: int
    assessed: int
    below: int | None
    share_below: float | None
    mean_gap: float | None


class GapHeatmap(BaseModel):
    min_cell: int
    cells: list[GapCell]


@router.get("/gaps", response_model=GapHeatmap, summary="Skill gaps by department and skill")
def read_gaps(
    org_id: uuid.UUID,
    session: DbSession,
    actor: ApiActor,
    department: Annotated[
        uuid.UUID | None, Query(description="Only this department and those under it.")
    ] = None,
    min_cell: Annotated[
        int, Query(ge=1, description="Hide cells with fewer assessed people.")
    ] = DEFAULT_MIN_CELL,
) -> GapHeatmap:
    heatmap = department_heatmap(
        session, actor, org_id, department_id=department, min_cell=min_cell
    )
    return GapHeatmap(
        min_cell=heatmap.min_cell, cells=[GapCell(**row) for row in export.rows(heatmap)]
    )
