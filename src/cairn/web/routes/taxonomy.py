"""Skills pages: search skills and occupations, browse the frameworks, read a skill (its
hierarchy, relations, levels, occupations) and an occupation (the skills it needs, its tasks).
Every signed-in person reads the public frameworks; an organisation's own, its members."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from cairn.auth.dependencies import DbSession
from cairn.kit.actor import Actor
from cairn.kit.errors import DomainError
from cairn.kit.i18n import gettext
from cairn.kit.pagination import PageParams
from cairn.taxonomy import browse, service
from cairn.taxonomy.enums import SkillType, label
from cairn.taxonomy.models import Framework, Occupation, Skill
from cairn.web.deps import WebActor
from cairn.web.forms import errors_of
from cairn.web.templating import render

router = APIRouter()
PER_PAGE = 50
SEARCH_RESULTS = 50
PageNumber = Annotated[int, Query(ge=1)]
Words = Annotated[str, Query(max_length=200)]
FrameworkName = Annotated[str, Query(max_length=120)]


def _render(
    request: Request,
    actor: Actor,
    template: str,
    context: Mapping[str, Any],
    *,
    status: int = 200,
) -> Response:
    """``term`` labels the taxonomy's enums (skill types, reuse levels, relations)."""
    return render(request, template, {**context, "term": label}, actor=actor, status_code=status)


def framework_key(framework: Framework) -> str:
    """How a filter names one framework version, e.g. ``esco@v1.2.0``."""
    return f"{framework.slug}@{framework.version}"


def _framework_options(frameworks: list[Framework]) -> list[tuple[str, str]]:
    return [(framework_key(f), f"{f.title} {f.version}") for f in frameworks]


# --- skills -------------------------------------------------------------------------


@router.get("/skills")
def skills_page(
    request: Request,
    session: DbSession,
    actor: WebActor,
    q: Words = "",
    framework: FrameworkName = "",
    skill_type: Annotated[str, Query(alias="type", max_length=40)] = "",
    collection: Annotated[str, Query(max_length=80)] = "",
) -> Response:
    frameworks = list(service.list_frameworks(session, actor))
    errors: dict[str, str] = {}
    chosen_type: SkillType | None = None
    if skill_type:
        try:
            chosen_type = SkillType(skill_type)
        except ValueError:
            errors["type"] = gettext("Choose one of the listed options.")
    try:
        collections = browse.search_collections(session, actor, framework or None)
    except DomainError as error:
        errors.update(errors_of(error))
        collections = browse.search_collections(session, actor)
    results: list[Skill] = []
    interpreted: str | None = None
    if q.strip() and not errors:
        query = service.SkillQuery(
            text=q,
            framework=framework or None,
            skill_type=chosen_type,
            collection=collection or None,
            limit=SEARCH_RESULTS,
        )
        try:
            results = service.search_skills(session, actor, query)
            interpreted = service.interpreted_query(session, actor, query)
        except DomainError as error:
            errors.update(errors_of(error))
    context = {
        "q": q,
        "values": {"framework": framework, "type": skill_type, "collection": collection},
        "errors": errors,
        "results": results,
        "interpreted": interpreted,
        "frameworks": {f.id: f for f in frameworks},
        "framework_options": _framework_options(frameworks),
        "type_options": [(kind.value, label(kind)) for kind in SkillType],
        "collection_options": [(c.slug, c.title) for c in collections],
    }
    return _render(request, actor, "taxonomy/search.html", context, status=422 if errors else 200)


@router.get("/skills/{skill_id}")
def skill_page(
    request: Request, skill_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    view = service.skill_view(session, actor, skill_id)
    context = {
        "view": view,
        "framework": view.framework,
        "levels": browse.skill_levels(view),
        "shown_narrower": service.SHOWN_NARROWER,
        "shown_occupations": service.SHOWN_OCCUPATIONS,
        "rated": any(need.importance is not None for _, need in view.occupations),
    }
    return _render(request, actor, "taxonomy/skill.html", context)


# --- frameworks ---------------------------------------------------------------------


@router.get("/frameworks")
def frameworks_page(request: Request, session: DbSession, actor: WebActor) -> Response:
    summaries = browse.framework_summaries(session, actor)
    return _render(request, actor, "taxonomy/frameworks.html", {"summaries": summaries})


@router.get("/frameworks/{framework_id}")
def framework_page(
    request: Request, framework_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    view = service.framework_view(session, actor, framework_id)
    context = {"view": view, "framework": view.framework, "key": framework_key(view.framework)}
    return _render(request, actor, "taxonomy/framework.html", context)


@router.get("/frameworks/{framework_id}/skills")
def framework_skills_page(
    request: Request,
    framework_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    page: PageNumber = 1,
) -> Response:
    framework = service.get_framework(session, actor, framework_id)
    result = service.list_skills(
        session, actor, framework.id, PageParams(page=page, per_page=PER_PAGE)
    )
    context = {"framework": framework, "result": result}
    return _render(request, actor, "taxonomy/framework_skills.html", context)


@router.get("/frameworks/{framework_id}/occupations")
def framework_occupations_page(
    request: Request,
    framework_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    page: PageNumber = 1,
    q: Words = "",
) -> Response:
    framework = service.get_framework(session, actor, framework_id)
    result = browse.occupations(
        session, actor, framework.id, PageParams(page=page, per_page=PER_PAGE), q
    )
    context = {"framework": framework, "result": result, "q": q.strip()}
    return _render(request, actor, "taxonomy/framework_occupations.html", context)


# --- occupations --------------------------------------------------------------------


@router.get("/occupations")
def occupations_page(
    request: Request,
    session: DbSession,
    actor: WebActor,
    q: Words = "",
    framework: FrameworkName = "",
) -> Response:
    frameworks = list(service.list_frameworks(session, actor))
    errors: dict[str, str] = {}
    results: list[Occupation] = []
    if q.strip():
        try:
            results = list(
                service.search_occupations(
                    session, actor, q, framework or None, limit=SEARCH_RESULTS
                )
            )
        except DomainError as error:
            errors.update(errors_of(error))
    context = {
        "q": q,
        "values": {"framework": framework},
        "errors": errors,
        "results": results,
        "frameworks": {f.id: f for f in frameworks},
        "framework_options": _framework_options(frameworks),
    }
    return _render(
        request, actor, "taxonomy/occupations.html", context, status=422 if errors else 200
    )


@router.get("/occupations/{occupation_id}")
def occupation_page(
    request: Request, occupation_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    view = service.occupation_view(session, actor, occupation_id)
    needs = [need for group in view.skill_groups for _, need in group.essential + group.optional]
    context = {
        "view": view,
        "framework": view.framework,
        "with_relation": any(need.relation is not None for need in needs),
        "rated": any(need.importance is not None or need.level is not None for need in needs),
        "core_known": any(task.core is not None for task in view.tasks),
    }
    return _render(request, actor, "taxonomy/occupation.html", context)
