"""Aligning a draft's learning outcomes to skills, without JavaScript: per outcome, a search
whose matches come back as radio buttons, then the chosen skill with a select of its
framework's levels. ``align.js`` only fetches the matches while typing (decision 0029)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cairn.auth.dependencies import DbSession
from cairn.catalogue import service
from cairn.catalogue.alignment import alignments
from cairn.catalogue.enums import VersionStatus
from cairn.catalogue.schemas import SpecificationFields
from cairn.kit.actor import Actor
from cairn.kit.errors import Conflict, DomainError, InvalidInput, NotFound
from cairn.kit.i18n import lazy_gettext
from cairn.taxonomy import service as taxonomy_service
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of
from cairn.web.templating import render

router = APIRouter()
Text = Annotated[str, Form()]
SEARCH_RESULTS = 10


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    version_id: uuid.UUID,
    *,
    outcome: int = 0,
    q: str = "",
    chosen: int = 0,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    view = service.view(session, actor, version_id)
    service.require_designer(session, actor, view.specification.owner_org_id)
    reader = actor.without_scopes()
    searching = bool(q.strip()) and 1 <= outcome <= len(view.draft.outcomes)
    context = {
        "view": view,
        "draft": view.version.status is VersionStatus.DRAFT,
        "aligned": alignments(session, reader, view.draft.outcomes),
        "searched": outcome if searching else 0,
        "q": q,
        "results": (
            taxonomy_service.search_skills(
                session, reader, taxonomy_service.SkillQuery(text=q, limit=SEARCH_RESULTS)
            )
            if searching
            else []
        ),
        "frameworks": {f.id: f for f in taxonomy_service.list_frameworks(session, reader)},
        "chosen": chosen,
        "errors": errors or {},
    }
    return render(request, "specifications/align.html", context, actor=actor, status_code=status)


@router.get("/specifications/{version_id}/align")
def align_page(
    request: Request,
    version_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    outcome: Annotated[int, Query(ge=0, le=1000)] = 0,
    q: Annotated[str, Query(max_length=200)] = "",
    chosen: Annotated[int, Query(ge=0, le=1000)] = 0,
) -> Response:
    return _page(request, session, actor, version_id, outcome=outcome, q=q, chosen=chosen)


def _at(position: int, errors: dict[str, str]) -> dict[str, str]:
    """The service names ``outcomes.N.skill_id`` (N from 1) and validation ``outcomes.N``
    (N from 0); the page has one skill and one level control per outcome."""
    found: dict[str, str] = {}
    for field, message in errors.items():
        if field.endswith("level"):
            found.setdefault(f"level-{position}", message)
        elif field.endswith("skill_id"):
            found.setdefault(f"skill-{position}", message)
        else:
            found.setdefault("__root__", message)
    return found


@router.post("/specifications/{version_id}/align")
def align(
    request: Request,
    version_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    outcome: Text = "",
    skill_id: Text = "",
    level: Text = "",
    q: Text = "",
) -> Response:
    """Set, change or clear one outcome's skill and level; the others are sent unchanged."""
    view = service.view(session, actor, version_id)
    service.require_designer(session, actor, view.specification.owner_org_id)
    outcomes = [
        {"statement": o.statement, "skill_id": o.skill_id, "level": o.level}
        for o in view.draft.outcomes
    ]
    position = int(outcome) if outcome.isdigit() else 0
    if not 1 <= position <= len(outcomes):
        raise NotFound(lazy_gettext("Learning outcome not found."))
    outcomes[position - 1].update(skill_id=skill_id or None, level=level or None)
    try:
        data = SpecificationFields.model_validate({"outcomes": outcomes})
        service.update_draft(session, actor, version_id, data)
    except (ValidationError, InvalidInput, Conflict) as error:
        return _page(
            request,
            session,
            actor,
            version_id,
            outcome=position,
            q=q,
            errors=_at(position, errors_of(error)),
            status=error.status if isinstance(error, DomainError) else 422,
        )
    return redirect(f"/specifications/{version_id}/align", notice="saved", chosen=str(position))
