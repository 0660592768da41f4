"""My skills: the person's merged skills profile, where each level came from, whether
their employers may see it, and skills suggested from their CV to add as self-reported."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from cairn.assessment.enums import label
from cairn.auth.dependencies import DbSession
from cairn.intelligence import service as intelligence_service
from cairn.kit.actor import Actor
from cairn.kit.errors import DomainError, FieldError, InvalidInput
from cairn.kit.i18n import gettext, lazy_gettext
from cairn.profiles import cv_suggestions
from cairn.profiles import service as profiles_service
from cairn.profiles.cv_suggestions import SkillToClaim
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of
from cairn.web.templating import render

router = APIRouter()
CV_PATH = "/profile/skills/from-cv"
ITEM_FIELD = re.compile(r"^items\.(\d+)\.(skill_id|level)$")


@router.get("/profile/skills")
def my_skills(request: Request, session: DbSession, actor: WebActor) -> Response:
    context = {
        "tab": "skills",
        "lines": profiles_service.profile(session, actor, actor.person_id),
        "shared": profiles_service.is_shared(session, actor),
        "source_label": label,
        "cv_origin": cv_suggestions.CV_ORIGIN,
    }
    return render(request, "profile/skills.html", context, actor=actor)


@router.post("/profile/skills/sharing")
def share_my_skills(
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    share: Annotated[str, Form()] = "",
) -> Response:
    profiles_service.set_sharing(session, actor, with_employers=share == "yes")
    return redirect("/profile/skills", notice="saved")


# --- skills suggested from a CV -------------------------------------------------------


def _cv_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    suggestions: Sequence[SkillToClaim] | None = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """The CV form, and under it the skills suggested (``None`` before any CV is read)."""
    frameworks = intelligence_service.frameworks_with_skills(session, actor)
    context = {
        "frameworks": [(f"{f.slug}@{f.version}", f"{f.title} {f.version}") for f in frameworks],
        "suggestions": suggestions,
        "values": values or {},
        "errors": errors or {},
        "source_label": label,
        "max_kb": cv_suggestions.MAX_FILE_BYTES // 1024,
    }
    return render(request, "profile/from_cv.html", context, actor=actor, status_code=status)


@router.get(CV_PATH)
def cv_form(request: Request, session: DbSession, actor: WebActor) -> Response:
    return _cv_page(request, session, actor)


@router.post(CV_PATH)
def suggest_from_cv(
    request: Request,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    text: Annotated[str, Form()] = "",
    framework: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """A file chosen wins over pasted text. Neither is kept: the page shows the text back
    so it can be changed, and its answer posts only the skills and the words quoted."""
    values = {"text": text, "framework": framework}
    from_file = file is not None and bool(file.filename)
    try:
        if file is not None and file.filename:
            data = file.file.read(cv_suggestions.MAX_FILE_BYTES + 1)
            text = cv_suggestions.text_of_file(file.filename, data)
        found = cv_suggestions.suggest_from_cv(
            session, actor, text=text, framework=framework or None
        )
    except DomainError as error:
        errors = errors_of(error)
        if from_file and "text" in errors:  # the file's text, not the box, is at fault
            errors["file"] = errors.pop("text")
        return _cv_page(request, session, actor, values=values, errors=errors, status=422)
    return _cv_page(request, session, actor, suggestions=found.items, values=values)


async def _posted_form(request: Request) -> FormData:
    """The whole posted form: each skill's level arrives as ``level-<skill id>``."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(_posted_form)]


def _ids(values: Sequence[object]) -> list[uuid.UUID]:
    """Skill ids from the form, each once; anything else is ignored, not an error."""
    found: list[uuid.UUID] = []
    for value in values:
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return list(dict.fromkeys(found))


def _level(value: str, index: int) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        message = lazy_gettext("Choose one of the levels shown.")
        raise InvalidInput(message, [FieldError(f"items.{index}.level", message)])
    return int(value)


def _claim_errors(
    error: DomainError, ticked: Sequence[uuid.UUID], shown: Sequence[uuid.UUID]
) -> dict[str, str]:
    """Errors about ``items.<n>`` point at that skill's checkbox or level, "choose at
    least one" at the first checkbox."""
    errors: dict[str, str] = {}
    for field, message in errors_of(error).items():
        match = ITEM_FIELD.match(field)
        if match and int(match.group(1)) < len(ticked):
            prefix = "skill" if match.group(2) == "skill_id" else "level"
            field = f"{prefix}-{ticked[int(match.group(1))]}"
        elif field == "items":
            field = f"skill-{shown[0]}" if shown else "__root__"
        errors[field] = message
    return errors


@router.post(f"{CV_PATH}/claims")
def claim_from_cv(
    request: Request, session: DbSession, actor: WebActor, _csrf: CsrfChecked, form: PostedForm
) -> Response:
    shown = _ids(form.getlist("shown"))
    ticked = [skill_id for skill_id in shown if str(skill_id) in form.getlist("skill")]
    try:
        items = [
            (skill_id, _level(str(form.get(f"level-{skill_id}") or ""), index))
            for index, skill_id in enumerate(ticked)
        ]
        evidence = cv_suggestions.claim_skills(
            session, actor, items, source_note=gettext("From my CV")
        )
    except DomainError as error:
        quoted = [(skill_id, str(form.get(f"quote-{skill_id}") or "")) for skill_id in shown]
        return _cv_page(
            request,
            session,
            actor,
            suggestions=cv_suggestions.skills_to_claim(session, actor, quoted),
            values={
                **{key: str(value) for key, value in form.items() if key.startswith("level-")},
                **{f"skill-{skill_id}": "yes" for skill_id in ticked},
            },
            errors=_claim_errors(error, ticked, shown),
            status=422,
        )
    return redirect("/profile/skills", notice="cv-added", count=str(len(evidence)))
