"""Errors on pages: a readable page in the person's language, never a stack trace."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from cairn.kit.errors import DomainError, NotAuthenticated, status_title
from cairn.kit.i18n import LazyString, lazy_gettext
from cairn.web.templating import render

DEFAULT_MESSAGES: dict[int, LazyString] = {
    400: lazy_gettext("The request was not understood."),
    403: lazy_gettext("You do not have access to this page."),
    404: lazy_gettext("This page does not exist, or you do not have access to it."),
    405: lazy_gettext("This page cannot be used that way."),
    409: lazy_gettext("This cannot be done in the current state."),
    429: lazy_gettext("Too many requests. Wait a moment and try again."),
    500: lazy_gettext("Something went wrong on our side; nothing was saved."),
}


def render_status(
    request: Request,
    status: int,
    message: LazyString | str | None,
    *,
    headers: dict[str, str] | None = None,
) -> Response:
    text = (
        message
        if message is not None
        else DEFAULT_MESSAGES.get(status, lazy_gettext("Something went wrong."))
    )
    return render(
        request,
        "error.html",
        {"status": status, "title": status_title(status), "message": str(text)},
        status_code=status,
        headers=headers,
    )


def render_domain_error(request: Request, error: DomainError) -> Response:
    if isinstance(error, NotAuthenticated):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/sign-in?next={quote(target)}", status_code=303)
    return render_status(request, error.status, error.message)
