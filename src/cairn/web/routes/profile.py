"""My profile: learner profile, optional equity attributes, and API tokens."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError

from cairn.auth import service as auth_service
from cairn.auth.dependencies import DbSession
from cairn.kit.actor import Actor, Scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import DomainError
from cairn.kit.i18n import LOCALE_COOKIE, gettext
from cairn.orgs import people
from cairn.orgs.enums import AgeBand, OfficialLanguage, RegionType, YesNoUndisclosed, label
from cairn.orgs.schemas import EquityAttributesWrite, ProfileUpdate
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of
from cairn.web.templating import render

router = APIRouter()
Text = Annotated[str, Form()]
YEAR = 365 * 24 * 3600


def _profile_page(
    request: Request,
    session: DbSession,
    actor: Actor,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    profile = people.get_my_profile(session, actor)
    context = {
        "profile": profile,
        "memberships": people.my_memberships(session, actor),
        "values": values
        or {
            "display_name": profile.display_name,
            "headline": profile.headline or "",
            "about": profile.about or "",
            "region": profile.region or "",
            "locale": profile.locale or "",
        },
        "errors": errors or {},
        "locale_options": [("en", "English"), ("fr", "Français")],
    }
    return render(request, "profile/profile.html", context, actor=actor, status_code=status)


@router.get("/profile")
def profile(request: Request, session: DbSession, actor: WebActor) -> Response:
    return _profile_page(request, session, actor)


@router.post("/profile")
def update_profile(
    request: Request,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    display_name: Text = "",
    headline: Text = "",
    about: Text = "",
    region: Text = "",
    locale: Text = "",
) -> Response:
    values = {
        "display_name": display_name,
        "headline": headline,
        "about": about,
        "region": region,
        "locale": locale,
    }
    try:
        data = ProfileUpdate.model_validate({**values, "locale": locale or None})
        saved = people.update_my_profile(session, actor, data)
    except (ValidationError, DomainError) as error:
        return _profile_page(
            request, session, actor, values=values, errors=errors_of(error), status=422
        )
    response = redirect("/profile", notice="saved")
    if saved.locale:
        response.set_cookie(LOCALE_COOKIE, saved.locale, max_age=YEAR, samesite="lax", path="/")
    else:  # "as my browser prefers": the Accept-Language header decides again
        response.delete_cookie(LOCALE_COOKIE, path="/")
    return response


# --- equity attributes ---------------------------------------------------------------

EQUITY_FIELDS = (
    "region_type",
    "indigenous_identity",
    "age_band",
    "disability",
    "newcomer",
    "official_language",
)


def _equity_page(
    request: Request,
    session: DbSession,
    actor: Actor,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    attributes = people.get_my_equity_attributes(session, actor)
    if values is None:
        values = {
            name: getattr(attributes, name).value
            if attributes and getattr(attributes, name)
            else ""
            for name in EQUITY_FIELDS
        }
    context: dict[str, Any] = {
        "attributes": attributes,
        "values": values,
        "errors": errors or {},
        "options": {
            "region_type": [(item.value, label(item)) for item in RegionType],
            "indigenous_identity": [(item.value, label(item)) for item in YesNoUndisclosed],
            "age_band": [(item.value, label(item)) for item in AgeBand],
            "disability": [(item.value, label(item)) for item in YesNoUndisclosed],
            "newcomer": [(item.value, label(item)) for item in YesNoUndisclosed],
            "official_language": [(item.value, label(item)) for item in OfficialLanguage],
        },
    }
    return render(request, "profile/equity.html", context, actor=actor, status_code=status)


@router.get("/profile/equity")
def equity(request: Request, session: DbSession, actor: WebActor) -> Response:
    return _equity_page(request, session, actor)


@router.post("/profile/equity")
def save_equity(
    request: Request,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    consent: Text = "",
    region_type: Text = "",
    indigenous_identity: Text = "",
    age_band: Text = "",
    disability: Text = "",
    newcomer: Text = "",
    official_language: Text = "",
) -> Response:
    values = {
        "region_type": region_type,
        "indigenous_identity": indigenous_identity,
        "age_band": age_band,
        "disability": disability,
        "newcomer": newcomer,
        "official_language": official_language,
    }
    try:
        data = EquityAttributesWrite.model_validate(
            {"consent": consent == "yes", **{key: value or None for key, value in values.items()}}
        )
        people.set_my_equity_attributes(session, actor, data)
    except (ValidationError, DomainError) as error:
        return _equity_page(
            request, session, actor, values=values, errors=errors_of(error), status=422
        )
    return redirect("/profile/equity", notice="saved")


@router.post("/profile/equity/withdraw")
def withdraw_equity(session: DbSession, actor: WebActor, _csrf: CsrfChecked) -> Response:
    people.withdraw_my_equity_attributes(session, actor)
    return redirect("/profile/equity", notice="erased")


# --- API tokens ----------------------------------------------------------------------


def _tokens_page(
    request: Request,
    session: DbSession,
    actor: Actor,
    *,
    created: str | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    tokens = auth_service.list_api_tokens(session, actor)
    now = utcnow()
    context = {
        "tokens": tokens,
        "states": {token.id: auth_service.token_status(token, now).value for token in tokens},
        "created": created,
        "scopes": list(Scope),
        "values": values or {"name": "", "scopes": [], "expires_in_days": ""},
        "errors": errors or {},
    }
    # The page may hold a token shown once: no browser or proxy may keep a copy of it.
    headers = {"Cache-Control": "no-store"}
    return render(
        request,
        "profile/tokens.html",
        context,
        actor=actor,
        status_code=status,
        headers=headers,
    )


@router.get("/profile/tokens")
def tokens(request: Request, session: DbSession, actor: WebActor) -> Response:
    return _tokens_page(request, session, actor)


@router.post("/profile/tokens")
def create_token(
    request: Request,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    name: Text = "",
    scopes: Annotated[list[str] | None, Form()] = None,
    expires_in_days: Text = "",
) -> Response:
    """The plain token is in this one response and nowhere else, ever."""
    values: dict[str, Any] = {
        "name": name,
        "scopes": scopes or [],
        "expires_in_days": expires_in_days,
    }
    known = {scope.value: scope for scope in Scope}
    chosen = [known[scope] for scope in scopes or [] if scope in known]
    try:
        expires = int(expires_in_days) if expires_in_days.strip() else None
    except ValueError:
        message = gettext("Choose a number of days, or leave it empty.")
        return _tokens_page(
            request, session, actor, values=values, errors={"expires_in_days": message}, status=422
        )
    try:
        _, plain = auth_service.create_api_token(
            session, actor, name=name, scopes=chosen, expires_in_days=expires
        )
    except DomainError as error:
        return _tokens_page(
            request, session, actor, values=values, errors=errors_of(error), status=422
        )
    return _tokens_page(request, session, actor, created=plain)


@router.post("/profile/tokens/{token_id}/revoke")
def revoke_token(
    token_id: uuid.UUID, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    auth_service.revoke_api_token(session, actor, token_id)
    return redirect("/profile/tokens", notice="revoked")
