"""Domain errors: a stable code, a status hint and a translated message.

Services raise these; each adapter renders them once (problem details, a page message,
a CLI line) so no service ever knows about HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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

    def __str__(self) -> str:
        return str(self.message)


class NotFound(DomainError):
    """Also raised for objects outside the caller's organisations, so they cannot be probed."""

    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status = 401


class Conflict(DomainError):
    code = "conflict"
    status = 409


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 422


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
