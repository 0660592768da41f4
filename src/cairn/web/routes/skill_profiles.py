"""Skill-profile pages of a job role and of a department: read by members, edited by the
organisation's administrators; started from an occupation, then adjusted skill by skill."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cairn.auth.dependencies import DbSession
from cairn.kit.actor import Actor
from cairn.kit.errors import InvalidInput
from cairn.orgs import service as orgs_service
from cairn.orgs import skill_profiles
from cairn.orgs.permissions import is_org_admin
from cairn.orgs.schemas import FromOccupation, SkillProfileItemWrite
from cairn.orgs.skill_profiles import Target
from cairn.taxonomy import service as taxonomy_service
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of
from cairn.web.routes.orgs import org_context
from cairn.web.templating import render

router = APIRouter()
Text = Annotated[str, Form()]
SEARCH_RESULTS = 10
WEIGHTS = (1, 2, 3, 4, 5)


def _base(target: Target) -> str:
    if target.position_id is not None:
        return f"/orgs/{target.org_id}/roles/{target.position_id}/skills"
    return f"/orgs/{target.org_id}/departments/{target.department_id}/skills"


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    target: Target,
    *,
    skill_q: str = "",
    occupation_q: str = "",
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    view = skill_profiles.view(session, actor, target)
    org = orgs_service.get_organisation(session, actor, target.org_id)
    if target.position_id is not None:
        position = orgs_service.get_position(session, actor, org.id, target.position_id)
        context = org_context(actor, org, "roles")
        context.update(title=position.title, kind="role", back=f"/orgs/{org.id}/roles")
    else:
        assert target.department_id is not None  # noqa: S101 - Target guarantees one id
        department = orgs_service.get_department(session, actor, org.id, target.department_id)
        context = org_context(actor, org, "departments")
        context.update(title=department.name, kind="department", back=f"/orgs/{org.id}/departments")
    reader = actor.without_scopes()
    editing = is_org_admin(actor, org.id)
    context.update(
        view=view,
        base=_base(target),
        editing=editing,
        weights=WEIGHTS,
        skill_q=skill_q,
        occupation_q=occupation_q,
        skill_results=(
            taxonomy_service.search_skills(
                session, reader, taxonomy_service.SkillQuery(text=skill_q, limit=SEARCH_RESULTS)
            )
            if editing and skill_q.strip()
            else []
        ),
        occupation_results=(
            taxonomy_service.search_occupations(session, reader, occupation_q, limit=SEARCH_RESULTS)
            if editing and occupation_q.strip()
            else []
        ),
        frameworks={f.id: f for f in taxonomy_service.list_frameworks(session, reader)},
        errors=errors or {},
    )
    return render(request, "orgs/skill_profile.html", context, actor=actor, status_code=status)


def _add(
    request: Request,
    session: Session,
    actor: Actor,
    target: Target,
    skill_id: str,
    target_level: str,
    weight: str,
) -> Response:
    skill_profiles.require_editor(session, actor, target)
    try:
        data = SkillProfileItemWrite.model_validate(
            {"skill_id": skill_id, "target_level": target_level, "weight": weight or 3}
        )
        skill_profiles.set_item(session, actor, target, data)
    except (ValidationError, InvalidInput) as error:
        return _page(request, session, actor, target, errors=errors_of(error), status=422)
    return redirect(_base(target), notice="saved")


def _from_occupation(
    request: Request,
    session: Session,
    actor: Actor,
    target: Target,
    occupation_id: str,
    replace: str,
) -> Response:
    skill_profiles.require_editor(session, actor, target)
    try:
        data = FromOccupation.model_validate(
            {"occupation_id": occupation_id or None, "replace": replace == "yes"}
        )
        skill_profiles.start_from_occupation(session, actor, target, data)
    except (ValidationError, InvalidInput) as error:
        return _page(request, session, actor, target, errors=errors_of(error), status=422)
    return redirect(_base(target), notice="saved")


SkillQ = Annotated[str, Query(max_length=200)]


@router.get("/orgs/{org_id}/roles/{position_id}/skills")
def role_skills(
    request: Request,
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    skill_q: SkillQ = "",
    occupation_q: SkillQ = "",
) -> Response:
    target = Target(org_id, position_id=position_id)
    return _page(request, session, actor, target, skill_q=skill_q, occupation_q=occupation_q)


@router.post("/orgs/{org_id}/roles/{position_id}/skills")
def add_role_skill(
    request: Request,
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    skill_id: Text = "",
    target_level: Text = "",
    weight: Text = "",
) -> Response:
    target = Target(org_id, position_id=position_id)
    return _add(request, session, actor, target, skill_id, target_level, weight)


@router.post("/orgs/{org_id}/roles/{position_id}/skills/{skill_id}/remove")
def remove_role_skill(
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    skill_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    target = Target(org_id, position_id=position_id)
    skill_profiles.remove_item(session, actor, target, skill_id)
    return redirect(_base(target), notice="deleted")


@router.post("/orgs/{org_id}/roles/{position_id}/skills/from-occupation")
def role_from_occupation(
    request: Request,
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    occupation_id: Text = "",
    replace: Text = "",
) -> Response:
    target = Target(org_id, position_id=position_id)
    return _from_occupation(request, session, actor, target, occupation_id, replace)


@router.get("/orgs/{org_id}/departments/{department_id}/skills")
def department_skills(
    request: Request,
    org_id: uuid.UUID,
    department_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    skill_q: SkillQ = "",
    occupation_q: SkillQ = "",
) -> Response:
    target = Target(org_id, department_id=department_id)
    return _page(request, session, actor, target, skill_q=skill_q, occupation_q=occupation_q)


@router.post("/orgs/{org_id}/departments/{department_id}/skills")
def add_department_skill(
    request: Request,
    org_id: uuid.UUID,
    department_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    skill_id: Text = "",
    target_level: Text = "",
    weight: Text = "",
) -> Response:
    target = Target(org_id, department_id=department_id)
    return _add(request, session, actor, target, skill_id, target_level, weight)


@router.post("/orgs/{org_id}/departments/{department_id}/skills/{skill_id}/remove")
def remove_department_skill(
    org_id: uuid.UUID,
    department_id: uuid.UUID,
    skill_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    target = Target(org_id, department_id=department_id)
    skill_profiles.remove_item(session, actor, target, skill_id)
    return redirect(_base(target), notice="deleted")


@router.post("/orgs/{org_id}/departments/{department_id}/skills/from-occupation")
def department_from_occupation(
    request: Request,
    org_id: uuid.UUID,
    department_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    occupation_id: Text = "",
    replace: Text = "",
) -> Response:
    target = Target(org_id, department_id=department_id)
    return _from_occupation(request, session, actor, target, occupation_id, replace)
