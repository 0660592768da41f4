"""The W3C VC API's issuer endpoints (VC API / VCALM): ``POST /credentials/issue`` signs a
credential an issuer's own system wrote, ``POST /credentials/status`` revokes, suspends or
reinstates one Cairn issued.

Callers send a Cairn API token with the ``credentials:issue`` scope as a bearer token
(RFC 6750); its person must be a registrar of the organisation that issues. OAuth2 client
credentials are not offered: an API token already is the bearer credential such a client
would be handed, and it can be limited to this one scope and given an expiry. Errors are
RFC 9457 problem details pointing at the field at fault, like the rest of the API."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cairn.api.v1.common import ERROR_RESPONSES
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.credentials import vc_api_service
from cairn.credentials.data_integrity import Cryptosuite
from cairn.credentials.issued_models import StatusPurpose
from cairn.credentials.vc_api_service import URN_UUID, CredentialState, VcIssueOptions, state_of
from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext

router = APIRouter(tags=["VC API"], responses=ERROR_RESPONSES)


class IssueOptionsIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    cryptosuite: Cryptosuite = Cryptosuite.EDDSA_RDFC_2022
    """The Data Integrity cryptosuite of the proof Cairn adds."""
    credential_id: str | None = Field(default=None, alias="credentialId")
    """How the caller will name a credential without an ``id`` of its own: urn:uuid:…"""


class IssueCredentialRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credential: dict[str, Any]
    """An unsigned VC 2.0 credential whose issuer is the did:web of a Cairn organisation;
    Cairn adds ``id`` (when absent), ``validFrom`` (when absent), ``credentialStatus`` and
    the proof."""
    options: IssueOptionsIn = Field(default_factory=IssueOptionsIn)


class IssueCredentialResponse(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    verifiable_credential: dict[str, Any] = Field(alias="verifiableCredential")


class StatusEntryRef(BaseModel):
    """VCALM: which of the credential's status entries to set or clear; the list's own
    members (``id``, ``statusListIndex``, ``statusListCredential``) may come along."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    type: str
    status_purpose: StatusPurpose = Field(alias="statusPurpose")


class NamedStatus(BaseModel):
    """Earlier VC API drafts: the status the credential should have, in words."""

    type: str
    status: Literal["revoked", "suspended", "active"]


Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class UpdateCredentialStatusRequest(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    credential_id: str = Field(alias="credentialId", max_length=200)
    """The credential's id, ``urn:uuid:`` and a UUID."""
    credential_status: (
        StatusEntryRef | Annotated[list[NamedStatus], Field(min_length=1, max_length=1)]
    ) = Field(alias="credentialStatus")
    status: bool | None = None
    """With a ``credentialStatus`` object: true sets the bit (revoke, suspend), false clears
    it (reinstate)."""
    reason: Reason | None = None
    """Cairn's own member, needed to revoke or suspend: the learner is told it."""


class CredentialStatusRead(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    credential_id: str = Field(alias="credentialId")
    state: CredentialState


NAMED = {
    "revoked": (StatusPurpose.REVOCATION, True),
    "suspended": (StatusPurpose.SUSPENSION, True),
    "active": (StatusPurpose.SUSPENSION, False),
}


def _change(data: UpdateCredentialStatusRequest) -> tuple[StatusPurpose, bool]:
    """The bit to set or clear, from either shape of the request."""
    if isinstance(data.credential_status, list):
        return NAMED[data.credential_status[0].status]
    if data.status is None:
        message = lazy_gettext("Say whether to set (true) or clear (false) this status.")
        raise InvalidInput(message, [FieldError("status", message)])
    return data.credential_status.status_purpose, data.status


@router.post(
    "/credentials/issue",
    response_model=IssueCredentialResponse,
    response_model_by_alias=True,
    status_code=status.HTTP_201_CREATED,
    summary="Sign a credential as one of Cairn's organisations (its registrars, with "
    "credentials:issue)",
)
def issue_credential(
    data: IssueCredentialRequest, session: DbSession, actor: ApiActor
) -> IssueCredentialResponse:
    options = VcIssueOptions(
        cryptosuite=data.options.cryptosuite, credential_id=data.options.credential_id
    )
    issued = vc_api_service.issue_credential(session, actor, data.credential, options)
    return IssueCredentialResponse(verifiable_credential=json.loads(issued.document))


@router.post(
    "/credentials/status",
    response_model=CredentialStatusRead,
    response_model_by_alias=True,
    summary="Revoke, suspend or reinstate a credential Cairn issued; Cairn needs a reason "
    "to revoke or suspend",
)
def update_credential_status(
    data: UpdateCredentialStatusRequest, session: DbSession, actor: ApiActor
) -> CredentialStatusRead:
    purpose, flagged = _change(data)
    issued = vc_api_service.update_status(
        session, actor, data.credential_id, purpose, flagged, data.reason
    )
    return CredentialStatusRead(credential_id=f"{URN_UUID}{issued.id}", state=state_of(issued))
