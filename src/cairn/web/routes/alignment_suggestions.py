"""Skills suggested for a draft's learning outcomes: each outcome with the skills its words
name as radio buttons (and "keep as is"), a level for the chosen one, and one "Apply" for
them all. Without JavaScript; the search on the align page remains for anything else."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cairn.auth.dependencies import DbSession
from cairn.catalogue import alignment_suggestions
from cairn.catalogue.alignment_suggestions import AlignmentSuggestions, Choices
from cairn.kit.actor import Actor
from cairn.kit.errors import Conflict, InvalidInput
from cairn.kit.i18n import lazy_gettext
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of
from cairn.web.templating import render

router = APIRouter()
KEEP = "keep"
"""The radio value that leaves an outcome as it is."""


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    version_id: uuid.UUID,
    *,
    framework: str = "",
    picked: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    # First, so a stranger, a learner or a version past its draft is refused as editing is.
    view = alignment_suggestions.editable(session, actor, version_id)
    found: AlignmentSuggestions | None = None
    errors = dict(errors or {})
    try:
        found = alignment_suggestions.suggest_alignments(
            session, actor, version_id, framework=framework or None
        )
    except (InvalidInput, Conflict) as error:  # an unknown framework, or one not indexed
        errors.update(errors_of(error))
        status = error.status
    context = {
        "view": view,
        "found": found,
        "frameworks": alignment_suggestions.frameworks(session, actor, view),
        "framework": (
            f"{found.framework.slug}@{found.framework.version}" if found else framework.strip()
        ),
        "picked": picked or {},
        "errors": errors,
    }
    return render(request, "specifications/suggest.html", context, actor=actor, status_code=status)


@router.get("/specifications/{version_id}/suggest-skills")
def suggest_page(
    request: Request,
    version_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    framework: Annotated[str, Query(max_length=120)] = "",
) -> Response:
    return _page(request, session, actor, version_id, framework=framework)


def _choices(form: dict[str, str]) -> tuple[Choices, dict[str, str]]:
    """The outcomes whose radio names a skill, with their levels; and what cannot be read."""
    choices: dict[int, tuple[uuid.UUID, int | None]] = {}
    problems: dict[str, str] = {}
    for name, value in form.items():
        position = name.removeprefix("skill-")
        if name == position or not position.isdigit() or value == KEEP:
            continue
        level = form.get(f"level-{position}", "")
        try:
            choices[int(position)] = (uuid.UUID(value), int(level) if level else None)
        except ValueError:
            problems[f"skill-{position}"] = str(lazy_gettext("Choose one of the listed options."))
    return choices, problems


def _fields(errors: dict[str, str]) -> dict[str, str]:
    """The service names ``outcomes.N.skill_id`` and ``outcomes.N.level``; the page has one
    radio group and one level select per outcome N."""
    found: dict[str, str] = {}
    for field, message in errors.items():
        parts = field.split(".")
        if len(parts) == 3 and parts[0] == "outcomes" and parts[2] in ("skill_id", "level"):
            found.setdefault(f"{'level' if parts[2] == 'level' else 'skill'}-{parts[1]}", message)
        else:
            found.setdefault("__root__", message)
    return found


@router.post("/specifications/{version_id}/suggest-skills")
async def apply(
    request: Request, version_id: uuid.UUID, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    """Store every outcome's choice at once, then back to the draft's edit page."""
    form = {name: str(value) for name, value in (await request.form()).items()}
    choices, errors = _choices(form)
    status = 422
    if not errors:
        try:
            alignment_suggestions.apply_alignments(session, actor, version_id, choices)
        except (InvalidInput, Conflict) as error:
            errors, status = _fields(errors_of(error)), error.status
        else:
            return redirect(f"/specifications/{version_id}/edit", notice="saved")
    return _page(
        request,
        session,
        actor,
        version_id,
        framework=form.get("framework", ""),
        picked=form,
        errors=errors,
        status=status,
    )
