"""The issuer side of the W3C VC API: sign a credential an issuer's own system wrote, and
change the status of one Cairn issued.

Cairn signs only as one of its organisations (the credential's ``issuer`` is the
organisation's ``did:web``), only for an API token with ``credentials:issue`` whose
person is a registrar of that organisation, and only what a verifier can read in full:
the contexts must be ones Cairn ships and every term must be defined, because a proof
over JSON-LD says nothing about terms its contexts drop. Each credential gets a place in
the issuer's status lists, like those issued from awards, so it can be revoked or
suspended later; Cairn stores it exactly as signed (decision 0035)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pyld.jsonld import JsonLdError
from sqlalchemy.orm import Session

from cairn.catalogue.service import can_publish
from cairn.config import get_settings
from cairn.credentials import issued_repository as repo
from cairn.credentials import issuing_service, key_service, status_service
from cairn.credentials.data_integrity import Cryptosuite, NotCanonicalizable
from cairn.credentials.did import did_web
from cairn.credentials.issued_models import (
    CredentialKind,
    IssuedCredential,
    ProofFormat,
    StatusPurpose,
)
from cairn.credentials.jsonld import (
    JsonObject,
    as_list,
    reason_of,
    undefined_terms,
    unknown_context_of,
)
from cairn.credentials.keystore import KeyStore, configured_store
from cairn.credentials.openbadges import VC_V2, xsd_datetime
from cairn.credentials.service import require_registrar
from cairn.credentials.verification import issuer_id
from cairn.kit.actor import Actor, Scope, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from cairn.kit.i18n import LazyString, lazy_gettext
from cairn.orgs.models import Organisation

URN_UUID = "urn:uuid:"
TITLE_MAX = 300
NAMED_BY_UUID = lazy_gettext(
    "Cairn names the credentials it issues urn:uuid: and a UUID; leave the id out and Cairn "
    "gives one."
)


class CredentialState(StrEnum):
    """What a registrar and a verifier see of an issued credential; revoked wins."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


def state_of(issued: IssuedCredential) -> CredentialState:
    if issued.revoked_at is not None:
        return CredentialState.REVOKED
    if issued.suspended_at is not None:
        return CredentialState.SUSPENDED
    return CredentialState.ACTIVE


@dataclass(frozen=True)
class VcIssueOptions:
    cryptosuite: Cryptosuite = Cryptosuite.EDDSA_RDFC_2022
    credential_id: str | None = None
    """The VC API's ``options.credentialId``: how the caller will name a credential that
    carries no ``id`` of its own."""


PROOF_FORMATS = {
    Cryptosuite.EDDSA_RDFC_2022: ProofFormat.EDDSA_RDFC_2022,
    Cryptosuite.EDDSA_JCS_2022: ProofFormat.EDDSA_JCS_2022,
}


def _invalid(field: str, message: LazyString) -> InvalidInput:
    return InvalidInput(message, [FieldError(field, message)])


def _moment(value: Any) -> datetime | None:
    """An XML Schema dateTime, read as UTC when it names no offset; None if it is not one."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def issuer_document(session: Session, org_slug: str) -> JsonObject:
    """The DID document an organisation's ``did:web`` resolves to, public like the
    credentials it signs: every key the organisation ever signed with."""
    org = repo.organisation_by_slug(session, org_slug)
    if org is None:
        raise NotFound(lazy_gettext("No organisation has this short name."))
    return key_service.document_for(session, did_web(get_settings().base_url, org.slug), org.id)


def _issuer_org(session: Session, credential: Mapping[str, Any]) -> Organisation:
    """The organisation whose ``did:web`` the credential names as its issuer."""
    did = issuer_id(credential)
    if not did:
        raise _invalid(
            "credential.issuer",
            lazy_gettext("Name the issuer: the did:web of one of Cairn's organisations."),
        )
    prefix = did_web(get_settings().base_url, "")
    org = (
        repo.organisation_by_slug(session, did.removeprefix(prefix))
        if did.startswith(prefix)
        else None
    )
    if org is None:
        raise _invalid(
            "credential.issuer",
            lazy_gettext(
                "Cairn signs only as one of its organisations, and %(did)s is not one: use an "
                "organisation's did:web, such as %(example)s.",
                did=did,
                example=f"{prefix}<short-name>",
            ),
        )
    return org


def _shape_errors(credential: Mapping[str, Any]) -> list[FieldError]:
    """What an unsigned VC 2.0 credential must have, and what Cairn adds itself."""
    errors: list[FieldError] = []
    contexts = as_list(credential.get("@context"))
    if not contexts or contexts[0] != VC_V2:
        errors.append(
            FieldError(
                "credential.@context",
                lazy_gettext("The first @context must be %(url)s.", url=VC_V2),
            )
        )
    if "VerifiableCredential" not in as_list(credential.get("type")):
        errors.append(
            FieldError(
                "credential.type", lazy_gettext("The type must include VerifiableCredential.")
            )
        )
    subject = credential.get("credentialSubject")
    if not subject or not all(isinstance(s, dict) and s for s in as_list(subject)):
        errors.append(
            FieldError(
                "credential.credentialSubject",
                lazy_gettext("Say what the credential is about in credentialSubject."),
            )
        )
    if "proof" in credential:
        errors.append(
            FieldError(
                "credential.proof", lazy_gettext("Send the credential unsigned: Cairn signs it.")
            )
        )
    if "credentialStatus" in credential:
        errors.append(
            FieldError(
                "credential.credentialStatus",
                lazy_gettext(
                    "Leave credentialStatus out: Cairn gives each credential its place in the "
                    "issuer's status lists."
                ),
            )
        )
    for name in ("validFrom", "validUntil"):
        if name in credential and _moment(credential[name]) is None:
            errors.append(
                FieldError(
                    f"credential.{name}",
                    lazy_gettext(
                        "%(name)s must be a date and time such as 2026-12-04T10:00:00Z.",
                        name=name,
                    ),
                )
            )
    return errors


def _identifier(
    session: Session, credential: Mapping[str, Any], options: VcIssueOptions
) -> uuid.UUID:
    """The credential's ``urn:uuid``: the one the caller gave, if it is free, or a new one."""
    own, named = credential.get("id"), options.credential_id
    if own is not None and named is not None and own != named:
        raise _invalid(
            "options.credentialId",
            lazy_gettext("credentialId must be the credential's id when both are given."),
        )
    if own is None and named is None:
        return uuid.uuid4()
    field, given = ("credential.id", own) if own is not None else ("options.credentialId", named)
    if not isinstance(given, str) or not given.startswith(URN_UUID):
        raise _invalid(field, NAMED_BY_UUID)
    try:
        chosen = uuid.UUID(given.removeprefix(URN_UUID))
    except ValueError:
        raise _invalid(field, NAMED_BY_UUID) from None
    if repo.issued(session, chosen) is not None:
        message = lazy_gettext("A credential with this id was issued already.")
        raise Conflict(message, [FieldError(field, message)])
    return chosen


def _check_terms(credential: JsonObject) -> None:
    try:
        undefined = undefined_terms(credential)
    except JsonLdError as error:
        unknown = unknown_context_of(error)
        if unknown is None:
            raise _invalid(
                "credential",
                lazy_gettext("The JSON-LD is not valid: %(why)s", why=reason_of(error)),
            ) from error
        raise _invalid(
            "credential.@context",
            lazy_gettext(
                "The context %(url)s is not one Cairn knows, so verifiers could not read the "
                "credential's meaning; it was not fetched.",
                url=unknown.url,
            ),
        ) from error
    if undefined:
        raise _invalid(
            "credential",
            lazy_gettext(
                "These terms are not defined by the credential's contexts, so a signature over "
                "its meaning would not cover them: %(terms)s.",
                terms=", ".join(undefined),
            ),
        )


def _title(credential: Mapping[str, Any]) -> str:
    name = credential.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()[:TITLE_MAX]
    return str(as_list(credential.get("type"))[-1])[:TITLE_MAX]


def issue_credential(
    session: Session,
    actor: Actor,
    credential: Mapping[str, Any],
    options: VcIssueOptions | None = None,
    store: KeyStore | None = None,
) -> IssuedCredential:
    """Sign a credential as the organisation it names as issuer, for that organisation's
    registrars, with a place in its status lists."""
    require_scope(actor, Scope.CREDENTIALS_ISSUE)
    options = options or VcIssueOptions()
    org = _issuer_org(session, credential)
    if not can_publish(actor, org.id):
        raise PermissionDenied(
            lazy_gettext("Only the registrars of %(org)s can issue its credentials.", org=org.name)
        )
    errors = _shape_errors(credential)
    if errors:
        raise InvalidInput(lazy_gettext("The credential cannot be issued as it is."), errors)
    credential_id = _identifier(session, credential, options)
    unsigned: JsonObject = dict(credential)
    if "id" not in unsigned and options.credential_id is None:
        unsigned["id"] = f"{URN_UUID}{credential_id}"
    now = utcnow()
    valid_from = _moment(unsigned.get("validFrom")) or now
    unsigned.setdefault("validFrom", xsd_datetime(now))
    valid_until = _moment(unsigned.get("validUntil"))
    if valid_until is not None and valid_until <= valid_from:
        raise _invalid(
            "credential.validUntil", lazy_gettext("validUntil must come after validFrom.")
        )
    _check_terms(unsigned)
    status = status_service.allocate(session, org.id, credential_id)
    unsigned["credentialStatus"] = status.entries
    store = store or configured_store()
    signing = key_service.signing_key(session, store, org.id)
    proof_format = PROOF_FORMATS[options.cryptosuite]
    try:
        document = issuing_service.sign(unsigned, signing, issuer_id(unsigned), proof_format)
    except NotCanonicalizable as error:
        raise _invalid(
            "credential",
            lazy_gettext("This is not a credential Cairn can read: %(why)s", why=str(error)),
        ) from error
    issued = IssuedCredential(
        id=credential_id,
        issuer_org_id=org.id,
        kind=CredentialKind.ACHIEVEMENT,
        proof_format=proof_format,
        title=_title(unsigned),
        document=document,
        valid_from=valid_from,
        valid_until=valid_until,
        issued_by_id=None if actor.system else actor.person_id,
    )
    session.add(issued)
    session.flush()
    session.add_all(status.rows)
    session.flush()
    return issued


def _credential_uuid(credential_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(credential_id.removeprefix(URN_UUID))
    except ValueError:
        raise _invalid(
            "credentialId",
            lazy_gettext("A credential Cairn issued is named urn:uuid: and its UUID."),
        ) from None


def _as_registrar(actor: Actor) -> Actor:
    """A ``credentials:issue`` token changes a credential's status as its person's
    registrar role allows; the issuing service checks that role under the catalogue scopes,
    so the token stands for them here and nowhere else. (An actor without token limits
    loses nothing by it: those scopes are all the issuing service asks for.)"""
    return replace(actor, scopes=frozenset({Scope.CATALOGUE_READ, Scope.CATALOGUE_WRITE}))


def update_status(
    session: Session,
    actor: Actor,
    credential_id: str,
    purpose: StatusPurpose,
    flagged: bool,
    reason: str | None,
) -> IssuedCredential:
    """Set or clear a credential's revocation or suspension bit: revoke, suspend or
    reinstate it. Cairn asks a reason for revoking and suspending, and never un-revokes."""
    require_scope(actor, Scope.CREDENTIALS_ISSUE)
    issued = repo.issued(session, _credential_uuid(credential_id))
    if issued is None:
        raise NotFound(lazy_gettext("There is no such credential."))
    registrar = _as_registrar(actor)
    require_registrar(session, registrar, issued.issuer_org_id)
    if flagged and not (reason or "").strip():
        raise _invalid(
            "reason",
            lazy_gettext(
                'Cairn needs a reason to revoke or suspend a credential: send it as "reason" '
                "in the request body."
            ),
        )
    if purpose is StatusPurpose.REVOCATION:
        if not flagged:
            message = lazy_gettext("A revoked credential stays revoked: issue a new one instead.")
            raise Conflict(message, [FieldError("credentialStatus", message)])
        return issuing_service.revoke(session, registrar, issued.id, reason or "")
    if flagged:
        return issuing_service.suspend(session, registrar, issued.id, reason or "")
    return issuing_service.reinstate(session, registrar, issued.id)
