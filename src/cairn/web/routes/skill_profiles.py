"""Skill-profile pages of a job role and of a department: read by members, edited by the
organisation's administrators; started from an occupation, then adjusted skill by skill."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cairn.auth.dependencies import DbSession
from cairn.intelligence import role_profiles
from cairn.intelligence import service as intelligence_service
from cairn.intelligence.role_profiles import RoleSkillSuggestion
from cairn.kit.actor import Actor
from cairn.kit.errors import Conflict, InvalidInput
from cairn.kit.i18n import gettext
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


def _heading(session: Session, actor: Actor, target: Target) -> dict[str, Any]:
    """The organisation's tabs and the role or department the page is about."""
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
    context.update(base=_base(target))
    return context


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
    context = _heading(session, actor, target)
    reader = actor.without_scopes()
    editing = is_org_admin(actor, target.org_id)
    context.update(
        view=view,
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


FROM_TEXT = "from-job-description"


@dataclass(frozen=True)
class _Choices:
    """What was ticked and chosen on the suggestions form, to show it again after an error."""

    ticked: frozenset[str]
    levels: dict[str, str]


def _from_text_page(
    request: Request,
    session: Session,
    actor: Actor,
    target: Target,
    *,
    text: str = "",
    framework: str = "",
    suggestions: list[RoleSkillSuggestion] | None = None,
    choices: _Choices | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = _heading(session, actor, target)
    frameworks = intelligence_service.frameworks_with_skills(session, actor)
    options = [(f"{f.slug}@{f.version}", f"{f.title} {f.version}") for f in frameworks]
    default = next((value for value, _ in options if value.startswith("esco@")), "")
    context.update(
        text=text,
        framework=framework or default or (options[0][0] if options else ""),
        frameworks=options,
        suggestions=suggestions,
        ticked=None if choices is None else choices.ticked,
        levels={} if choices is None else choices.levels,
        errors=errors or {},
    )
    return render(
        request, "orgs/skill_profile_from_text.html", context, actor=actor, status_code=status
    )


def _suggest(
    request: Request,
    session: Session,
    actor: Actor,
    target: Target,
    text: str,
    framework: str,
    *,
    choices: _Choices | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    try:
        suggestions = role_profiles.suggest_for_role(
            session, actor, target, text=text, framework=framework or None
        )
    except (InvalidInput, Conflict) as error:
        status = 409 if isinstance(error, Conflict) else 422
        return _from_text_page(
            request,
            session,
            actor,
            target,
            text=text,
            framework=framework,
            errors=errors_of(error),
            status=status,
        )
    used = suggestions[0].framework if suggestions else None
    return _from_text_page(
        request,
        session,
        actor,
        target,
        text=text,
        framework=f"{used.slug}@{used.version}" if used else framework,
        suggestions=suggestions,
        choices=choices,
        errors=errors,
        status=422 if errors else 200,
    )


async def _apply(request: Request, session: Session, actor: Actor, target: Target) -> Response:
    """Add the ticked skills at the chosen levels; after a refusal, the suggestions are
    worked out again from the job description the form carries and shown with the error."""
    skill_profiles.require_editor(session, actor, target)
    posted = await request.form()
    ticked = [str(value) for value in posted.getlist("skill")]
    levels = {
        str(key).removeprefix("level-"): str(value)
        for key, value in posted.multi_items()
        if str(key).startswith("level-")
    }
    choices = _Choices(frozenset(ticked), levels)
    text, framework = str(posted.get("text") or ""), str(posted.get("framework") or "")
    items: list[tuple[uuid.UUID, int | None]] = []
    errors: dict[str, str] = {}
    for value in ticked:
        try:
            skill_id = uuid.UUID(value)
        except ValueError:
            continue  # not one of the boxes the page offered
        level = levels.get(value, "")
        try:
            items.append((skill_id, int(level) if level else None))
        except ValueError:
            errors[f"level-{value}"] = gettext("Choose a level from the list.")
    if not errors:
        try:
            role_profiles.apply_suggestions(session, actor, target, items)
        except InvalidInput as error:
            errors = _apply_errors(errors_of(error), [str(skill_id) for skill_id, _ in items])
        else:
            return redirect(_base(target), notice="saved")
    return _suggest(
        request, session, actor, target, text, framework, choices=choices, errors=errors
    )


def _apply_errors(errors: dict[str, str], skill_ids: list[str]) -> dict[str, str]:
    """The service names items by position (``items.2.target_level``); the page shows each
    message beside that skill's level or box, and "choose one" above the list."""
    shown: dict[str, str] = {}
    for name, message in errors.items():
        parts = name.split(".")
        if parts[0] == "items" and len(parts) == 3 and int(parts[1]) < len(skill_ids):
            control = "level" if parts[2] == "target_level" else "skill"
            shown[f"{control}-{skill_ids[int(parts[1])]}"] = message
        else:
            shown["skill" if name == "items" else name] = message
    return shown


@router.get(f"/orgs/{{org_id}}/roles/{{position_id}}/skills/{FROM_TEXT}")
def role_from_text_page(
    request: Request, org_id: uuid.UUID, position_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    target = Target(org_id, position_id=position_id)
    skill_profiles.require_editor(session, actor, target)
    return _from_text_page(request, session, actor, target)


@router.post(f"/orgs/{{org_id}}/roles/{{position_id}}/skills/{FROM_TEXT}")
def role_from_text(
    request: Request,
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    text: Text = "",
    framework: Text = "",
) -> Response:
    target = Target(org_id, position_id=position_id)
    skill_profiles.require_editor(session, actor, target)
    return _suggest(request, session, actor, target, text, framework)


@router.post(f"/orgs/{{org_id}}/roles/{{position_id}}/skills/{FROM_TEXT}/apply")
async def role_apply_from_text(
    request: Request,
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    return await _apply(request, session, actor, Target(org_id, position_id=position_id))


@router.get(f"/orgs/{{org_id}}/departments/{{department_id}}/skills/{FROM_TEXT}")
def department_from_text_page(
    request: Request,
    org_id: uuid.UUID,
    department_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
) -> Response:
    target = Target(org_id, department_id=department_id)
    skill_profiles.require_editor(session, actor, target)
    return _from_text_page(request, session, actor, target)


@router.post(f"/orgs/{{org_id}}/departments/{{department_id}}/skills/{FROM_TEXT}")
def department_from_text(
    request: Request,
    org_id: uuid.UUID,
    department_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    text: Text = "",
    framework: Text = "",
) -> Response:
    target = Target(org_id, department_id=department_id)
    skill_profiles.require_editor(session, actor, target)
    return _suggest(request, session, actor, target, text, framework)


@router.post(f"/orgs/{{org_id}}/departments/{{department_id}}/skills/{FROM_TEXT}/apply")
async def department_apply_from_text(
    request: Request,
    org_id: uuid.UUID,
    department_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    return await _apply(request, session, actor, Target(org_id, department_id=department_id))
