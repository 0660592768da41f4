"""Ratings pages: my self-assessment, peer ratings I asked for or was asked for, and a
manager's rating of a member. Every level is a radio button in a fieldset per skill, with
the level's descriptor read out with it (decision 0020)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from cairn.assessment import ratings
from cairn.assessment.rating_schemas import RatingRequestCreate, RatingsWrite
from cairn.auth.dependencies import DbSession
from cairn.kit.actor import Actor
from cairn.kit.errors import DomainError
from cairn.orgs import people
from cairn.taxonomy import service as taxonomy_service
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of
from cairn.web.routes.orgs import org_context
from cairn.web.templating import render

router = APIRouter()
SEARCH_RESULTS = 10
SearchText = Annotated[str, Query(max_length=200)]
AddedSkills = Annotated[list[str], Query()]
Text = Annotated[str, Form()]
RATING_FIELD = re.compile(r"^ratings\.(\d+)\.")


async def _posted_form(request: Request) -> FormData:
    """The whole posted form: levels arrive as ``level-<skill id>``, one name per skill."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(_posted_form)]


def _ids(values: Iterable[str]) -> list[uuid.UUID]:
    """Skill ids from the query or hidden fields; anything else is ignored, not an error."""
    found: list[uuid.UUID] = []
    for value in values:
        try:
            found.append(uuid.UUID(value))
        except ValueError:
            continue
    return found


def _search(
    session: Session, actor: Actor, path: str, q: str, added: Sequence[uuid.UUID]
) -> dict[str, Any]:
    """The "add a skill" search under a form: each result links to the page with it added."""
    results = (
        taxonomy_service.search_skills(
            session,
            actor.without_scopes(),
            taxonomy_service.SkillQuery(text=q.strip(), limit=SEARCH_RESULTS),
        )
        if q.strip()
        else []
    )
    return {
        "q": q,
        "search_path": path,
        "added": [str(skill_id) for skill_id in added],
        "results": [
            (skill, f"{path}?{urlencode([('skill', str(s)) for s in [*added, skill.id]])}")
            for skill in results
            if not skill.is_group
        ],
    }


def _levels_posted(form: FormData, skill_ids: Sequence[uuid.UUID]) -> dict[str, str]:
    return {f"level-{skill_id}": str(form.get(f"level-{skill_id}") or "") for skill_id in skill_ids}


def _chosen(form: FormData, skill_ids: Sequence[uuid.UUID]) -> list[tuple[uuid.UUID, str]]:
    """The levels chosen, in the order shown; a skill left at "not rated" is skipped."""
    return [
        (skill_id, value)
        for skill_id in skill_ids
        if (value := str(form.get(f"level-{skill_id}") or ""))
    ]


def _ratings_data(chosen: list[tuple[uuid.UUID, str]], comment: str) -> RatingsWrite:
    return RatingsWrite.model_validate(
        {
            "ratings": [{"skill_id": skill_id, "level": value} for skill_id, value in chosen],
            "comment": comment or None,
        }
    )


def _rating_errors(
    error: ValidationError | DomainError,
    rated: Sequence[uuid.UUID],
    shown: Sequence[uuid.UUID],
) -> dict[str, str]:
    """Errors about ``ratings.<n>`` point at that skill's fieldset, "rate at least one" at
    the first fieldset, and any about one of ``skill_ids`` at the list of skills."""
    errors: dict[str, str] = {}
    for field, message in errors_of(error).items():
        match = RATING_FIELD.match(field)
        if match and int(match.group(1)) < len(rated):
            field = f"level-{rated[int(match.group(1))]}"
        elif field == "ratings":
            field = f"level-{shown[0]}" if shown else "__root__"
        elif field.startswith("skill_ids."):
            field = "skill_ids"
        errors[field] = message
    return errors


# --- self-assessment ------------------------------------------------------------------


def _self_page(
    request: Request,
    session: Session,
    actor: Actor,
    skills: list[ratings.RatableSkill],
    *,
    q: str = "",
    added: Sequence[uuid.UUID] = (),
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = {
        "skills": skills,
        "values": values or {},
        "errors": errors or {},
        **_search(session, actor, "/assessments/self", q, added),
    }
    return render(request, "ratings/self.html", context, actor=actor, status_code=status)


@router.get("/assessments/self")
def self_assessment(
    request: Request,
    session: DbSession,
    actor: WebActor,
    q: SearchText = "",
    skill: AddedSkills = [],  # noqa: B006 - FastAPI copies query defaults
) -> Response:
    added = _ids(skill)
    skills = ratings.self_assessment_skills(session, actor, added)
    return _self_page(request, session, actor, skills, q=q, added=added)


@router.post("/assessments/self")
def save_self_assessment(
    request: Request,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    form: PostedForm,
    skill: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies form defaults
    comment: Text = "",
) -> Response:
    shown = _ids(skill)
    chosen = _chosen(form, shown)
    try:
        ratings.self_assess(session, actor, _ratings_data(chosen, comment))
    except (ValidationError, DomainError) as error:
        return _self_page(
            request,
            session,
            actor,
            ratings.ratable_skills(session, actor, shown),
            values={**_levels_posted(form, shown), "comment": comment},
            errors=_rating_errors(error, [skill_id for skill_id, _ in chosen], shown),
            status=422,
        )
    return redirect("/profile/skills", notice="saved")


# --- peer ratings ---------------------------------------------------------------------


def _requests_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    q: str = "",
    added: Sequence[uuid.UUID] = (),
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    orgs = [org for _, org in people.my_memberships(session, actor)]
    context = {
        "mine": ratings.my_requests(session, actor),
        "status_label": ratings.status_label,
        "org_options": list(dict.fromkeys((str(org.id), org.name) for org in orgs)),
        "candidates": ratings.self_assessment_skills(session, actor, added),
        "values": values or {"skill_ids": [str(skill_id) for skill_id in added]},
        "errors": errors or {},
        **_search(session, actor, "/assessments/ratings", q, added),
    }
    return render(request, "ratings/requests.html", context, actor=actor, status_code=status)


@router.get("/assessments/ratings")
def rating_requests(
    request: Request,
    session: DbSession,
    actor: WebActor,
    q: SearchText = "",
    skill: AddedSkills = [],  # noqa: B006 - FastAPI copies query defaults
) -> Response:
    return _requests_page(request, session, actor, q=q, added=_ids(skill))


@router.post("/assessments/ratings")
def ask_for_rating(
    request: Request,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    rater_email: Text = "",
    org_id: Text = "",
    message: Text = "",
    skill_ids: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies form defaults
    skill: Annotated[list[str], Form()] = [],  # noqa: B006
) -> Response:
    values = {"rater_email": rater_email, "org_id": org_id, "message": message}
    try:
        data = RatingRequestCreate.model_validate(
            {
                "rater_email": rater_email,
                "org_id": org_id or None,
                "skill_ids": skill_ids,
                "message": message or None,
            }
        )
        ratings.request_rating(session, actor, data)
    except (ValidationError, DomainError) as error:
        return _requests_page(
            request,
            session,
            actor,
            added=_ids(skill),
            values={**values, "skill_ids": skill_ids},
            errors=_rating_errors(error, [], []),
            status=422,
        )
    return redirect("/assessments/ratings", notice="created")


def _request_page(
    request: Request,
    session: Session,
    actor: Actor,
    request_id: uuid.UUID,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    view = ratings.get_request(session, actor, request_id)
    context = {
        "view": view,
        "status_label": ratings.status_label,
        "answering": view.rater.id == actor.person_id and view.status is ratings.RequestStatus.OPEN,
        "skills": view.skills,
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, "ratings/request.html", context, actor=actor, status_code=status)


@router.get("/assessments/ratings/{request_id}")
def rating_request(
    request: Request, request_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    return _request_page(request, session, actor, request_id)


@router.post("/assessments/ratings/{request_id}")
def answer_rating_request(
    request: Request,
    request_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    form: PostedForm,
    comment: Text = "",
) -> Response:
    shown = [item.skill.id for item in ratings.get_request(session, actor, request_id).skills]
    chosen = _chosen(form, shown)
    try:
        ratings.answer_request(session, actor, request_id, _ratings_data(chosen, comment))
    except (ValidationError, DomainError) as error:
        return _request_page(
            request,
            session,
            actor,
            request_id,
            values={**_levels_posted(form, shown), "comment": comment},
            errors=_rating_errors(error, [skill_id for skill_id, _ in chosen], shown),
            status=error.status if isinstance(error, DomainError) else 422,
        )
    return redirect("/assessments/ratings", notice="saved")


@router.post("/assessments/ratings/{request_id}/decline")
def decline_rating_request(
    request: Request,
    request_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    try:
        ratings.decline_request(session, actor, request_id)
    except DomainError as error:
        return _request_page(
            request, session, actor, request_id, errors=errors_of(error), status=error.status
        )
    return redirect("/assessments/ratings", notice="saved")


# --- a manager's rating ---------------------------------------------------------------


def _manager_page(
    request: Request,
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    person_id: uuid.UUID,
    skills: list[ratings.RatableSkill],
    *,
    q: str = "",
    added: Sequence[uuid.UUID] = (),
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    rated = ratings.rated_person(session, actor, org_id, person_id)
    path = f"/orgs/{org_id}/people/{person_id}/rating"
    context = org_context(actor, rated.org, "people")
    context.update(
        person=rated.person,
        action=path,
        skills=skills,
        values=values or {},
        errors=errors or {},
        **_search(session, actor, path, q, added),
    )
    return render(request, "ratings/manager.html", context, actor=actor, status_code=status)


@router.get("/orgs/{org_id}/people/{person_id}/rating")
def manager_rating(
    request: Request,
    org_id: uuid.UUID,
    person_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    q: SearchText = "",
    skill: AddedSkills = [],  # noqa: B006 - FastAPI copies query defaults
) -> Response:
    added = _ids(skill)
    skills = ratings.manager_rating_skills(session, actor, org_id, person_id, added)
    return _manager_page(request, session, actor, org_id, person_id, skills, q=q, added=added)


@router.post("/orgs/{org_id}/people/{person_id}/rating")
def save_manager_rating(
    request: Request,
    org_id: uuid.UUID,
    person_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    form: PostedForm,
    skill: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies form defaults
    comment: Text = "",
) -> Response:
    ratings.rated_person(session, actor, org_id, person_id)  # refuse before reading levels
    shown = _ids(skill)
    chosen = _chosen(form, shown)
    try:
        data = _ratings_data(chosen, comment)
        ratings.rate_as_manager(session, actor, org_id, person_id, data)
    except (ValidationError, DomainError) as error:
        return _manager_page(
            request,
            session,
            actor,
            org_id,
            person_id,
            ratings.ratable_skills(session, actor, shown),
            values={**_levels_posted(form, shown), "comment": comment},
            errors=_rating_errors(error, [skill_id for skill_id, _ in chosen], shown),
            status=422,
        )
    return redirect(f"/orgs/{org_id}/people/{person_id}/rating", notice="saved")
