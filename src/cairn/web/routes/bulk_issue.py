"""Bulk issue on the web: an issuer's registrar uploads a CSV file of learners to check it
or to issue a credential per row, then reads the run's page and the issue log.

The run happens within the request (one transaction, as on the command line); the page
of the run shows what it did, or every problem of a refused file."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cairn.auth.dependencies import DbSession
from cairn.credentials import bulk_service, service
from cairn.credentials.bulk_csv import MAX_FILE_BYTES, CsvFile
from cairn.credentials.bulk_service import STATUS_LABELS, BulkIssue
from cairn.credentials.issued_models import ProofFormat
from cairn.kit.actor import Actor
from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import LazyString, lazy_gettext
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of
from cairn.web.routes.orgs import org_context
from cairn.web.templating import render

router = APIRouter()
Text = Annotated[str, Form(max_length=300)]
PROOF_LABELS: dict[ProofFormat, LazyString] = {
    ProofFormat.EDDSA_RDFC_2022: lazy_gettext(
        "Data Integrity proof, eddsa-rdfc-2022 (recommended: any verifier reads it)"
    ),
    ProofFormat.EDDSA_JCS_2022: lazy_gettext("Data Integrity proof, eddsa-jcs-2022"),
    ProofFormat.VC_JWT: lazy_gettext("JSON Web Token (VC-JWT)"),
}
ISSUE = "issue"
"""The button that issues; the other one only checks."""


def _upload_page(
    request: Request,
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    org = service.require_registrar(session, actor, org_id, write=False)
    context = org_context(actor, org, "bulk_issue")
    context.update(
        specifications=[
            (specification.slug, f"{version.title} · v{version.number}")
            for specification, version in service.awardable_versions(session, actor, org.id)
        ],
        proofs=[(proof.value, str(text)) for proof, text in PROOF_LABELS.items()],
        log=bulk_service.issue_log(session, actor, org.id),
        status_labels=STATUS_LABELS,
        values=values or {"proof_format": ProofFormat.EDDSA_RDFC_2022.value},
        errors=errors or {},
        max_mb=MAX_FILE_BYTES >> 20,
    )
    return render(request, "bulk_issue/upload.html", context, actor=actor, status_code=status)


@router.get("/orgs/{org_id}/bulk-issue")
def upload_page(
    request: Request, org_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    return _upload_page(request, session, actor, org_id)


@router.post("/orgs/{org_id}/bulk-issue")
def upload(
    request: Request,
    org_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    specification: Text = "",
    proof_format: Text = "",
    action: Text = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    service.require_registrar(session, actor, org_id)
    values = {"specification": specification, "proof_format": proof_format}
    try:
        if file is None or not file.filename:
            message = lazy_gettext("Choose the CSV file of learners.")
            raise InvalidInput(message, [FieldError("file", message)])
        data = file.file.read(MAX_FILE_BYTES + 1)
        batch = bulk_service.issue_from_csv(
            session,
            actor,
            org_id,
            CsvFile(file.filename, data),
            BulkIssue(specification, _proof(proof_format), dry_run=action != ISSUE),
        )
    except InvalidInput as error:
        return _upload_page(
            request, session, actor, org_id, values=values, errors=errors_of(error), status=422
        )
    return redirect(f"/orgs/{org_id}/bulk-issue/{batch.id}")


def _proof(value: str) -> ProofFormat:
    try:
        return ProofFormat(value)
    except ValueError:
        message = lazy_gettext("Choose one of the proof formats offered.")
        raise InvalidInput(message, [FieldError("proof_format", message)]) from None


@router.get("/orgs/{org_id}/bulk-issue/{batch_id}")
def batch_page(
    request: Request, org_id: uuid.UUID, batch_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    line = bulk_service.get_batch(session, actor, batch_id, org_id=org_id)
    org = service.require_registrar(session, actor, org_id, write=False)
    context = org_context(actor, org, "bulk_issue")
    context.update(
        line=line,
        batch=line.batch,
        status_label=STATUS_LABELS[line.batch.status],
        problems=bulk_service.logged_problems(line.batch),
    )
    return render(request, "bulk_issue/batch.html", context, actor=actor)
