"""The W3C VC API's verifier endpoints: ``POST /credentials/verify`` and
``POST /presentations/verify``, open to anyone, like the verification page.

The answer has the VC API's ``checks``, ``warnings`` and ``errors`` and, under
``report``, Cairn's graded report. It is 200 only when the credential is verified;
otherwise 400 with the same body, as the VC API verifier test suites expect. A check that
could not be made is a warning and leaves ``verified`` false: "could not check whether
it was revoked" is never reported as "not revoked" (decision 0037)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse

from cairn.api import problems
from cairn.auth.dependencies import DbSession
from cairn.credentials import verifying
from cairn.credentials.verification import Outcome, Report, Verdict
from cairn.kit.i18n import gettext

router = APIRouter(tags=["VC API"])
JsonBody = Annotated[dict[str, Any], Body()]


def _result(report: Report) -> JSONResponse:
    checks = [c.name.value for c in report.checks if c.outcome is Outcome.PASSED]
    warnings = [
        {"check": c.name.value, "message": str(c.message)}
        for c in report.checks
        if c.outcome is Outcome.COULD_NOT_CHECK
    ]
    errors = [
        {
            "check": c.name.value,
            "problem": c.problem.value if c.problem else None,
            "message": str(c.message),
        }
        for c in report.checks
        if c.outcome is Outcome.FAILED
    ]
    verified = report.verdict is Verdict.VERIFIED
    body = {
        "verified": verified,
        "checks": checks,
        "warnings": warnings,
        "errors": errors,
        "report": report.as_json(),
    }
    return JSONResponse(body, status_code=200 if verified else 400)


def _missing(request: Request, field: str) -> JSONResponse:
    detail = gettext("The request must have %(field)s.", field=field)
    return problems.problem_response(
        request,
        status=400,
        code="invalid_input",
        title=problems.title_for(400),
        detail=detail,
        errors=[(problems.pointer(["body", field]), detail)],
    )


def _options(body: dict[str, Any]) -> dict[str, Any]:
    options = body.get("options")
    return options if isinstance(options, dict) else {}


@router.post(
    "/credentials/verify",
    summary="Verify a credential: each check graded; 200 only when verified",
)
def verify_credential(request: Request, session: DbSession, body: JsonBody) -> JSONResponse:
    credential = body.get("verifiableCredential")
    if not isinstance(credential, dict | str) or not credential:
        return _missing(request, "verifiableCredential")
    return _result(verifying.verifier(session).verify(credential))


@router.post(
    "/presentations/verify",
    summary="Verify a presentation, its challenge and domain, and every credential in it",
)
def verify_presentation(request: Request, session: DbSession, body: JsonBody) -> JSONResponse:
    presentation = body.get("verifiablePresentation")
    if not isinstance(presentation, dict | str) or not presentation:
        return _missing(request, "verifiablePresentation")
    options = _options(body)
    challenge = options.get("challenge")
    domain = options.get("domain")
    report = verifying.verifier(session).verify_presentation(
        presentation,
        challenge=challenge if isinstance(challenge, str) else None,
        domain=domain if isinstance(domain, str) else None,
    )
    return _result(report)
