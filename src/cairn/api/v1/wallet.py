"""The learner's wallet: the credentials a person holds, imports, share links and
presentations. Every route acts for the token's own person; another person's items and
links do not exist here (404). Reading needs ``profile:read``, changing ``profile:write``."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, ConfigDict, Field

from cairn.api.v1.common import ERROR_RESPONSES
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.credentials import wallet_service
from cairn.credentials.wallet_models import ItemSource, Share
from cairn.credentials.wallet_service import Held, PresentationRequest, ShareCreate, ShareState

router = APIRouter(prefix="/wallet", tags=["wallet"], responses=ERROR_RESPONSES)


class CheckRead(BaseModel):
    check: str
    outcome: str
    """passed, failed, could_not_check or not_applicable."""
    message: str
    problem: str | None = None


class VerificationRead(BaseModel):
    verified: bool
    verdict: str
    """verified, failed, or incomplete (nothing failed, but something could not be checked)."""
    problems: list[str]
    checks: list[CheckRead]


class WalletItemRead(BaseModel):
    id: uuid.UUID
    source: ItemSource
    title: str
    issuer_name: str
    source_url: str | None
    added_at: datetime
    verification: VerificationRead
    """Checked now, not when it was added."""


class WalletItemDetail(WalletItemRead):
    document: str
    """The credential exactly as held: JSON text, or a compact JWT."""
    credential: dict[str, Any] | None
    """The credential as a JSON object (decoded from the JWT for a JWT), if readable."""


class ShareRead(BaseModel):
    id: uuid.UUID
    item_id: uuid.UUID
    url: str
    """The public page of the shared credential; anyone with it sees that one credential."""
    audience: str | None
    consent_text: str
    """The words the learner agreed to when making the link."""
    consented_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    state: ShareState
    views: int
    last_viewed_at: datetime | None


class ImportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credential: dict[str, Any] | str = Field(
        description="The credential: a JSON object, or its text (JSON or a compact JWT)."
    )


def _item_read(held: Held) -> WalletItemRead:
    return WalletItemRead(
        id=held.item.id,
        source=held.item.source,
        title=held.item.title,
        issuer_name=held.item.issuer_name,
        source_url=held.item.source_url,
        added_at=held.item.added_at,
        verification=VerificationRead.model_validate(held.report.as_json()),
    )


def _item_detail(held: Held) -> WalletItemDetail:
    return WalletItemDetail(
        **_item_read(held).model_dump(),
        document=held.item.document,
        credential=held.report.credential,
    )


def _share_read(link: Share) -> ShareRead:
    return ShareRead(
        id=link.id,
        item_id=link.item_id,
        url=wallet_service.share_url(link.token),
        audience=link.audience,
        consent_text=link.consent_text,
        consented_at=link.consented_at,
        expires_at=link.expires_at,
        revoked_at=link.revoked_at,
        state=wallet_service.share_state(link),
        views=link.views,
        last_viewed_at=link.last_viewed_at,
    )


@router.get(
    "/items",
    response_model=list[WalletItemRead],
    summary="Every credential I hold, newest first, each verified now",
)
def list_items(session: DbSession, actor: ApiActor) -> list[WalletItemRead]:
    return [_item_read(held) for held in wallet_service.my_wallet(session, actor)]


@router.post(
    "/items",
    response_model=WalletItemDetail,
    status_code=status.HTTP_201_CREATED,
    summary="Import a credential from elsewhere; it is verified first, and one that fails "
    "is kept and reported as failed",
)
def import_item(data: ImportRequest, session: DbSession, actor: ApiActor) -> WalletItemDetail:
    text = (
        data.credential
        if isinstance(data.credential, str)
        else json.dumps(data.credential, ensure_ascii=False)
    )
    return _item_detail(wallet_service.import_text(session, actor, text))


@router.get(
    "/items/{item_id}",
    response_model=WalletItemDetail,
    summary="One credential I hold, with its graded verification now",
)
def get_item(item_id: uuid.UUID, session: DbSession, actor: ApiActor) -> WalletItemDetail:
    return _item_detail(wallet_service.held(session, actor, item_id))


@router.delete(
    "/items/{item_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a credential from my wallet; its share links stop working",
)
def remove_item(item_id: uuid.UUID, session: DbSession, actor: ApiActor) -> Response:
    wallet_service.remove(session, actor, item_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/items/{item_id}/shares",
    response_model=list[ShareRead],
    summary="The share links of one credential, newest first, ended ones too",
)
def list_shares(item_id: uuid.UUID, session: DbSession, actor: ApiActor) -> list[ShareRead]:
    return [_share_read(link) for link in wallet_service.shares(session, actor, item_id)]


@router.post(
    "/items/{item_id}/shares",
    response_model=ShareRead,
    status_code=status.HTTP_201_CREATED,
    summary="Share one credential by link: needs consent true, which records the words "
    "agreed to; expires after expires_in_days (default 30, at most 365)",
)
def create_share(
    item_id: uuid.UUID, data: ShareCreate, session: DbSession, actor: ApiActor
) -> ShareRead:
    return _share_read(wallet_service.share(session, actor, item_id, data))


@router.post(
    "/shares/{share_id}/revoke",
    response_model=ShareRead,
    summary="Stop a share link now",
)
def revoke_share(share_id: uuid.UUID, session: DbSession, actor: ApiActor) -> ShareRead:
    return _share_read(wallet_service.revoke_share(session, actor, share_id))


@router.post(
    "/presentations",
    response_model=dict[str, Any],
    summary="A verifiable presentation of chosen credentials, signed with my holder key "
    "over the verifier's challenge and domain",
)
def present(data: PresentationRequest, session: DbSession, actor: ApiActor) -> dict[str, Any]:
    return wallet_service.present(session, actor, data)
