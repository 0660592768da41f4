"""An issuer's verifiable credentials on the web, for its registrars: what was issued and
its state, issuing one for an award, each credential with its verification report,
revoking, suspending and reinstating with a reason, and rotating the signing key."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cairn.auth.dependencies import DbSession
from cairn.credentials import issuing_service, key_service, service, vc_api_service, verifying
from cairn.credentials.issued_models import IssuedCredential, ProofFormat
from cairn.credentials.issuing_service import IssueOptions
from cairn.credentials.keystore import configured_store
from cairn.credentials.repository import AwardLine
from cairn.credentials.vc_api_service import CredentialState, state_of
from cairn.kit.actor import Actor
from cairn.kit.errors import Conflict, InvalidInput, NotFound
from cairn.kit.i18n import LazyString, lazy_gettext
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of
from cairn.web.routes.orgs import org_context
from cairn.web.templating import render

router = APIRouter()
Text = Annotated[str, Form()]

FORMATS: dict[ProofFormat, tuple[LazyString, LazyString]] = {
    ProofFormat.EDDSA_RDFC_2022: (
        lazy_gettext("Data Integrity, by meaning (recommended)"),
        lazy_gettext(
            "The signature covers what the credential says rather than how its JSON is "
            "written, so any Open Badges 3.0 verifier can check it, even after a wallet "
            "reformats it."
        ),
    ),
    ProofFormat.EDDSA_JCS_2022: (
        lazy_gettext("Data Integrity, by exact JSON"),
        lazy_gettext(
            "The signature covers the JSON as written: quicker to check, but only verifiers "
            "that support this newer suite accept it."
        ),
    ),
    ProofFormat.VC_JWT: (
        lazy_gettext("VC-JWT"),
        lazy_gettext(
            "The credential travels as one signed token (a JSON Web Token), for systems "
            "that expect JWTs rather than JSON-LD."
        ),
    ),
}
STATES: dict[CredentialState, LazyString] = {
    CredentialState.ACTIVE: lazy_gettext("Active"),
    CredentialState.SUSPENDED: lazy_gettext("Suspended"),
    CredentialState.REVOKED: lazy_gettext("Revoked"),
}
FORM_FIELDS = {"evidence": "evidence_url", "award": "__root__"}
"""Fields the issuing service names, as the form names them."""
REASON_FIELDS = {"revoke": {"reason": "revoke_reason"}, "suspend": {"reason": "suspend_reason"}}
"""The detail page holds both forms, so each names its reason apart."""


def _award_lines(session: Session, actor: Actor, org_id: uuid.UUID) -> dict[uuid.UUID, AwardLine]:
    """The issuer's awards by id, which name each credential's learner; refuses anyone
    but the issuer's registrars."""
    return {line.award.id: line for line in service.list_awards_for_issuer(session, actor, org_id)}


def live_credentials(
    credentials: Sequence[IssuedCredential],
) -> dict[uuid.UUID, IssuedCredential]:
    """Each award's credential that is not revoked (an award has at most one)."""
    return {c.award_id: c for c in credentials if c.award_id is not None and c.revoked_at is None}


def _labels() -> dict[str, Any]:
    return {"formats": FORMATS, "states": STATES, "state_of": state_of}


@router.get("/orgs/{org_id}/credentials")
def credentials_page(
    request: Request, org_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    org = service.require_registrar(session, actor, org_id, write=False)
    lines = _award_lines(session, actor, org_id)
    context = org_context(actor, org, "credentials")
    context.update(
        credentials=issuing_service.issued_by_org(session, actor, org_id),
        lines=lines,
        did=vc_api_service.issuer_document(session, org.slug),
        **_labels(),
    )
    return render(request, "issued/list.html", context, actor=actor)


@router.post("/orgs/{org_id}/credentials/rotate-key")
def rotate_key(
    org_id: uuid.UUID, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    key_service.rotate(session, actor, configured_store(), org_id)
    return redirect(f"/orgs/{org_id}/credentials", notice="saved")


def _issue_page(
    request: Request,
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    award_id: uuid.UUID,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    org = service.require_registrar(session, actor, org_id, write=False)
    line = _award_lines(session, actor, org_id).get(award_id)
    if line is None:
        raise NotFound(lazy_gettext("There is no such award."))
    live = live_credentials(issuing_service.issued_by_org(session, actor, org_id))
    context = org_context(actor, org, "awards")
    context.update(
        line=line,
        live=live.get(award_id),
        values=values or {"proof_format": ProofFormat.EDDSA_RDFC_2022.value},
        errors=errors or {},
        **_labels(),
    )
    return render(request, "issued/issue.html", context, actor=actor, status_code=status)


@router.get("/orgs/{org_id}/awards/{award_id}/issue")
def issue_page(
    request: Request, org_id: uuid.UUID, award_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    return _issue_page(request, session, actor, org_id, award_id)


def _issue_options(values: dict[str, str], errors: dict[str, str]) -> IssueOptions:
    """The form's choices; what the form itself can tell is wrong goes in ``errors``."""
    try:
        proof = ProofFormat(values["proof_format"])
    except ValueError:
        errors["proof_format"] = str(lazy_gettext("Choose one of the listed formats."))
        proof = ProofFormat.EDDSA_RDFC_2022
    valid_until = None
    if values["valid_until"]:
        try:
            day = date.fromisoformat(values["valid_until"])
            valid_until = datetime.combine(day, time(23, 59, 59), tzinfo=UTC)
        except ValueError:
            errors["valid_until"] = str(lazy_gettext("Enter a date such as 2027-06-30."))
    url, name = values["evidence_url"], values["evidence_name"]
    if name and not url:
        errors["evidence_url"] = str(lazy_gettext("Give the address of the evidence."))
    if url and not name:
        errors["evidence_name"] = str(
            lazy_gettext("Name the evidence, so a verifier knows what it shows.")
        )
    return IssueOptions(
        proof_format=proof, valid_until=valid_until, evidence=[(url, name)] if url and name else []
    )


@router.post("/orgs/{org_id}/awards/{award_id}/issue")
def issue(
    request: Request,
    org_id: uuid.UUID,
    award_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    proof_format: Text = "",
    valid_until: Text = "",
    evidence_url: Text = "",
    evidence_name: Text = "",
) -> Response:
    service.require_registrar(session, actor, org_id)
    if _award_lines(session, actor, org_id).get(award_id) is None:
        raise NotFound(lazy_gettext("There is no such award."))
    values = {
        "proof_format": proof_format,
        "valid_until": valid_until.strip(),
        "evidence_url": evidence_url.strip(),
        "evidence_name": evidence_name.strip(),
    }
    errors: dict[str, str] = {}
    options = _issue_options(values, errors)
    if not errors:
        try:
            issued = issuing_service.issue_award(session, actor, award_id, options)
        except (InvalidInput, Conflict) as error:
            errors = {FORM_FIELDS.get(k, k): v for k, v in errors_of(error).items()}
        else:
            return redirect(f"/orgs/{org_id}/credentials/{issued.id}", notice="created")
    return _issue_page(
        request, session, actor, org_id, award_id, values=values, errors=errors, status=422
    )


def _credential_page(
    request: Request,
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    credential_id: uuid.UUID,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    org = service.require_registrar(session, actor, org_id, write=False)
    lines = _award_lines(session, actor, org_id)
    issued = issuing_service.issued_credential(session, actor, credential_id)
    if issued.issuer_org_id != org_id:
        raise NotFound(lazy_gettext("There is no such credential."))
    shown = (
        issued.document
        if issued.proof_format is ProofFormat.VC_JWT
        else json.dumps(json.loads(issued.document), indent=2, ensure_ascii=False)
    )
    context = org_context(actor, org, "credentials")
    context.update(
        issued=issued,
        line=lines.get(issued.award_id) if issued.award_id else None,
        state=state_of(issued),
        document=shown,
        report=verifying.verifier(session).verify(issued.document),
        values=values or {},
        errors=errors or {},
        **_labels(),
    )
    return render(request, "issued/detail.html", context, actor=actor, status_code=status)


@router.get("/orgs/{org_id}/credentials/{credential_id}")
def credential_page(
    request: Request,
    org_id: uuid.UUID,
    credential_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
) -> Response:
    return _credential_page(request, session, actor, org_id, credential_id)


def _own(session: Session, actor: Actor, org_id: uuid.UUID, credential_id: uuid.UUID) -> None:
    """Refuse, before reading the form, anyone but the issuer's registrars, and a
    credential of another issuer."""
    service.require_registrar(session, actor, org_id)
    if issuing_service.issued_credential(session, actor, credential_id).issuer_org_id != org_id:
        raise NotFound(lazy_gettext("There is no such credential."))


@router.post("/orgs/{org_id}/credentials/{credential_id}/revoke")
def revoke(
    request: Request,
    org_id: uuid.UUID,
    credential_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    revoke_reason: Text = "",
    confirm: Text = "",
) -> Response:
    _own(session, actor, org_id, credential_id)
    values = {"revoke_reason": revoke_reason, "confirm": confirm}
    if confirm != "yes":
        errors = {
            "confirm": str(lazy_gettext("Tick the box to confirm: revoking cannot be undone."))
        }
    else:
        try:
            issuing_service.revoke(session, actor, credential_id, revoke_reason)
        except (InvalidInput, Conflict) as error:
            errors = {REASON_FIELDS["revoke"].get(k, k): v for k, v in errors_of(error).items()}
        else:
            errors = {}
    if errors:
        return _credential_page(
            request, session, actor, org_id, credential_id, values=values, errors=errors, status=422
        )
    return redirect(f"/orgs/{org_id}/credentials/{credential_id}", notice="revoked")


@router.post("/orgs/{org_id}/credentials/{credential_id}/suspend")
def suspend(
    request: Request,
    org_id: uuid.UUID,
    credential_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    suspend_reason: Text = "",
) -> Response:
    _own(session, actor, org_id, credential_id)
    try:
        issuing_service.suspend(session, actor, credential_id, suspend_reason)
    except (InvalidInput, Conflict) as error:
        errors = {REASON_FIELDS["suspend"].get(k, k): v for k, v in errors_of(error).items()}
        return _credential_page(
            request,
            session,
            actor,
            org_id,
            credential_id,
            values={"suspend_reason": suspend_reason},
            errors=errors,
            status=422,
        )
    return redirect(f"/orgs/{org_id}/credentials/{credential_id}", notice="saved")


@router.post("/orgs/{org_id}/credentials/{credential_id}/reinstate")
def reinstate(
    request: Request,
    org_id: uuid.UUID,
    credential_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    _own(session, actor, org_id, credential_id)
    try:
        issuing_service.reinstate(session, actor, credential_id)
    except Conflict as error:
        return _credential_page(
            request, session, actor, org_id, credential_id, errors=errors_of(error), status=409
        )
    return redirect(f"/orgs/{org_id}/credentials/{credential_id}", notice="saved")
