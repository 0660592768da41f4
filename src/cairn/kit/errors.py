"""Domain errors: a stable code, a status hint and a translated message.

Services raise these; each adapter renders them once (problem details, a page message,
a CLI line) so no service ever knows about HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from cairn.kit.i18n import LazyString, lazy_gettext


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field; ``field`` is a dotted path such as ``parent_id``."""

    field: str
    message: str | LazyString


@dataclass
class DomainError(Exception):
    message: str | LazyString
    field_errors: list[FieldError] = field(default_factory=list)

    code = "domain_error"
    status = 400
    meaning: ClassVar[LazyString] = lazy_gettext("The request cannot be carried out.")

    def __str__(self) -> str:
        return str(self.message)


class NotFound(DomainError):
    """Also raised for objects outside the caller's organisations, so they cannot be probed."""

    code = "not_found"
    status = 404
    meaning = lazy_gettext("Not found, or outside your organisations.")


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    meaning = lazy_gettext("Your roles do not allow this.")


class InsufficientScope(PermissionDenied):
    """Kept apart from other refusals so a client knows a new token, not a new role, helps."""

    code = "insufficient_scope"
    meaning = lazy_gettext("The API token lacks the scope this needs.")


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status = 401
    meaning = lazy_gettext("No valid API token: missing, unknown, revoked or expired.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    meaning = lazy_gettext("The request clashes with what exists, e.g. a name already taken.")


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 422
    meaning = lazy_gettext("Some fields are not valid; errors points at each.")


@dataclass(frozen=True)
class ProblemType:
    code: str
    status: int
    meaning: LazyString


PROBLEM_TYPES: tuple[ProblemType, ...] = (
    *(
        ProblemType(kind.code, kind.status, kind.meaning)
        for kind in (
            NotAuthenticated,
            PermissionDenied,
            InsufficientScope,
            NotFound,
            Conflict,
            InvalidInput,
        )
    ),
    ProblemType("method_not_allowed", 405, lazy_gettext("This address does not take that method.")),
    ProblemType(
        "server_error", 500, lazy_gettext("Something went wrong on our side; nothing was saved.")
    ),
)
"""Every problem type the API answers (its code is the last part of the type URI), listed
on the API reference page."""

HTTP_PROBLEM_CODES = {404: NotFound.code, 405: "method_not_allowed"}
"""Codes for errors raised by the router itself rather than by a service."""


STATUS_TITLES: dict[int, LazyString] = {
    400: lazy_gettext("Bad request"),
    401: lazy_gettext("Not signed in"),
    403: lazy_gettext("Not allowed"),
    404: lazy_gettext("Not found"),
    405: lazy_gettext("Method not allowed"),
    409: lazy_gettext("Conflict"),
    422: lazy_gettext("Invalid input"),
    429: lazy_gettext("Too many requests"),
    500: lazy_gettext("Server error"),
}


def status_title(status: int) -> str:
    """The short translated title shown for an HTTP status, on pages and in problem details."""
    return str(STATUS_TITLES.get(status, lazy_gettext("Error")))
