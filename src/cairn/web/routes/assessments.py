"""My assessments: starting a test, answering it one question at a time, and its result.

Answers are plain form posts (post/redirect/get), so a test works without JavaScript and
with any assistive technology; a resent form is refused by the service, not double-counted."""

from __future__ import annotations

import math
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from cairn.assessment import attempts, campaigns
from cairn.assessment.enums import ItemType, TestMode, label
from cairn.assessment.models import Item
from cairn.auth.dependencies import DbSession
from cairn.kit.actor import Actor
from cairn.kit.errors import Conflict, FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of
from cairn.web.templating import render

router = APIRouter()
OptionalId = Annotated[str, Form()]


def _home(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = {
        "choices": attempts.choices(session, actor),
        "attempts": attempts.my_attempts(session, actor),
        "invitations": campaigns.invitations_for(session, actor),
        "modes": [(mode.value, label(mode)) for mode in TestMode],
        "errors": errors or {},
    }
    return render(request, "assessments/home.html", context, actor=actor, status_code=status)


@router.get("/assessments")
def my_assessments(request: Request, session: DbSession, actor: WebActor) -> Response:
    return _home(request, session, actor)


def _uuid(value: str, name: str) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        message = lazy_gettext("Choose one of the options.")
        raise InvalidInput(message, [FieldError(name, message)]) from None


@router.post("/assessments/start")
def start_test(
    request: Request,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    bank_id: OptionalId = "",
    scope_skill_id: OptionalId = "",
    mode: OptionalId = TestMode.ADAPTIVE.value,
    campaign_id: OptionalId = "",
) -> Response:
    try:
        if mode not in {m.value for m in TestMode}:
            message = lazy_gettext("Choose one of the options.")
            raise InvalidInput(message, [FieldError("mode", message)])
        attempt = attempts.start(
            session,
            actor,
            bank_id=_uuid(bank_id, "bank_id"),
            scope_skill_id=_uuid(scope_skill_id, "scope_skill_id"),
            mode=TestMode(mode),
            campaign_id=_uuid(campaign_id, "campaign_id"),
        )
    except InvalidInput as error:
        return _home(request, session, actor, errors=errors_of(error), status=422)
    return redirect(f"/assessments/tests/{attempt.id}")


def _test_page(
    request: Request,
    session: Session,
    actor: Actor,
    attempt_id: uuid.UUID,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = {"view": attempts.view(session, actor, attempt_id), "errors": errors or {}}
    return render(request, "assessments/test.html", context, actor=actor, status_code=status)


@router.get("/assessments/tests/{attempt_id}")
def test_page(
    request: Request, attempt_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    return _test_page(request, session, actor, attempt_id)


def answer_from_form(item: Item, form: FormData, prefix: str = "") -> dict[str, Any]:
    """The answer in the shape ``scoring`` expects, from the fields the page shows for the
    item's type (named with ``prefix`` in a quiz); missing or malformed fields are left for
    the scorer to name."""
    match item.item_type:
        case ItemType.SINGLE_CHOICE:
            return {"choice": form.get(f"{prefix}choice")}
        case ItemType.MULTIPLE_CHOICE:
            return {"choices": [str(value) for value in form.getlist(f"{prefix}choices")]}
        case ItemType.TRUE_FALSE:
            value = form.get(f"{prefix}value")
            return {"value": {"true": True, "false": False}.get(str(value))}
        case ItemType.ORDERED:
            return {"order": _order(item, form, prefix)}
        case ItemType.NUMERIC:
            return {"value": _number(str(form.get(f"{prefix}value") or ""))}
    return {}


def _touched(form: FormData, prefix: str) -> bool:
    """Whether any field of the question was filled in: an untouched one was skipped."""
    return any(key.startswith(prefix) and str(value).strip() for key, value in form.multi_items())


def _order(item: Item, form: FormData, prefix: str) -> list[str] | None:
    """Steps sorted by the place chosen for each; None unless every place is used once."""
    places: dict[str, int] = {}
    for option in item.content.get("options", []):
        raw = str(form.get(f"{prefix}place-{option['id']}") or "")
        if not raw.isdigit():
            return None
        places[option["id"]] = int(raw)
    if sorted(places.values()) != list(range(1, len(places) + 1)):
        return None
    return sorted(places, key=lambda step: places[step])


def _number(text: str) -> float | None:
    """A number as people type it: a decimal comma, spaces or a thousands separator."""
    cleaned = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


@router.post("/assessments/tests/{attempt_id}/answer")
async def answer_question(
    request: Request,
    attempt_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    form = await request.form()
    question = attempts.view(session, actor, attempt_id).question
    try:
        item_id = _uuid(str(form.get("item_id") or ""), "item_id")
        on_screen = question is not None and question.item.id == item_id
        given = answer_from_form(question.item, form) if question and on_screen else {}
        attempts.answer(session, actor, attempt_id, item_id or uuid.UUID(int=0), given)
    except (InvalidInput, Conflict) as error:
        return _test_page(
            request, session, actor, attempt_id, errors=errors_of(error), status=error.status
        )
    return redirect(f"/assessments/tests/{attempt_id}")


@router.post("/assessments/tests/{attempt_id}/quiz")
async def send_quiz(
    request: Request,
    attempt_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    form = await request.form()
    questions = attempts.view(session, actor, attempt_id).quiz
    given = {
        question.item.id: answer_from_form(question.item, form, f"q{question.number}-")
        for question in questions
        if _touched(form, f"q{question.number}-")
    }
    try:
        attempts.submit_quiz(session, actor, attempt_id, given)
    except (InvalidInput, Conflict) as error:
        return _test_page(
            request, session, actor, attempt_id, errors=errors_of(error), status=error.status
        )
    return redirect(f"/assessments/tests/{attempt_id}")
