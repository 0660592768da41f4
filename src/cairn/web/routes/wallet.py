"""The learner's wallet on the web: every credential they hold with its verification now,
imports, share links with consent, downloads and presentations; and the public page of a
share link, which needs no sign-in and is never indexed."""

from __future__ import annotations

import json
import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cairn.assessment.rpl_files import download_headers
from cairn.auth.dependencies import DbSession
from cairn.credentials import verify_input, wallet_service
from cairn.credentials.printable import day
from cairn.credentials.wallet_service import (
    DEFAULT_EXPIRY_DAYS,
    EXPIRY_CHOICES,
    Download,
    DownloadFormat,
    PresentationRequest,
    ShareCreate,
    SharedFormat,
    ShareEnded,
)
from cairn.kit.actor import Actor
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, InvalidInput
from cairn.kit.i18n import ngettext
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of, parse
from cairn.web.templating import render

router = APIRouter()
Text = Annotated[str, Form()]
NO_INDEX = {"X-Robots-Tag": "noindex, nofollow"}


def _file(download: Download, extra: dict[str, str] | None = None) -> Response:
    headers = {**download_headers(download.filename, download.media_type), **(extra or {})}
    return Response(download.data, headers=headers)


@router.get("/wallet")
def wallet(request: Request, session: DbSession, actor: WebActor) -> Response:
    return render(
        request,
        "wallet/list.html",
        {"held": wallet_service.my_wallet(session, actor)},
        actor=actor,
    )


def _import_page(
    request: Request,
    actor: Actor,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "wallet/import.html",
        {"values": values or {}, "errors": errors or {}},
        actor=actor,
        status_code=status,
    )


@router.get("/wallet/import")
def import_page(request: Request, actor: WebActor) -> Response:
    return _import_page(request, actor)


@router.post("/wallet/import", form_limits={"max_part_size": verify_input.MAX_FILE_BYTES})
def import_credential(
    request: Request,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    credential: Annotated[str, Form(max_length=verify_input.MAX_FILE_BYTES)] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """A file wins over a link, a link over pasted text: whichever the learner gave."""
    try:
        if file is not None and file.filename:
            data = file.file.read(verify_input.MAX_FILE_BYTES + 1)
            held = wallet_service.import_file(session, actor, data, file.filename)
        elif url.strip():
            held = wallet_service.import_url(session, actor, url)
        else:
            held = wallet_service.import_text(session, actor, credential)
    except (InvalidInput, Conflict) as error:
        values = {"credential": credential, "url": url}
        return _import_page(request, actor, values=values, errors=errors_of(error), status=422)
    return redirect(f"/wallet/items/{held.item.id}", notice="created")


def _item_page(
    request: Request,
    session: Session,
    actor: Actor,
    item_id: uuid.UUID,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    held = wallet_service.held(session, actor, item_id)
    links = wallet_service.shares(session, actor, item_id)
    now = utcnow()
    context = {
        "held": held,
        "document": _pretty(held.item.document),
        "links": [
            (link, wallet_service.share_state(link, now), wallet_service.share_url(link.token))
            for link in links
        ],
        "expiry_choices": [
            (str(days), ngettext("%(num)s day", "%(num)s days", days)) for days in EXPIRY_CHOICES
        ],
        "consent_words": wallet_service.consent_words(None),
        "values": values or {"expires_in_days": str(DEFAULT_EXPIRY_DAYS)},
        "errors": errors or {},
        "day": day,
    }
    return render(request, "wallet/item.html", context, actor=actor, status_code=status)


def _pretty(document: str) -> str:
    """JSON indented for reading; a JWT as it is."""
    try:
        return json.dumps(json.loads(document), indent=2, ensure_ascii=False)
    except ValueError:
        return document


@router.get("/wallet/items/{item_id}")
def item_page(
    request: Request, item_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    return _item_page(request, session, actor, item_id)


@router.get("/wallet/items/{item_id}/download/{file_format}")
def download(
    item_id: uuid.UUID, file_format: DownloadFormat, session: DbSession, actor: WebActor
) -> Response:
    return _file(wallet_service.download_held(session, actor, item_id, file_format))


@router.post("/wallet/items/{item_id}/shares")
def create_share(
    request: Request,
    item_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    consent: Text = "",
    audience: Text = "",
    expires_in_days: Text = "",
) -> Response:
    wallet_service.require_item(session, actor, item_id)  # not theirs: 404 before form errors
    values = {"consent": consent, "audience": audience, "expires_in_days": expires_in_days}
    try:
        data = parse(
            ShareCreate,
            {
                "consent": consent == "yes",
                "audience": audience,
                "expires_in_days": expires_in_days,
            },
        )
        wallet_service.share(session, actor, item_id, data)
    except (ValidationError, InvalidInput) as error:
        return _item_page(
            request, session, actor, item_id, values=values, errors=errors_of(error), status=422
        )
    return redirect(f"/wallet/items/{item_id}", notice="created")


@router.post("/wallet/shares/{share_id}/revoke")
def revoke_share(
    share_id: uuid.UUID, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    link = wallet_service.revoke_share(session, actor, share_id)
    return redirect(f"/wallet/items/{link.item_id}", notice="revoked")


@router.post("/wallet/items/{item_id}/remove")
def remove(item_id: uuid.UUID, session: DbSession, actor: WebActor, _csrf: CsrfChecked) -> Response:
    wallet_service.remove(session, actor, item_id)
    return redirect("/wallet", notice="deleted")


def _present_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    values: dict[str, str | list[str]] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "wallet/present.html",
        {
            "held": wallet_service.my_wallet(session, actor),
            "values": values or {},
            "errors": errors or {},
        },
        actor=actor,
        status_code=status,
    )


@router.get("/wallet/present")
def present_page(request: Request, session: DbSession, actor: WebActor) -> Response:
    return _present_page(request, session, actor)


@router.post("/wallet/present")
async def present(
    request: Request, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    form = await request.form()
    chosen = [value for value in form.getlist("item_ids") if isinstance(value, str)]
    values: dict[str, str | list[str]] = {
        "item_ids": chosen,
        "challenge": str(form.get("challenge", "")),
        "domain": str(form.get("domain", "")),
    }
    try:
        data = parse(PresentationRequest, values)
        presentation = wallet_service.present(session, actor, data)
    except (ValidationError, InvalidInput) as error:
        return _present_page(
            request, session, actor, values=values, errors=errors_of(error), status=422
        )
    body = json.dumps(presentation, indent=2, ensure_ascii=False).encode()
    return _file(Download("presentation.json", "application/ld+json", body))


def _gone(request: Request, error: ShareEnded) -> Response:
    return render(
        request,
        "wallet/share_gone.html",
        {"message": str(error.message), "revoked": error.revoked},
        status_code=410,
        headers=NO_INDEX,
    )


@router.get("/s/{share_token}")
def shared(request: Request, share_token: str, session: DbSession) -> Response:
    try:
        found = wallet_service.open_share(session, share_token)
    except ShareEnded as error:
        return _gone(request, error)
    context = {"shared": found, "held": found.held, "day": day}
    return render(request, "wallet/shared.html", context, headers=NO_INDEX)


@router.get("/s/{share_token}/download/{file_format}")
def shared_download(
    request: Request, share_token: str, file_format: SharedFormat, session: DbSession
) -> Response:
    try:
        found = wallet_service.shared_download(session, share_token, file_format)
    except ShareEnded as error:
        return _gone(request, error)
    return _file(found, NO_INDEX)
