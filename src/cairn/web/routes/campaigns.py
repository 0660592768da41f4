"""Assessment campaign pages for an organisation's HR team: the list, a draft's form, and a
campaign's page with its progress, results and actions (launch, remind, close)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cairn.assessment import campaigns
from cairn.assessment.campaign_schemas import CampaignCreate, CampaignUpdate
from cairn.assessment.enums import TestMode
from cairn.assessment.enums import label as assessment_label
from cairn.assessment.models import Campaign
from cairn.auth.dependencies import DbSession
from cairn.kit.actor import Actor
from cairn.kit.downloads import csv_attachment
from cairn.kit.errors import DomainError
from cairn.orgs import service as orgs_service
from cairn.orgs.models import Organisation
from cairn.profiles import campaign_results
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of, parse
from cairn.web.routes.orgs import department_tree, org_context
from cairn.web.templating import render

router = APIRouter()
Text = Annotated[str, Form()]
Ids = Annotated[list[str] | None, Form()]


def _context(actor: Actor, org: Organisation) -> dict[str, Any]:
    return {
        **org_context(actor, org, "campaigns"),
        "assessment_label": assessment_label,
        "status_labels": {key.value: str(text) for key, text in campaigns.STATUS_LABELS.items()},
    }


def _form(
    request: Request,
    session: Session,
    actor: Actor,
    org: Organisation,
    values: dict[str, Any],
    *,
    campaign: Campaign | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    bank_list = campaigns.available_banks(session, actor, org.id)
    scopes = [
        (
            str(skill.id),
            f"{bank.title} — {' '.join(filter(None, (skill.code, skill.preferred_label)))}",
        )
        for bank in bank_list
        for skill in campaigns.scope_options(session, actor, bank)
    ]
    context = _context(actor, org)
    context.update(
        campaign=campaign,
        values=values,
        errors=errors or {},
        bank_options=[(str(bank.id), f"{bank.title} ({bank.version})") for bank in bank_list],
        scope_options=scopes,
        mode_options=[(mode.value, assessment_label(mode)) for mode in TestMode],
        departments=department_tree(orgs_service.list_departments(session, actor, org.id)),
        positions=orgs_service.list_positions(session, actor, org.id),
    )
    return render(request, "campaigns/form.html", context, actor=actor, status_code=status)


def _status(error: ValidationError | DomainError) -> int:
    return error.status if isinstance(error, DomainError) else 422


def _posted(
    title: str,
    message: str,
    bank_id: str,
    scope_skill_id: str,
    mode: str,
    proctored: str,
    deadline: str,
    department_ids: list[str] | None,
    position_ids: list[str] | None,
) -> dict[str, Any]:
    return {
        "title": title,
        "message": message,
        "bank_id": bank_id,
        "scope_skill_id": scope_skill_id,
        "mode": mode,
        "proctored": proctored == "yes",
        "deadline": deadline,
        "department_ids": department_ids or [],
        "position_ids": position_ids or [],
    }


@router.get("/orgs/{org_id}/campaigns")
def campaign_list(
    request: Request, org_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    org = campaigns.require_campaign_admin(session, actor, org_id, write=False)
    context = _context(actor, org)
    context["campaigns"] = campaigns.list_campaigns(session, actor, org.id)
    return render(request, "campaigns/list.html", context, actor=actor)


@router.get("/orgs/{org_id}/campaigns/new")
def new_campaign_page(
    request: Request, org_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    org = campaigns.require_campaign_admin(session, actor, org_id)
    values = {"mode": TestMode.ADAPTIVE.value, "department_ids": [], "position_ids": []}
    return _form(request, session, actor, org, values)


@router.post("/orgs/{org_id}/campaigns/new")
def create_campaign(
    request: Request,
    org_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    title: Text = "",
    message: Text = "",
    bank_id: Text = "",
    scope_skill_id: Text = "",
    mode: Text = "",
    proctored: Text = "",
    deadline: Text = "",
    department_ids: Ids = None,
    position_ids: Ids = None,
) -> Response:
    org = campaigns.require_campaign_admin(session, actor, org_id)
    values = _posted(
        title,
        message,
        bank_id,
        scope_skill_id,
        mode,
        proctored,
        deadline,
        department_ids,
        position_ids,
    )
    try:
        campaign = campaigns.create_campaign(session, actor, org.id, parse(CampaignCreate, values))
    except (ValidationError, DomainError) as error:
        return _form(
            request, session, actor, org, values, errors=errors_of(error), status=_status(error)
        )
    return redirect(f"/orgs/{org.id}/campaigns/{campaign.id}", notice="created")


def _detail(
    request: Request,
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    campaign_id: uuid.UUID,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    detail = campaigns.detail(session, actor, org_id, campaign_id)
    org = orgs_service.get_organisation(session, actor.without_scopes(), org_id)
    found = campaign_results.report(session, actor, org_id, campaign_id)
    context = _context(actor, org)
    context.update(detail=detail, report=found, errors=errors or {})
    return render(request, "campaigns/detail.html", context, actor=actor, status_code=status)


@router.get("/orgs/{org_id}/campaigns/{campaign_id}")
def campaign_page(
    request: Request,
    org_id: uuid.UUID,
    campaign_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
) -> Response:
    return _detail(request, session, actor, org_id, campaign_id)


@router.get("/orgs/{org_id}/campaigns/{campaign_id}/edit")
def edit_campaign_page(
    request: Request,
    org_id: uuid.UUID,
    campaign_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
) -> Response:
    org = campaigns.require_campaign_admin(session, actor, org_id)
    detail = campaigns.detail(session, actor, org.id, campaign_id)
    campaign = detail.campaign
    campaigns.require_draft(campaign)
    values = {
        "title": campaign.title,
        "message": campaign.message or "",
        "bank_id": str(campaign.bank_id),
        "scope_skill_id": str(campaign.scope_skill_id or ""),
        "mode": campaign.mode.value,
        "proctored": campaign.proctored,
        "deadline": campaign.deadline.date().isoformat(),
        "department_ids": [str(d.id) for d in detail.departments],
        "position_ids": [str(p.id) for p in detail.positions],
    }
    return _form(request, session, actor, org, values, campaign=campaign)


@router.post("/orgs/{org_id}/campaigns/{campaign_id}/edit")
def update_campaign(
    request: Request,
    org_id: uuid.UUID,
    campaign_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    title: Text = "",
    message: Text = "",
    bank_id: Text = "",
    scope_skill_id: Text = "",
    mode: Text = "",
    proctored: Text = "",
    deadline: Text = "",
    department_ids: Ids = None,
    position_ids: Ids = None,
) -> Response:
    org = campaigns.require_campaign_admin(session, actor, org_id)
    campaign = campaigns.get_campaign(session, actor, org.id, campaign_id)
    values = _posted(
        title,
        message,
        bank_id,
        scope_skill_id,
        mode,
        proctored,
        deadline,
        department_ids,
        position_ids,
    )
    try:
        # The form holds every field, so it is checked as a whole new draft would be, and a
        # field left blank is cleared rather than kept.
        whole = parse(CampaignCreate, values)
        data = CampaignUpdate.model_validate(whole.model_dump())
        campaigns.update_campaign(session, actor, org.id, campaign.id, data)
    except (ValidationError, DomainError) as error:
        return _form(
            request,
            session,
            actor,
            org,
            values,
            campaign=campaign,
            errors=errors_of(error),
            status=_status(error),
        )
    return redirect(f"/orgs/{org.id}/campaigns/{campaign.id}", notice="saved")


Action = Callable[[Session, Actor, uuid.UUID, uuid.UUID], object]


def _act(
    request: Request,
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    campaign_id: uuid.UUID,
    action: Action,
    notice: str,
) -> Response:
    """Run one of the campaign's buttons; a refusal is shown on the campaign's page. A
    count returned (people mailed) goes into the notice."""
    campaigns.require_campaign_admin(session, actor, org_id)
    try:
        outcome = action(session, actor, org_id, campaign_id)
    except DomainError as error:
        return _detail(
            request,
            session,
            actor,
            org_id,
            campaign_id,
            errors=errors_of(error),
            status=error.status,
        )
    count = {"count": str(outcome)} if isinstance(outcome, int) else {}
    return redirect(f"/orgs/{org_id}/campaigns/{campaign_id}", notice=notice, **count)


@router.post("/orgs/{org_id}/campaigns/{campaign_id}/launch")
def launch_campaign(
    request: Request,
    org_id: uuid.UUID,
    campaign_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    return _act(request, session, actor, org_id, campaign_id, campaigns.launch, "campaign-launched")


@router.post("/orgs/{org_id}/campaigns/{campaign_id}/remind")
def remind_campaign(
    request: Request,
    org_id: uuid.UUID,
    campaign_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    return _act(request, session, actor, org_id, campaign_id, campaigns.remind, "campaign-reminded")


@router.post("/orgs/{org_id}/campaigns/{campaign_id}/invite-new")
def invite_new_members(
    request: Request,
    org_id: uuid.UUID,
    campaign_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    return _act(
        request,
        session,
        actor,
        org_id,
        campaign_id,
        campaigns.invite_new_members,
        "campaign-invited",
    )


@router.post("/orgs/{org_id}/campaigns/{campaign_id}/close")
def close_campaign(
    request: Request,
    org_id: uuid.UUID,
    campaign_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
) -> Response:
    return _act(request, session, actor, org_id, campaign_id, campaigns.close, "campaign-closed")


@router.get("/orgs/{org_id}/campaigns/{campaign_id}/progress.csv")
def progress_csv(
    org_id: uuid.UUID, campaign_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    found = campaign_results.report(session, actor, org_id, campaign_id)
    return Response(
        campaign_results.to_csv(found),
        headers=csv_attachment("campaign-progress.csv"),
    )
