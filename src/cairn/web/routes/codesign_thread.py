"""A skills need's thread on the web: its details, the proposals with what each side may
do next, the comments with a reply form under each, the audit trail, and the proposal form
(new or revised). A failed action shows the thread again with the error beside its field."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cairn.auth.dependencies import DbSession
from cairn.catalogue import codesign_service, codesign_views, proposal_service
from cairn.catalogue import service as catalogue_service
from cairn.catalogue.codesign_models import CodesignEvent
from cairn.catalogue.codesign_schemas import (
    CommentCreate,
    DeclineNote,
    ProposalCreate,
    ProposalFields,
    ReviewNote,
)
from cairn.catalogue.enums import CodesignAction, ProposalStatus, label
from cairn.kit.actor import Actor
from cairn.kit.errors import Conflict, InvalidInput
from cairn.kit.i18n import gettext, lazy_gettext
from cairn.orgs import service as orgs_service
from cairn.orgs.models import Organisation
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of, parse
from cairn.web.templating import render

router = APIRouter()
Text = Annotated[str, Form()]
FIELD_LABELS = {
    "title": lazy_gettext("Title"),
    "role_title": lazy_gettext("Job title"),
    "position_id": lazy_gettext("Job role"),
    "description": lazy_gettext("What the work involves"),
    "region": lazy_gettext("Region"),
    "headcount": lazy_gettext("Number of people"),
    "needed_from": lazy_gettext("Needed from"),
    "needed_by": lazy_gettext("Needed by"),
    "network_id": lazy_gettext("Shared with"),
    "skills": lazy_gettext("Skills"),
    "summary": lazy_gettext("Summary"),
    "specification_id": lazy_gettext("Specification"),
    "revision": lazy_gettext("Revision"),
}
SHOWN_AS_CHANGED = {"position_id", "network_id", "specification_id", "description", "summary"}
"""Fields whose old and new values say little on one line: the trail says they changed."""
Errors = dict[str, str]


def detail_lines(event: CodesignEvent) -> list[str]:
    """What an update or a revision changed, in words: "Number of people: 40 → 60"."""
    if event.action not in (CodesignAction.NEED_UPDATED, CodesignAction.PROPOSAL_REVISED):
        return []
    lines = []
    for name, value in event.detail.items():
        if name not in FIELD_LABELS or not isinstance(value, dict):
            continue
        field = str(FIELD_LABELS[name])
        if name in SHOWN_AS_CHANGED:
            lines.append(gettext("%(field)s changed", field=field))
        else:
            old, new = (_shown(value.get(end)) for end in ("from", "to"))
            lines.append(gettext("%(field)s: %(old)s → %(new)s", field=field, old=old, new=new))
    return lines


def proposal_status(status: ProposalStatus) -> str:
    """A proposal's status in words; ``changes_requested`` also names an audit-trail action,
    whose label the shared table holds under the same key."""
    if status is ProposalStatus.CHANGES_REQUESTED:
        return gettext("Changes requested")
    return label(status)


def _shown(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    return "—" if value is None or value == "" else str(value)


def _thread_page(
    request: Request,
    session: Session,
    actor: Actor,
    need_id: uuid.UUID,
    *,
    errors: Errors | None = None,
    status: int = 200,
) -> Response:
    thread = codesign_views.thread(session, actor, need_id)
    context = {
        "thread": thread,
        "proposal_titles": {line.proposal.id: line.proposal.title for line in thread.proposals},
        "spec_label": label,
        "detail_lines": detail_lines,
        "proposal_status": proposal_status,
        "errors": errors or {},
    }
    return render(request, "codesign/thread.html", context, actor=actor, status_code=status)


@router.get("/needs/{need_id}")
def thread_page(
    request: Request, need_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    return _thread_page(request, session, actor, need_id)


def _renamed(errors: Errors, suffix: str | None) -> Errors:
    """Errors of one of several forms on the page point at that form's own fields."""
    if suffix is None:
        return errors
    return {f"{name}-{suffix}" if name != "__root__" else name: m for name, m in errors.items()}


@router.post("/needs/{need_id}/comments")
def comment(
    request: Request,
    need_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    body: Text = "",
    parent_id: Text = "",
    proposal_id: Text = "",
    org_id: Text = "",
) -> Response:
    values = {"body": body, "parent_id": parent_id, "proposal_id": proposal_id, "org_id": org_id}
    try:
        codesign_service.add_comment(session, actor, need_id, parse(CommentCreate, values))
    except (ValidationError, InvalidInput, Conflict) as error:
        errors = _renamed(errors_of(error), parent_id or None)
        return _thread_page(request, session, actor, need_id, errors=errors, status=_status(error))
    return redirect(f"/needs/{need_id}", notice="saved")


def _need_action(name: str) -> None:
    action = getattr(codesign_service, f"{name}_need")

    def endpoint(
        request: Request,
        need_id: uuid.UUID,
        session: DbSession,
        actor: WebActor,
        _csrf: CsrfChecked,
    ) -> Response:
        try:
            action(session, actor, need_id)
        except Conflict as error:
            return _thread_page(
                request, session, actor, need_id, errors=errors_of(error), status=error.status
            )
        return redirect(f"/needs/{need_id}", notice="saved")

    router.post(f"/needs/{{need_id}}/{name}", name=f"page_{name}_need")(endpoint)


for _name in ("close", "withdraw"):
    _need_action(_name)


def _review(
    request: Request,
    session: Session,
    actor: Actor,
    proposal_id: uuid.UUID,
    name: str,
    note: str | None = None,
) -> Response:
    """Run one step of the proposal's workflow, and show the thread with its outcome."""
    need_id = proposal_service.get_proposal(session, actor, proposal_id).need_id
    try:
        if name == "request-changes":
            data = parse(ReviewNote, {"note": note or ""})
            proposal_service.request_changes(session, actor, proposal_id, data.note)
        elif name == "decline":
            reason = parse(DeclineNote, {"note": note or ""}).note
            proposal_service.decline(session, actor, proposal_id, reason)
        elif name == "agree":
            proposal_service.agree(session, actor, proposal_id)
        else:
            proposal_service.withdraw_proposal(session, actor, proposal_id)
    except (ValidationError, InvalidInput, Conflict) as error:
        errors = _renamed(errors_of(error), f"{name}-{proposal_id}" if note is not None else None)
        return _thread_page(request, session, actor, need_id, errors=errors, status=_status(error))
    return redirect(f"/needs/{need_id}", notice="saved")


def _status(error: ValidationError | InvalidInput | Conflict) -> int:
    return 422 if isinstance(error, ValidationError) else error.status


@router.post("/proposals/{proposal_id}/request-changes")
def request_changes(
    request: Request,
    proposal_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    note: Text = "",
) -> Response:
    return _review(request, session, actor, proposal_id, "request-changes", note)


@router.post("/proposals/{proposal_id}/decline")
def decline(
    request: Request,
    proposal_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    note: Text = "",
) -> Response:
    return _review(request, session, actor, proposal_id, "decline", note)


@router.post("/proposals/{proposal_id}/agree")
def agree(
    request: Request,
    proposal_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    return _review(request, session, actor, proposal_id, "agree")


@router.post("/proposals/{proposal_id}/withdraw")
def withdraw(
    request: Request,
    proposal_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    return _review(request, session, actor, proposal_id, "withdraw")


def _proposal_page(
    request: Request,
    session: Session,
    actor: Actor,
    need_id: uuid.UUID,
    providers: list[Organisation],
    *,
    action: str,
    values: dict[str, str],
    errors: Errors | None = None,
    status: int = 200,
) -> Response:
    """The proposal form: the provider (when there is a choice) and one of its
    specifications, or none for a new design."""
    specifications = [
        (
            str(specification.id),
            f"{org.name}: {version.title} ({label(version.status)})"
            if len(providers) > 1
            else f"{version.title} ({label(version.status)})",
        )
        for org in providers
        for specification, version in catalogue_service.list_for_organisation(
            session, actor, org.id
        )
    ]
    context = {
        "summary": codesign_views.thread(session, actor, need_id).summary,
        "providers": [(str(org.id), org.name) for org in providers],
        "specifications": specifications,
        "action": action,
        "values": values,
        "errors": errors or {},
    }
    return render(request, "codesign/proposal_form.html", context, actor=actor, status_code=status)


@router.get("/needs/{need_id}/proposals/new")
def new_proposal_page(
    request: Request, need_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    providers = proposal_service.proposing_orgs(session, actor, need_id)
    values = {"org_id": str(providers[0].id), "title": "", "summary": "", "specification_id": ""}
    action = f"/needs/{need_id}/proposals/new"
    return _proposal_page(request, session, actor, need_id, providers, action=action, values=values)


@router.post("/needs/{need_id}/proposals/new")
def create_proposal(
    request: Request,
    need_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    org_id: Text = "",
    title: Text = "",
    summary: Text = "",
    specification_id: Text = "",
) -> Response:
    providers = proposal_service.proposing_orgs(session, actor, need_id)
    values = {
        "org_id": org_id,
        "title": title,
        "summary": summary,
        "specification_id": specification_id,
    }
    try:
        data = parse(ProposalCreate, values)
        proposal_service.submit_proposal(session, actor, need_id, data)
    except (ValidationError, InvalidInput, Conflict) as error:
        action = f"/needs/{need_id}/proposals/new"
        return _proposal_page(
            request,
            session,
            actor,
            need_id,
            providers,
            action=action,
            values=values,
            errors=errors_of(error),
            status=422,
        )
    return redirect(f"/needs/{need_id}", notice="created")


@router.get("/proposals/{proposal_id}/revise")
def revise_page(
    request: Request, proposal_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    proposal = proposal_service.require_reviser(session, actor, proposal_id)
    values = {
        "title": proposal.title,
        "summary": proposal.summary or "",
        "specification_id": str(proposal.specification_id or ""),
    }
    provider = orgs_service.get_organisation(session, actor, proposal.provider_org_id)
    return _proposal_page(
        request,
        session,
        actor,
        proposal.need_id,
        [provider],
        action=f"/proposals/{proposal_id}/revise",
        values=values,
    )


@router.post("/proposals/{proposal_id}/revise")
def revise(
    request: Request,
    proposal_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    title: Text = "",
    summary: Text = "",
    specification_id: Text = "",
) -> Response:
    proposal = proposal_service.require_reviser(session, actor, proposal_id)
    values = {"title": title, "summary": summary, "specification_id": specification_id}
    try:
        # Every field is sent: an emptied summary is cleared, no specification is a new design.
        data = ProposalFields.model_validate({k: v or None for k, v in values.items()})
        proposal_service.revise_proposal(session, actor, proposal_id, data)
    except (ValidationError, InvalidInput, Conflict) as error:
        return _proposal_page(
            request,
            session,
            actor,
            proposal.need_id,
            [orgs_service.get_organisation(session, actor, proposal.provider_org_id)],
            action=f"/proposals/{proposal_id}/revise",
            values=values,
            errors=errors_of(error),
            status=422,
        )
    return redirect(f"/needs/{proposal.need_id}", notice="saved")
