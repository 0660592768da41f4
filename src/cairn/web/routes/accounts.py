"""Learning accounts on the web: a learner's account (balances, programs, joining with
consent, history, statements) and their facts; the programs an administrator runs, with a
dashboard, the rules in words, participants and the finance CSV."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cairn.accounts import facts, participation, reports, rules_words, service
from cairn.accounts.enums import EmploymentStatus, IncomeBand, Residency, label
from cairn.accounts.errors import AlreadyParticipating, NotEligible, ProgramNotOpen
from cairn.accounts.money import format_money
from cairn.accounts.schemas import FactsWrite
from cairn.auth.dependencies import DbSession
from cairn.kit.actor import Actor
from cairn.kit.clock import utcnow
from cairn.kit.downloads import csv_attachment
from cairn.kit.errors import InvalidInput
from cairn.orgs.enums import LABELS as ORG_LABELS
from cairn.orgs.enums import RegionType
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of, parse
from cairn.web.templating import render

router = APIRouter()
FACT_FIELDS = ("birth_date", "residency", "employment_status", "income_band", "region_type")
ACCOUNT = "/me/learning-account"


def _helpers() -> dict[str, Any]:
    return {"money": format_money, "account_label": label}


def _account_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    errors: dict[str, str] | None = None,
    failed_program: uuid.UUID | None = None,
    status: int = 200,
) -> Response:
    offers = participation.open_programs(session, actor)
    context = {
        "balances": reports.balances(session, actor),
        "participations": participation.my_participations(session, actor),
        "offers": offers,
        "org_names": service.organisation_names(session, [offer.program for offer in offers]),
        "history": reports.history(session, actor, limit=20),
        "this_month": utcnow().strftime("%Y-%m"),
        "errors": errors or {},
        "failed_program": failed_program,
        **_helpers(),
    }
    return render(request, "accounts/account.html", context, actor=actor, status_code=status)


@router.get(ACCOUNT)
def account_page(request: Request, session: DbSession, actor: WebActor) -> Response:
    return _account_page(request, session, actor)


@router.post(ACCOUNT + "/programs/{program_id}/join")
async def join(
    request: Request, program_id: uuid.UUID, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    form = await request.form()
    try:
        participation.join(session, actor, program_id, consent=form.get("consent") == "yes")
    except (InvalidInput, NotEligible, AlreadyParticipating, ProgramNotOpen) as error:
        errors = errors_of(error)
        if "consent" in errors:
            errors = {f"consent-{program_id}": errors["consent"]}
        elif isinstance(error, NotEligible):
            errors = {"__root__": " ".join([str(error.message), *errors.values()])}
        return _account_page(
            request, session, actor, errors=errors, failed_program=program_id, status=error.status
        )
    return redirect(ACCOUNT, notice="saved")


def _facts_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    if values is None:
        row = facts.get_my_facts(session, actor)
        values = {
            name: ("" if row is None or getattr(row, name) is None else str(getattr(row, name)))
            for name in FACT_FIELDS
        }
    context = {
        "values": values,
        "errors": errors or {},
        "residencies": [(item.value, label(item)) for item in Residency],
        "employment": [(item.value, label(item)) for item in EmploymentStatus],
        "incomes": [(item.value, label(item)) for item in IncomeBand],
        "regions": [(item.value, str(ORG_LABELS.get(item, item))) for item in RegionType],
    }
    return render(request, "accounts/facts.html", context, actor=actor, status_code=status)


@router.get(ACCOUNT + "/facts")
def facts_page(request: Request, session: DbSession, actor: WebActor) -> Response:
    return _facts_page(request, session, actor)


@router.post(ACCOUNT + "/facts")
async def save_facts(
    request: Request, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    form = await request.form()
    values = {name: str(form.get(name) or "") for name in FACT_FIELDS}
    try:
        facts.set_my_facts(session, actor, parse(FactsWrite, values))
    except ValidationError as error:
        return _facts_page(
            request, session, actor, values=values, errors=errors_of(error), status=422
        )
    return redirect(ACCOUNT, notice="saved")


@router.get(ACCOUNT + "/statement")
def statement_page(
    request: Request,
    session: DbSession,
    actor: WebActor,
    month: Annotated[str, Query(max_length=7)] = "",
) -> Response:
    chosen = month or utcnow().strftime("%Y-%m")
    found = reports.statement(session, actor, month=reports.parse_month(chosen))
    context = {"statement": found, "month": chosen, **_helpers()}
    return render(request, "accounts/statement.html", context, actor=actor)


# Running programs ---------------------------------------------------------------------------


@router.get("/programs")
def programs_page(request: Request, session: DbSession, actor: WebActor) -> Response:
    programs = service.list_programs(session, actor)
    context = {
        "programs": programs,
        "org_names": service.organisation_names(session, programs),
        **_helpers(),
    }
    return render(request, "accounts/programs.html", context, actor=actor)


@router.get("/programs/{program_id}")
def program_page(
    request: Request, program_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    board = reports.program_dashboard(session, actor, program_id)
    today = utcnow().date()
    context = {
        "board": board,
        "words": rules_words.describe(board.rules),
        "participants": reports.participants(session, actor, program_id),
        "export_from": date(today.year, 1, 1).isoformat(),
        "export_to": today.isoformat(),
        **_helpers(),
    }
    return render(request, "accounts/program.html", context, actor=actor)


@router.post("/programs/{program_id}/open")
def open_program(
    program_id: uuid.UUID, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    service.open_program(session, actor, program_id)
    return redirect(f"/programs/{program_id}", notice="saved")


@router.post("/programs/{program_id}/close")
def close_program(
    program_id: uuid.UUID, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    service.close_program(session, actor, program_id)
    return redirect(f"/programs/{program_id}", notice="saved")


@router.get("/programs/{program_id}/transfers.csv")
def finance_csv(
    program_id: uuid.UUID,
    session: DbSession,
    actor: WebActor,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
) -> Response:
    first, last = reports.export_range(start, end)
    text = reports.finance_csv(session, actor, program_id, start=first, end=last)
    return Response(text, headers=csv_attachment(f"transfers-{first}-{last}.csv"))
