"""The browser side of CSRF protection: hand out the nonce cookie, check every unsafe form."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cairn.auth.csrf import CSRF_COOKIE, CSRF_FIELD, form_token, new_nonce, token_matches
from cairn.kit.errors import PermissionDenied
from cairn.kit.i18n import lazy_gettext

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PAGES_UNDER_API = frozenset({"/api/v1/docs"})
"""HTML pages that live beside the JSON API and carry the header's forms."""


class CsrfCookie:
    """Give every browser without one a CSRF nonce cookie (pure ASGI middleware)."""

    def __init__(self, app: ASGIApp, *, secure: bool) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (
            scope["path"].startswith(("/api/", "/static/")) and scope["path"] not in PAGES_UNDER_API
        ):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        nonce = request.cookies.get(CSRF_COOKIE)
        fresh = nonce is None
        scope.setdefault("state", {})["csrf_nonce"] = nonce or new_nonce()

        async def send_with_cookie(message: Message) -> None:
            if fresh and message["type"] == "http.response.start" and _is_page(message):
                value = f"{CSRF_COOKIE}={scope['state']['csrf_nonce']}; Path=/; HttpOnly; SameSite=Strict"
                if self.secure:
                    value += "; Secure"
                message.setdefault("headers", []).append((b"set-cookie", value.encode("latin-1")))
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _is_page(message: Message) -> bool:
    """Only pages carry forms: a public JSON document (a DID document, a status list) may
    be cached and shared, so it must never hand out one visitor's nonce."""
    for name, value in message.get("headers", []):
        if name.lower() == b"content-type":
            return bool(value.lower().startswith(b"text/html"))
    return False


def csrf_token_for(request: Request) -> str:
    return form_token(request.app.state.secret_key, request.state.csrf_nonce)


async def _check_csrf(request: Request) -> None:
    if request.method in SAFE_METHODS:
        return
    form = await request.form()
    token = form.get(CSRF_FIELD)
    if not token_matches(
        request.app.state.secret_key,
        request.cookies.get(CSRF_COOKIE),
        token if isinstance(token, str) else None,
    ):
        raise PermissionDenied(
            lazy_gettext(
                "This form has expired or did not come from Cairn. Reload the page and try again."
            )
        )


CsrfChecked = Annotated[None, Depends(_check_csrf)]
