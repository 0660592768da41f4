"""Sign-in, sign-out, the language switch and invitation acceptance."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError

from cairn.auth import service as auth_service
from cairn.auth.dependencies import SESSION_COOKIE, DbSession, OptionalWebActor
from cairn.kit.i18n import LOCALE_COOKIE, normalise_locale
from cairn.kit.validation import field_errors
from cairn.orgs import invitations
from cairn.orgs.schemas import InvitationAccept
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import redirect, safe_next
from cairn.web.templating import render

router = APIRouter()
YEAR = 365 * 24 * 3600


def _set_session_cookie(request: Request, response: Response, token: str) -> None:
    settings = request.app.state.settings
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )


@router.get("/sign-in")
def sign_in_page(request: Request, actor: OptionalWebActor, next: str | None = None) -> Response:
    if actor is not None:
        return redirect(safe_next(next))
    return render(
        request, "account/sign_in.html", {"next": safe_next(next), "email": "", "error": None}
    )


@router.post("/sign-in")
def sign_in(
    request: Request,
    session: DbSession,
    _csrf: CsrfChecked,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    result = auth_service.sign_in(
        session,
        email=email,
        password=password,
        ip_address=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )
    if result.session_token is None or result.person is None:
        return render(
            request,
            "account/sign_in.html",
            {"next": safe_next(next), "email": email, "error": str(result.error)},
            status_code=429 if result.locked else 401,
        )
    response = redirect(safe_next(next))
    _set_session_cookie(request, response, result.session_token)
    if result.person.locale:
        response.set_cookie(
            LOCALE_COOKIE, result.person.locale, max_age=YEAR, samesite="lax", path="/"
        )
    return response


@router.post("/sign-out")
def sign_out(request: Request, session: DbSession, _csrf: CsrfChecked) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        auth_service.sign_out(session, token)
    response = redirect("/sign-in", notice="signed-out")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language")
def switch_language(
    _csrf: CsrfChecked,
    language: Annotated[str, Form()] = "en",
    next: Annotated[str, Form()] = "/",
) -> Response:
    response = redirect(safe_next(next))
    locale = normalise_locale(language)
    if locale is not None:
        response.set_cookie(LOCALE_COOKIE, locale, max_age=YEAR, samesite="lax", path="/")
    return response


@router.get("/invitations/{token}")
def invitation_page(request: Request, token: str, session: DbSession) -> Response:
    invitation, org, person = invitations.pending_invitation(session, token)
    return render(
        request,
        "account/accept_invitation.html",
        {
            "invitation": invitation,
            "org": org,
            "existing": person,
            "errors": {},
            "display_name": "",
        },
    )


@router.post("/invitations/{token}")
def accept_invitation(
    request: Request,
    token: str,
    session: DbSession,
    _csrf: CsrfChecked,
    display_name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    invitation, org, person = invitations.pending_invitation(session, token)
    data: InvitationAccept | None = None
    if person is None or person.password_hash is None:
        try:
            data = InvitationAccept(display_name=display_name, password=password)
        except ValidationError as error:
            errors = {item.field: str(item.message) for item in field_errors(error)}
            return render(
                request,
                "account/accept_invitation.html",
                {
                    "invitation": invitation,
                    "org": org,
                    "existing": person,
                    "errors": errors,
                    "display_name": display_name,
                },
                status_code=422,
            )
    invitations.accept_invitation(session, token, data)
    return redirect("/sign-in", notice="invitation-accepted")
