"""The Jinja environment: autoescaped, translated with the request's locale, no CDN."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from cairn.auth.csrf import CSRF_FIELD
from cairn.credentials.labels import check_label, outcome_label
from cairn.kit.actor import Actor
from cairn.kit.i18n import SUPPORTED_LOCALES, format_datetime, get_locale, translations_for
from cairn.orgs.enums import label
from cairn.web.csrf import csrf_token_for


def _gettext(message: str) -> str:
    return translations_for(get_locale()).ugettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return translations_for(get_locale()).ungettext(singular, plural, n)


def _environment() -> Environment:
    templates = resources.files("cairn.web").joinpath("templates")
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        label=label,
        format_datetime=format_datetime,
        supported_locales=SUPPORTED_LOCALES,
        csrf_field=CSRF_FIELD,
        check_label=check_label,
        outcome_label=outcome_label,
    )
    return env


ENV = _environment()


REFUSED = frozenset({409, 422})


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    actor: Actor | None = None,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render a page with what every page needs: the actor, the locale and a CSRF token.

    A page shown again because its input was refused (409, 422) marks the request so its
    unit of work rolls back: a service may have changed some rows before it found the
    problem, and refused input must change nothing."""
    if status_code in REFUSED:
        request.state.refused = True
    page = ENV.get_template(template).render(
        request=request,
        actor=actor if actor is not None else getattr(request.state, "actor", None),
        locale=get_locale(),
        csrf_token=csrf_token_for(request) if hasattr(request.state, "csrf_nonce") else "",
        **(context or {}),
    )
    return HTMLResponse(page, status_code=status_code, headers=dict(headers or {}))
