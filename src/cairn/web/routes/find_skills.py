"""Find skills in a text (a job ad, course outcomes, a CV) and the occupations a job title
means. The text is posted, as it can be long; a title is a short search, so it is a GET.
Both show suggestions only: nothing is stored.

These paths sit under ``/skills/`` and ``/occupations/`` beside the taxonomy's
``/skills/{skill_id}`` and ``/occupations/{occupation_id}``, so this router must be included
before the taxonomy's (``routes/__init__.py`` includes them in alphabetical order)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cairn.auth.dependencies import DbSession
from cairn.intelligence import service
from cairn.intelligence.service import Suggestions
from cairn.kit.actor import Actor
from cairn.kit.errors import DomainError, FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor
from cairn.web.forms import errors_of
from cairn.web.templating import render

router = APIRouter()
Text = Annotated[str, Form()]
TITLE_TOP = 5


@dataclass(frozen=True)
class Piece:
    """A run of the text shown back, marked where a skill was found in it."""

    text: str
    marked: bool


def marked_pieces(text: str, spans: Iterable[tuple[int, int]]) -> list[Piece]:
    """The text cut at the quoted words; overlapping quotes (two skills in one phrase)
    become one mark, so no words are shown twice."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(span for span in spans if 0 <= span[0] < span[1] <= len(text)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    pieces: list[Piece] = []
    at = 0
    for start, end in merged:
        if start > at:
            pieces.append(Piece(text[at:start], marked=False))
        pieces.append(Piece(text[start:end], marked=True))
        at = end
    if at < len(text):
        pieces.append(Piece(text[at:], marked=False))
    return pieces


def _top(value: str, default: int) -> int:
    if not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        message = lazy_gettext("Give the number of results as a whole number.")
        raise InvalidInput(message, [FieldError("top", message)]) from None


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    template: str,
    context: Mapping[str, Any],
    *,
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    frameworks = service.frameworks_with_skills(session, actor)
    return render(
        request,
        template,
        {
            **context,
            "errors": errors,
            "framework_options": [
                (f"{f.slug}@{f.version}", f"{f.title} {f.version}") for f in frameworks
            ],
            "default_known": any(f.slug == service.DEFAULT_FRAMEWORK for f in frameworks),
        },
        actor=actor,
        status_code=status,
    )


@router.get("/skills/find")
def find_skills_page(request: Request, session: DbSession, actor: WebActor) -> Response:
    values = {"text": "", "framework": "", "top": str(service.DEFAULT_TOP)}
    return _page(
        request,
        session,
        actor,
        "find_skills/text.html",
        {"values": values, "found": None},
        errors={},
    )


@router.post("/skills/find")
def find_skills(
    request: Request,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    text: Text = "",
    framework: Text = "",
    top: Text = "",
) -> Response:
    values = {"text": text, "framework": framework, "top": top}
    found: Suggestions | None = None
    try:
        found = service.suggest_skills(
            session,
            actor,
            text=text,
            framework=framework or None,
            top=_top(top, service.DEFAULT_TOP),
        )
    except DomainError as error:
        return _page(
            request,
            session,
            actor,
            "find_skills/text.html",
            {"values": values, "found": None},
            errors=errors_of(error),
            status=error.status,
        )
    pieces = marked_pieces(text, ((item.start, item.end) for item in found.items))
    return _page(
        request,
        session,
        actor,
        "find_skills/text.html",
        {"values": values, "found": found, "pieces": pieces},
        errors={},
    )


@router.get("/occupations/match")
def match_title_page(
    request: Request,
    session: DbSession,
    actor: WebActor,
    title: Annotated[str, Query(max_length=1000)] = "",
    framework: Annotated[str, Query(max_length=120)] = "",
    top: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    values = {"title": title, "framework": framework, "top": top or str(TITLE_TOP)}
    found: Suggestions | None = None
    errors: dict[str, str] = {}
    status = 200
    if title:
        try:
            found = service.match_title(
                session, actor, title=title, framework=framework or None, top=_top(top, TITLE_TOP)
            )
        except DomainError as error:
            errors, status = errors_of(error), error.status
    context = {"values": values, "found": found}
    return _page(
        request, session, actor, "find_skills/title.html", context, errors=errors, status=status
    )
