"""What verifiers fetch, open to anyone: an organisation's DID document, its signed status
lists, and the achievement every credential names.

These are read by machines checking credentials, often many times a minute, so they need
no sign-in, carry the media types the specifications name, and may be cached briefly: a
revocation shows within minutes (Bitstring Status List §6.4 lets verifiers cache)."""

from __future__ import annotations

import json
import uuid

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from cairn.auth.dependencies import DbSession, OptionalWebActor
from cairn.catalogue import public
from cairn.credentials import status_service, vc_api_service
from cairn.kit.errors import NotFound
from cairn.kit.i18n import lazy_gettext

router = APIRouter()

DID_MEDIA_TYPE = "application/did+json"
STATUS_LIST_MEDIA_TYPE = "application/vc+ld+json"
MAX_AGE = 300
"""Seconds a verifier may keep a document: how long a revocation or a new key may take to
show."""
JSON_LD_TYPES = ("application/ld+json", "application/json")


@router.get("/orgs/{org_slug}/did.json")
def did_document(session: DbSession, org_slug: str) -> Response:
    """The organisation's did:web document (DID Web Method §3.2, Read)."""
    document = vc_api_service.issuer_document(session, org_slug)
    return Response(
        json.dumps(document, ensure_ascii=False),
        media_type=DID_MEDIA_TYPE,
        headers={"Cache-Control": f"public, max-age={MAX_AGE}"},
    )


@router.get("/credentials/status/{list_id}")
def status_list(session: DbSession, list_id: str) -> Response:
    """The signed BitstringStatusListCredential, as it stands now."""
    try:
        parsed = uuid.UUID(list_id)
    except ValueError:
        raise NotFound(lazy_gettext("There is no such status list.")) from None
    return Response(
        status_service.published(session, parsed),
        media_type=STATUS_LIST_MEDIA_TYPE,
        headers={"Cache-Control": f"public, max-age={MAX_AGE}"},
    )


@router.get("/catalogue/{org_slug}/{spec_slug}/v{number}")
def achievement(
    request: Request,
    session: DbSession,
    actor: OptionalWebActor,
    org_slug: str,
    spec_slug: str,
    number: int,
) -> RedirectResponse:
    """The achievement's id in every credential: to the version's public page, or to its
    CTDL JSON-LD for a client that asks for JSON."""
    public.published_specification(session, actor, org_slug, spec_slug, number)
    accept = request.headers.get("accept", "")
    wants_json = any(kind in accept for kind in JSON_LD_TYPES) and "text/html" not in accept
    suffix = ".jsonld" if wants_json else ""
    return RedirectResponse(
        f"/catalogue/{org_slug}/{spec_slug}{suffix}?version={number}", status_code=303
    )
