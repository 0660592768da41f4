"""Server-rendered pages: Jinja templates, small progressive JavaScript, no CDN."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from cairn.web.csrf import CsrfCookie
from cairn.web.routes import router


def mount(app: FastAPI) -> None:
    static_dir = resources.files("cairn.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")
    app.include_router(router)
    app.add_middleware(CsrfCookie, secure=app.state.settings.secure_cookies)
