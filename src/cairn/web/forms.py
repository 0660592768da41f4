"""Turning posted forms into schemas, and errors back into messages next to fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from cairn.kit.errors import DomainError
from cairn.kit.validation import field_errors

M = TypeVar("M", bound=BaseModel)


def parse(schema: type[M], values: Mapping[str, object]) -> M:
    """Validate form values; empty fields mean "not given", as browsers send them as ""."""
    return schema.model_validate({key: value for key, value in values.items() if value != ""})


def errors_of(error: ValidationError | DomainError) -> dict[str, str]:
    """Field name → message, for the error summary and the fields; ``__root__`` for the rest.

    Not found, not allowed and not signed in are not form mistakes: they propagate to the
    error page (or the sign-in redirect) instead of being shown beside a field."""
    if isinstance(error, DomainError) and error.status in (401, 403, 404):
        raise error
    if isinstance(error, ValidationError):
        return {item.field: str(item.message) for item in field_errors(error)}
    if error.field_errors:
        return {item.field: str(item.message) for item in error.field_errors}
    return {"__root__": str(error.message)}
