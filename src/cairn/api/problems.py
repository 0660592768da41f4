"""Errors as RFC 9457 problem details, with JSON Pointers to the fields at fault."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from cairn.kit.errors import DomainError, FieldError, status_title
from cairn.kit.i18n import gettext
from cairn.kit.validation import describe

PROBLEM_TYPE_BASE = "/api/v1/problems/"
"""Relative problem-type URIs: each names a stable code listed on the API docs page."""
MEDIA_TYPE = "application/problem+json"


class ProblemFieldError(BaseModel):
    pointer: str
    detail: str


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[ProblemFieldError] = []


def pointer(location: Sequence[str | int]) -> str:
    """A JSON Pointer (RFC 6901) into the request, e.g. ``#/body/name``."""
    escaped = [str(part).replace("~", "~0").replace("/", "~1") for part in location]
    return "#/" + "/".join(escaped)


def problem_response(
    request: Request,
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    errors: Sequence[tuple[str, str]] = (),
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        type=PROBLEM_TYPE_BASE + code,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=[ProblemFieldError(pointer=p, detail=d) for p, d in errors],
    )
    return JSONResponse(
        body.model_dump(), status_code=status, media_type=MEDIA_TYPE, headers=headers
    )


def title_for(status: int) -> str:
    return status_title(status)


def domain_problem(request: Request, error: DomainError) -> JSONResponse:
    return problem_response(
        request,
        status=error.status,
        code=error.code,
        title=title_for(error.status),
        detail=str(error.message),
        errors=[_field_pointer(item) for item in error.field_errors],
        headers={"WWW-Authenticate": "Bearer"} if error.status == 401 else None,
    )


def _field_pointer(item: FieldError) -> tuple[str, str]:
    return pointer(["body", *item.field.split(".")]), str(item.message)


def validation_problem(request: Request, errors: Sequence[Any]) -> JSONResponse:
    """Pydantic's errors become one pointer per field, e.g. ``#/body/email``."""
    return problem_response(
        request,
        status=422,
        code="invalid_input",
        title=title_for(422),
        detail=gettext("Some fields are not valid; see errors."),
        errors=[(pointer(error["loc"]), describe(error)) for error in errors],
    )
