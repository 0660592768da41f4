"""Recognition of prior learning: the learner's claims under /assessments/rpl, and each
organisation's assessors' queue and review under /orgs/{org_id}/rpl.

Claims and evidence are multipart forms (files and links together), read whole with
``request.form()`` so that numbered link fields keep the names errors point at."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from cairn.assessment import rpl
from cairn.assessment.enums import RplStatus
from cairn.assessment.enums import label as assessment_label
from cairn.assessment.models import RplArtifact
from cairn.assessment.rpl_files import (
    ACCEPTED_EXTENSIONS,
    MAX_CLAIM_BYTES,
    MAX_FILE_BYTES,
    download_headers,
)
from cairn.assessment.rpl_schemas import ClaimCreate, DecisionWrite, EvidenceAdd, Outcome
from cairn.auth.dependencies import DbSession
from cairn.kit.actor import Actor
from cairn.kit.errors import Conflict, InvalidInput
from cairn.kit.i18n import gettext
from cairn.kit.pagination import PageParams
from cairn.taxonomy import service as taxonomy_service
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of
from cairn.web.routes.orgs import org_context
from cairn.web.templating import render

router = APIRouter()
PER_PAGE = 25
NEW_LINK_ROWS = 3
SEARCH_RESULTS = 10
StatusFilter = Literal["all", "submitted", "more_evidence", "accepted", "rejected"]


def _limits() -> dict[str, Any]:
    return {
        "accept": ",".join(ACCEPTED_EXTENSIONS),
        "extensions": ", ".join(ACCEPTED_EXTENSIONS),
        "max_file_mb": MAX_FILE_BYTES >> 20,
        "max_claim_mb": MAX_CLAIM_BYTES >> 20,
    }


def _links(form: FormData, rows: int) -> tuple[list[dict[str, str]], list[int]]:
    """The filled link rows, and the row each came from: empty rows are skipped, and a row
    with only a title is kept so that its missing address is pointed out."""
    links: list[dict[str, str]] = []
    rows_used: list[int] = []
    for index in range(rows):
        url = str(form.get(f"links.{index}.url") or "").strip()
        title = str(form.get(f"links.{index}.title") or "").strip()
        if url or title:
            links.append({"url": url, "title": title})
            rows_used.append(index)
    return links, rows_used


def _on_rows(errors: dict[str, str], rows_used: list[int]) -> dict[str, str]:
    """Errors about the n-th filled link point at the fields of the row it was typed in."""
    moved: dict[str, str] = {}
    for field, message in errors.items():
        parts = field.split(".")
        if parts[0] == "links" and len(parts) > 1 and parts[1].isdigit():
            position = int(parts[1])
            parts[1] = str(rows_used[position] if position < len(rows_used) else position)
        moved[".".join(parts)] = message
    return moved


async def _uploads(form: FormData) -> list[rpl.Upload]:
    """The chosen files, each read only up to one byte past the cap, then closed."""
    uploads: list[rpl.Upload] = []
    for value in form.getlist("files"):
        if isinstance(value, UploadFile):
            if value.filename:
                uploads.append(rpl.Upload(value.filename, await value.read(MAX_FILE_BYTES + 1)))
            await value.close()
    return uploads


def _download(artifact: RplArtifact) -> Response:
    headers = download_headers(
        artifact.filename or "file", artifact.media_type or "application/octet-stream"
    )
    return Response(content=artifact.data or b"", headers=headers)


# --- the learner's claims -------------------------------------------------------------------


@router.get("/assessments/rpl")
def my_claims(
    request: Request,
    session: DbSession,
    actor: WebActor,
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    result = rpl.my_claims(session, actor, PageParams(page=page, per_page=PER_PAGE))
    return render(request, "rpl/list.html", {"result": result}, actor=actor)


def _new_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    skill_q: str = "",
    skill_id: str = "",
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    errors = dict(errors or {})
    chosen = None
    if skill_id:
        try:
            chosen = rpl.claimable_skill(session, actor, uuid.UUID(skill_id))
        except (ValueError, InvalidInput):
            errors.setdefault("skill_q", str(_not_claimable()))
    reader = actor.without_scopes()
    context = {
        "skill_q": skill_q,
        "results": (
            taxonomy_service.search_skills(
                session, reader, taxonomy_service.SkillQuery(text=skill_q, limit=SEARCH_RESULTS)
            )
            if skill_q.strip()
            else []
        ),
        "skill": chosen[0] if chosen else None,
        "framework": chosen[1] if chosen else None,
        "levels": rpl.levels_of(session, *chosen) if chosen else [],
        "org_options": [
            (str(org.id), org.name) for org in rpl.claimable_organisations(session, actor)
        ],
        "values": values or {},
        "errors": errors,
        "link_rows": NEW_LINK_ROWS,
        **_limits(),
    }
    return render(request, "rpl/new.html", context, actor=actor, status_code=status)


def _not_claimable() -> str:
    return gettext("Choose a skill of a public framework or of one of your organisations.")


@router.get("/assessments/rpl/new")
def new_claim(
    request: Request,
    session: DbSession,
    actor: WebActor,
    skill_q: Annotated[str, Query(max_length=200)] = "",
    skill_id: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    return _new_page(request, session, actor, skill_q=skill_q, skill_id=skill_id)


@router.post("/assessments/rpl/new")
async def submit_claim(
    request: Request, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    form = await request.form()
    values = {key: value for key, value in form.items() if isinstance(value, str)}
    links, rows_used = _links(form, NEW_LINK_ROWS)
    uploads = await _uploads(form)
    try:
        data = ClaimCreate.model_validate(
            {
                "org_id": values.get("org_id") or None,
                "skill_id": values.get("skill_id") or None,
                "claimed_level": values.get("claimed_level") or None,
                "statement": values.get("statement", ""),
                "links": links,
            }
        )
        claim = rpl.submit_claim(session, actor, data, uploads)
    except (ValidationError, InvalidInput) as error:
        return _new_page(
            request,
            session,
            actor,
            skill_id=values.get("skill_id", ""),
            values=values,
            errors=_on_rows(errors_of(error), rows_used),
            status=422,
        )
    return redirect(f"/assessments/rpl/{claim.id}", notice="created")


def _claim_page(
    request: Request,
    session: Session,
    actor: Actor,
    claim_id: uuid.UUID,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = {"view": rpl.my_claim(session, actor, claim_id), "errors": errors or {}, **_limits()}
    return render(request, "rpl/claim.html", context, actor=actor, status_code=status)


@router.get("/assessments/rpl/{claim_id}")
def my_claim(
    request: Request, claim_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    return _claim_page(request, session, actor, claim_id)


@router.post("/assessments/rpl/{claim_id}/evidence")
async def add_evidence(
    request: Request,
    claim_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    form = await request.form()
    uploads = await _uploads(form)
    rpl.my_claim(session, actor, claim_id)  # someone else's claim: 404 before reading input
    links, _ = _links(form, 1)
    try:
        added = EvidenceAdd.model_validate({"links": links}).links if links else []
        rpl.add_evidence(session, actor, claim_id, added, uploads)
    except (ValidationError, InvalidInput, Conflict) as error:
        status = error.status if isinstance(error, Conflict) else 422
        return _claim_page(
            request, session, actor, claim_id, errors=errors_of(error), status=status
        )
    return redirect(f"/assessments/rpl/{claim_id}", notice="saved")


@router.post("/assessments/rpl/{claim_id}/resubmit")
def resubmit(
    request: Request,
    claim_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    try:
        rpl.resubmit(session, actor, claim_id)
    except Conflict as error:
        return _claim_page(request, session, actor, claim_id, errors=errors_of(error), status=409)
    return redirect(f"/assessments/rpl/{claim_id}", notice="saved")


@router.post("/assessments/rpl/{claim_id}/withdraw")
def withdraw(
    request: Request,
    claim_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    try:
        rpl.withdraw(session, actor, claim_id)
    except Conflict as error:
        return _claim_page(request, session, actor, claim_id, errors=errors_of(error), status=409)
    return redirect("/assessments/rpl", notice="deleted")


@router.get("/assessments/rpl/{claim_id}/files/{artifact_id}")
def my_file(
    claim_id: uuid.UUID, artifact_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    artifact = rpl.my_file(session, actor, claim_id, artifact_id)
    return _download(artifact)


# --- the assessors' queue -------------------------------------------------------------------


@router.get("/orgs/{org_id}/rpl")
def org_queue(
    request: Request,
    org_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    status: StatusFilter = "submitted",
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    org = rpl.assessed_organisation(session, actor, org_id)
    result = rpl.queue(
        session,
        actor,
        org_id,
        None if status == "all" else RplStatus(status),
        PageParams(page=page, per_page=PER_PAGE),
    )
    context = org_context(actor, org, "rpl")
    context.update(
        result=result,
        status=status,
        statuses=[(value.value, assessment_label(value)) for value in RplStatus],
    )
    return render(request, "rpl/queue.html", context, actor=actor)


def _review_page(
    request: Request,
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    claim_id: uuid.UUID,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    view = rpl.review(session, actor, org_id, claim_id)
    context = org_context(actor, view.org, "rpl")
    context.update(
        view=view,
        own=view.claim.person_id == actor.person_id,
        level_options=[
            (str(level.rank), f"{level.rank} · {level.label}")
            for level in view.levels
            if level.rank <= view.claim.claimed_level
        ],
        outcomes=[
            (Outcome.ACCEPT.value, _outcome_label(Outcome.ACCEPT)),
            (Outcome.MORE_EVIDENCE.value, _outcome_label(Outcome.MORE_EVIDENCE)),
            (Outcome.REJECT.value, _outcome_label(Outcome.REJECT)),
        ],
        values=values or {},
        errors=errors or {},
    )
    return render(request, "rpl/review.html", context, actor=actor, status_code=status)


def _outcome_label(outcome: Outcome) -> str:
    return {
        Outcome.ACCEPT: gettext("Accept: recognise a level"),
        Outcome.MORE_EVIDENCE: gettext("Ask for more evidence"),
        Outcome.REJECT: gettext("Do not accept"),
    }[outcome]


@router.get("/orgs/{org_id}/rpl/{claim_id}")
def review_claim(
    request: Request, org_id: uuid.UUID, claim_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    return _review_page(request, session, actor, org_id, claim_id)


@router.post("/orgs/{org_id}/rpl/{claim_id}/decision")
async def decide_claim(
    request: Request,
    org_id: uuid.UUID,
    claim_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    view = rpl.review(session, actor, org_id, claim_id)  # 404 and 403 before reading input
    values = {key: value for key, value in (await request.form()).items() if isinstance(value, str)}
    criteria = []
    for index, criterion in enumerate(view.criteria):
        judgement: dict[str, str] = {"key": criterion.key}
        if values.get(f"criteria.{index}.met"):
            judgement["met"] = values[f"criteria.{index}.met"]
        judgement["note"] = values.get(f"criteria.{index}.note", "")
        criteria.append(judgement)
    try:
        data = DecisionWrite.model_validate(
            {
                "outcome": values.get("outcome") or None,
                "level": values.get("level") or None,
                "criteria": criteria,
                "note": values.get("note", ""),
            }
        )
        rpl.decide(session, actor, org_id, claim_id, data)
    except (ValidationError, InvalidInput, Conflict) as error:
        return _review_page(
            request,
            session,
            actor,
            org_id,
            claim_id,
            values=values,
            errors=errors_of(error),
            status=422 if not isinstance(error, Conflict) else 409,
        )
    return redirect(f"/orgs/{org_id}/rpl", notice="saved")


@router.get("/orgs/{org_id}/rpl/{claim_id}/files/{artifact_id}")
def claim_file(
    org_id: uuid.UUID,
    claim_id: uuid.UUID,
    artifact_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
) -> Response:
    artifact = rpl.claim_file(session, actor, org_id, claim_id, artifact_id)
    return _download(artifact)
