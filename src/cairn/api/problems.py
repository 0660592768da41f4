"""Errors as RFC 9457 problem details, with JSON Pointers to the fields at fault."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from cairn.kit.errors import (
    HTTP_PROBLEM_CODES,
    DomainError,
    FieldError,
    InsufficientScope,
    NotAuthenticated,
    status_title,
)
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
    extensions: Mapping[str, Any] | None = None,
) -> JSONResponse:
    """``extensions`` are RFC 9457 extension members (JSON-ready, named unlike the standard
    ones) for a client that can act on more than the message."""
    body = Problem(
        type=PROBLEM_TYPE_BASE + code,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=[ProblemFieldError(pointer=p, detail=d) for p, d in errors],
    )
    return JSONResponse(
        {**body.model_dump(), **(extensions or {})},
        status_code=status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


def title_for(status: int) -> str:
    return status_title(status)


def domain_problem(
    request: Request, error: DomainError, *, extensions: Mapping[str, Any] | None = None
) -> JSONResponse:
    return problem_response(
        request,
        status=error.status,
        code=error.code,
        title=title_for(error.status),
        detail=str(error.message),
        errors=[_field_pointer(item, _field_location(request)) for item in error.field_errors],
        headers=_challenge(error),
        extensions=extensions,
    )


def _challenge(error: DomainError) -> dict[str, str] | None:
    """RFC 6750: a bearer challenge on 401, and on 403 when only a wider token would help."""
    if isinstance(error, NotAuthenticated):
        return {"WWW-Authenticate": "Bearer"}
    if isinstance(error, InsufficientScope):
        return {"WWW-Authenticate": 'Bearer error="insufficient_scope"'}
    return None


def _field_location(request: Request) -> str:
    """A read takes no body: a field the service names is one of its query parameters."""
    return "query" if request.method in ("GET", "HEAD") else "body"


def _field_pointer(item: FieldError, location: str = "body") -> tuple[str, str]:
    return pointer([location, *item.field.split(".")]), str(item.message)


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


def http_problem(request: Request, status: int, headers: dict[str, str]) -> JSONResponse:
    """An error from the router (no such route, wrong method), in the user's language;
    Starlette's own English detail is not shown."""
    if status == 405:
        detail = gettext(
            "%(path)s does not take %(method)s.", path=request.url.path, method=request.method
        )
    elif status == 404:
        detail = gettext("There is no API operation at %(path)s.", path=request.url.path)
    else:
        detail = status_title(status)
    return problem_response(
        request,
        status=status,
        code=HTTP_PROBLEM_CODES.get(status, f"http_{status}"),
        title=status_title(status),
        detail=detail,
        headers=headers or None,
    )
