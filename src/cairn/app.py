"""The ASGI application: the API and the pages on one server, one error policy for each."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cairn.api import problems, vc_api, vc_verify
from cairn.api.v1 import router as api_router
from cairn.config import Settings, get_settings
from cairn.kit.db import make_engine, make_session_factory
from cairn.kit.errors import DomainError
from cairn.kit.i18n import LOCALE_COOKIE, lazy_gettext, negotiate, normalise_locale, set_locale
from cairn.web import errors as web_errors
from cairn.web import mount as mount_web
from cairn.worker.runner import WorkerThread

logger = logging.getLogger(__name__)

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"form-action 'self'; frame-ancestors 'none'; base-uri 'self'",
    ),
]


class SecurityHeaders:
    """Pure ASGI middleware (no BaseHTTPMiddleware) so streaming and context vars stay intact."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(
                    (name, value) for name, value in SECURITY_HEADERS if name not in present
                )
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LocaleFromRequest:
    """Pick the language for this request: the language cookie, else Accept-Language."""

    def __init__(self, app: ASGIApp, default: str) -> None:
        self.app = app
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            chosen = normalise_locale(request.cookies.get(LOCALE_COOKIE))
            set_locale(chosen or negotiate(request.headers.get("accept-language")) or self.default)
        await self.app(scope, receive, send)


API_PATHS = ("/api/", "/credentials/", "/presentations/", "/oauth/")
"""The JSON API, the W3C VC API and OAuth: their errors are problem details, not pages."""


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PATHS)


@asynccontextmanager
async def _run_jobs(app: FastAPI) -> AsyncIterator[None]:
    """The app's own job worker, while it serves, unless ``cairn worker`` runs the jobs."""
    worker = (
        WorkerThread(app.state.session_factory) if app.state.settings.run_jobs_in_process else None
    )
    if worker is not None:
        worker.start()
    try:
        yield
    finally:
        if worker is not None:
            await asyncio.to_thread(worker.stop)


def create_app(
    settings: Settings | None = None, session_factory: sessionmaker[Session] | None = None
) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        lifespan=_run_jobs,
        title="Cairn API",
        version="1",
        summary="Skills, micro-credentials and learning accounts.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.secret_key = settings.resolved_secret_key()
    app.state.session_factory = session_factory or make_session_factory(
        make_engine(settings.database_url)
    )
    app.include_router(api_router)
    app.include_router(vc_api.router)
    app.include_router(vc_verify.router)
    mount_web(app)

    @app.exception_handler(DomainError)
    def handle_domain_error(request: Request, error: DomainError) -> Response:
        if _is_api(request):
            return problems.domain_problem(request, error)
        return web_errors.render_domain_error(request, error)

    @app.exception_handler(RequestValidationError)
    def handle_validation_error(request: Request, error: RequestValidationError) -> Response:
        if _is_api(request):
            return problems.validation_problem(request, error.errors())
        if any(item["loc"][:1] == ("path",) for item in error.errors()):
            return web_errors.render_status(request, 404, None)  # /orgs/not-an-id: no such page
        return web_errors.render_status(
            request, 400, lazy_gettext("The request was not understood.")
        )

    @app.exception_handler(StarletteHTTPException)
    def handle_http_error(request: Request, error: StarletteHTTPException) -> Response:
        headers = dict(error.headers or {})
        if _is_api(request):
            return problems.http_problem(request, error.status_code, headers)
        return web_errors.render_status(request, error.status_code, None, headers=headers)

    @app.exception_handler(Exception)
    def handle_unexpected(request: Request, error: Exception) -> Response:
        logger.exception(
            "Unhandled error on %s %s", request.method, request.url.path, exc_info=error
        )
        if _is_api(request):
            return problems.problem_response(
                request,
                status=500,
                code="server_error",
                title=problems.title_for(500),
                detail=str(lazy_gettext("Something went wrong on our side; nothing was saved.")),
            )
        return web_errors.render_status(
            request, 500, lazy_gettext("Something went wrong on our side; nothing was saved.")
        )

    app.add_middleware(LocaleFromRequest, default=settings.default_locale)
    app.add_middleware(SecurityHeaders)
    return app
