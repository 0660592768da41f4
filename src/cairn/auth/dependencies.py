"""FastAPI dependencies shared by the API and the pages: the request's unit of work and Actor.

The database session wraps the path operation (``scope="function"``): it commits after the
handler returns and before the response is sent, and rolls back if the handler raises or
a page refuses the input it was sent (``cairn.web.templating.render`` with 409 or 422).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from cairn.auth import service as auth_service
from cairn.kit.actor import Actor
from cairn.kit.db import unit_of_work
from cairn.kit.errors import NotAuthenticated
from cairn.kit.i18n import lazy_gettext

SESSION_COOKIE = "cairn_session"


def _db_session(request: Request) -> Iterator[Session]:
    factory: sessionmaker[Session] = request.app.state.session_factory
    with unit_of_work(factory) as session:
        yield session
        if getattr(request.state, "refused", False):  # a form shown again: keep nothing
            session.rollback()


DbSession = Annotated[Session, Depends(_db_session, scope="function")]


def _optional_web_actor(request: Request, session: DbSession) -> Actor | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    actor = auth_service.session_actor(session, token)
    request.state.actor = actor
    return actor


OptionalWebActor = Annotated[Actor | None, Depends(_optional_web_actor)]


_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="apiToken",
    description="A Cairn API token, created under My profile or with `cairn tokens create`.",
)
"""Declared so the OpenAPI document names the scheme; the refusal stays a problem detail."""


def _api_actor(
    session: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    actor = auth_service.token_actor(session, credentials.credentials) if credentials else None
    if actor is None:
        raise NotAuthenticated(
            lazy_gettext("Send a valid API token as 'Authorization: Bearer <token>'.")
        )
    return actor


ApiActor = Annotated[Actor, Depends(_api_actor)]
