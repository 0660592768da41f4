"""Awards on the web: a learner's "My credentials" with what they count toward, and an
issuer's awards with the registrar's form to record one."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cairn.auth.dependencies import DbSession
from cairn.catalogue.stacking import KIND_LABELS, RuleKind
from cairn.credentials import issuing_service, service
from cairn.credentials.schemas import AwardCreate
from cairn.credentials.vc_api_service import state_of
from cairn.kit.actor import Actor
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, InvalidInput
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of, parse
from cairn.web.routes.issued import STATES, live_credentials
from cairn.web.routes.orgs import org_context
from cairn.web.templating import render

router = APIRouter()
Text = Annotated[str, Form()]


@router.get("/credentials")
def my_credentials(request: Request, session: DbSession, actor: WebActor) -> Response:
    awards = service.my_awards(session, actor)
    standings = service.counts_toward(session, actor)
    specifications = {
        specification_id
        for standing in standings
        for specification_id in (
            *standing.counting,
            *standing.missing_specification_ids,
            *([standing.target_specification_id] if standing.target_specification_id else []),
        )
    }
    context = {
        "awards": awards,
        "standings": standings,
        "titles": service.specification_titles(session, actor, specifications),
        "rule_titles": service.rule_titles(
            session, actor, {r for s in standings for r in s.missing_rule_ids}
        ),
        "credit_total": RuleKind.CREDIT_TOTAL,
        "kind_labels": KIND_LABELS,
    }
    return render(request, "awards/mine.html", context, actor=actor)


def _awards_page(
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
    context = org_context(actor, org, "awards")
    context.update(
        awards=service.list_awards_for_issuer(session, actor, org.id),
        live=live_credentials(issuing_service.issued_by_org(session, actor, org.id)),
        states=STATES,
        state_of=state_of,
        versions=[
            (str(version.id), f"{version.title} · v{version.number}")
            for _, version in service.awardable_versions(session, actor, org.id)
        ],
        values=values or {"awarded_on": utcnow().date().isoformat()},
        errors=errors or {},
    )
    return render(request, "awards/issuer.html", context, actor=actor, status_code=status)


@router.get("/orgs/{org_id}/awards")
def awards_page(
    request: Request, org_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    return _awards_page(request, session, actor, org_id)


@router.post("/orgs/{org_id}/awards")
def record(
    request: Request,
    org_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    version_id: Text = "",
    learner_email: Text = "",
    awarded_on: Text = "",
    grade: Text = "",
    via_rpl: Text = "",
    note: Text = "",
) -> Response:
    service.require_registrar(session, actor, org_id)
    values = {
        "version_id": version_id,
        "learner_email": learner_email.strip(),
        "awarded_on": awarded_on,
        "grade": grade,
        "via_rpl": "yes" if via_rpl == "yes" else "",
        "note": note,
    }
    try:
        data = parse(AwardCreate, {**values, "via_rpl": via_rpl == "yes"})
        service.record_award(session, actor, org_id, data)
    except (ValidationError, InvalidInput, Conflict) as error:
        return _awards_page(
            request, session, actor, org_id, values=values, errors=errors_of(error), status=422
        )
    return redirect(f"/orgs/{org_id}/awards", notice="created")
