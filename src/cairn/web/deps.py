"""Page dependencies: the signed-in actor, and helpers every page module uses."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends
from fastapi.responses import RedirectResponse

from cairn.auth.dependencies import OptionalWebActor
from cairn.kit.actor import Actor
from cairn.kit.errors import NotAuthenticated
from cairn.kit.i18n import lazy_gettext


def _web_actor(actor: OptionalWebActor) -> Actor:
    if actor is None:
        raise NotAuthenticated(lazy_gettext("Sign in to continue."))
    return actor


WebActor = Annotated[Actor, Depends(_web_actor)]


def redirect(path: str, **query: str) -> RedirectResponse:
    """303 See Other after a successful form post (post/redirect/get)."""
    return RedirectResponse(f"{path}?{urlencode(query)}" if query else path, status_code=303)


def safe_next(target: str | None) -> str:
    """Only same-site paths: never let a sign-in link redirect to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"
