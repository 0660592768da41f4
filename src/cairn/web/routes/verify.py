"""The public verification page: anyone can check a credential -- Cairn's or anyone
else's -- by pasting it, uploading a baked badge, or giving a link, and sees each check
with its outcome rather than a bare yes or no. No sign-in is needed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from cairn.auth.dependencies import DbSession
from cairn.credentials import verify_input, verifying
from cairn.credentials.verification import Report
from cairn.kit.errors import InvalidInput
from cairn.web.csrf import CsrfChecked
from cairn.web.forms import errors_of
from cairn.web.templating import render

router = APIRouter()
NO_INDEX = {"X-Robots-Tag": "noindex"}


def _summary(credential: dict[str, Any] | None) -> dict[str, str]:
    """What a person reads first: what it is, who issued it, about whom."""
    if not credential:
        return {}
    issuer = credential.get("issuer")
    subjects = credential.get("credentialSubject")
    subject = subjects[0] if isinstance(subjects, list) and subjects else subjects
    subject = subject if isinstance(subject, dict) else {}
    achievement = subject.get("achievement")
    achievement = achievement if isinstance(achievement, dict) else {}
    return {
        "name": str(achievement.get("name") or credential.get("name") or ""),
        "issuer": str(issuer.get("name") or issuer.get("id"))
        if isinstance(issuer, dict)
        else str(issuer or ""),
        "subject": str(subject.get("name") or subject.get("id") or ""),
        "valid_from": str(credential.get("validFrom") or credential.get("issuanceDate") or ""),
        "valid_until": str(credential.get("validUntil") or credential.get("expirationDate") or ""),
    }


def _page(
    request: Request,
    report: Report | None,
    errors: dict[str, str],
    text: str,
    url: str,
    status: int = 200,
) -> Response:
    return render(
        request,
        "verify/verify.html",
        {
            "report": report,
            "summary": _summary(report.credential if report else None),
            "errors": errors,
            "text": text,
            "url": url,
        },
        status_code=status,
        headers=NO_INDEX,
    )


@router.get("/verify")
def verify_page(request: Request, session: DbSession, url: str | None = None) -> Response:
    """The form; with ``?url=`` it follows the link at once, so a QR code can point here."""
    if not url:
        return _page(request, None, {}, "", "")
    try:
        text = verify_input.from_url(url)
    except InvalidInput as error:
        return _page(request, None, errors_of(error), "", url, status=422)
    return _page(request, verifying.verifier(session).verify(text), {}, "", url)


@router.post("/verify", form_limits={"max_part_size": verify_input.MAX_FILE_BYTES})
def verify(
    request: Request,
    session: DbSession,
    _csrf: CsrfChecked,
    credential: Annotated[str, Form(max_length=verify_input.MAX_FILE_BYTES)] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    try:
        if file is not None and file.filename:
            text = verify_input.from_file(
                file.file.read(verify_input.MAX_FILE_BYTES + 1), file.filename
            )
        elif url.strip():
            text = verify_input.from_url(url)
        else:
            text = verify_input.from_text(credential)
    except InvalidInput as error:
        return _page(request, None, errors_of(error), credential, url, status=422)
    return _page(request, verifying.verifier(session).verify(text), {}, credential, url)
