"""Learning accounts: a learner's facts, open programs with their eligibility, joining,
balances and statements; running programs for their administrators (rules, opening and
closing, budget, dashboard, participants, the daily run and the finance CSV)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from sqlalchemy.orm import Session

from cairn.accounts import facts, participation, reports, scheduling, service
from cairn.accounts.models import LearnerFacts, Participant, Program
from cairn.accounts.money import format_money
from cairn.accounts.schemas import (
    BudgetWrite,
    DashboardRead,
    ExpiringRead,
    FactsRead,
    FactsWrite,
    JoinRequest,
    Money,
    ParticipantRead,
    ProgramBalancesRead,
    ProgramCreate,
    ProgramOfferRead,
    ProgramRead,
    ProgramStatementRead,
    ProgramUpdate,
    RunReportRead,
    StatementLineRead,
    StatementRead,
    TierBalanceRead,
    TierFiguresRead,
    TierStatementRead,
    UnmetRead,
)
from cairn.api.v1.common import ERROR_RESPONSES
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.kit.clock import utcnow
from cairn.kit.downloads import csv_attachment
from cairn.orgs.models import Person

router = APIRouter(tags=["learning accounts"], responses=ERROR_RESPONSES)
Month = Annotated[
    str | None, Query(description="The month, as YYYY-MM; this month if left out.", max_length=7)
]


def money(amount_minor: int, currency: str) -> Money:
    return Money(amount_minor=amount_minor, formatted=format_money(amount_minor, currency))


def program_read(program: Program, org_name: str) -> ProgramRead:
    return ProgramRead(
        id=program.id,
        org_id=program.org_id,
        org_name=org_name,
        slug=program.slug,
        name=program.name,
        description=program.description,
        status=program.status,
        currency=program.currency,
        rules=program.rules,
        budget_minor=program.budget_minor,
        opens_on=program.opens_on,
        closes_on=program.closes_on,
    )


def programs_read(session: Session, programs: list[Program]) -> list[ProgramRead]:
    names = service.organisation_names(session, programs)
    return [program_read(program, names.get(program.org_id, "")) for program in programs]


def facts_read(row: LearnerFacts | None, person_id: uuid.UUID) -> FactsRead:
    return FactsRead(
        person_id=person_id,
        birth_date=row.birth_date if row else None,
        residency=row.residency if row else None,
        employment_status=row.employment_status if row else None,
        income_band=row.income_band if row else None,
        region_type=row.region_type if row else None,
        attributes=dict(row.attributes) if row else {},
        verified_at=row.verified_at if row else None,
    )


def participant_read(participant: Participant, person: Person) -> ParticipantRead:
    return ParticipantRead(
        id=participant.id,
        program_id=participant.program_id,
        person_id=participant.person_id,
        display_name=person.display_name,
        email=person.email,
        status=participant.status,
        joined_on=participant.joined_on,
        consented_at=participant.consented_at,
        left_on=participant.left_on,
    )


def offer_read(offer: participation.Offer, org_name: str) -> ProgramOfferRead:
    participant = offer.participant
    return ProgramOfferRead(
        program=program_read(offer.program, org_name),
        eligible=offer.eligible,
        unmet=[UnmetRead(criterion=u.criterion, message=str(u.message)) for u in offer.unmet],
        participating_since=participant.joined_on if offer.taking_part and participant else None,
    )


# A learner's account ------------------------------------------------------------------------


@router.get(
    "/me/learning-account/facts",
    response_model=FactsRead,
    summary="The facts I declared for learning-account programs",
)
def my_facts(session: DbSession, actor: ApiActor) -> FactsRead:
    return facts_read(facts.get_my_facts(session, actor), actor.person_id)


@router.put(
    "/me/learning-account/facts",
    response_model=FactsRead,
    summary="Replace my facts; a change clears any verification",
)
def set_my_facts(data: FactsWrite, session: DbSession, actor: ApiActor) -> FactsRead:
    return facts_read(facts.set_my_facts(session, actor, data), actor.person_id)


@router.get(
    "/me/learning-account/programs",
    response_model=list[ProgramOfferRead],
    summary="Open programs, whether I may join each and, if not, why",
)
def open_programs(session: DbSession, actor: ApiActor) -> list[ProgramOfferRead]:
    offers = participation.open_programs(session, actor)
    names = service.organisation_names(session, [offer.program for offer in offers])
    return [offer_read(offer, names.get(offer.program.org_id, "")) for offer in offers]


@router.post(
    "/me/learning-account/programs/{program_id}/join",
    response_model=ProgramOfferRead,
    status_code=status.HTTP_201_CREATED,
    summary="Join an open program; consent is required and the credit due is granted at once",
)
def join(
    program_id: uuid.UUID, data: JoinRequest, session: DbSession, actor: ApiActor
) -> ProgramOfferRead:
    participation.join(session, actor, program_id, consent=data.consent)
    offer = participation.preview(session, actor.without_scopes(), program_id)
    return offer_read(
        offer, service.organisation_names(session, [offer.program])[offer.program.org_id]
    )


@router.post(
    "/me/learning-account/programs/{program_id}/leave",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Stop taking part; credit already granted stays until it expires",
)
def leave(program_id: uuid.UUID, session: DbSession, actor: ApiActor) -> Response:
    participation.leave(session, actor, program_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def balances_read(found: list[reports.ProgramBalances]) -> list[ProgramBalancesRead]:
    return [
        ProgramBalancesRead(
            program_id=item.program.id,
            program_name=item.program.name,
            currency=item.program.currency,
            total=money(item.total_minor, item.program.currency),
            tiers=[
                TierBalanceRead(
                    tier=tier.code,
                    name=tier.name,
                    balance=money(tier.balance_minor, item.program.currency),
                    expiring=[
                        ExpiringRead(amount=money(amount, item.program.currency), expires_on=day)
                        for amount, day in tier.expiring
                    ],
                )
                for tier in item.tiers
            ],
        )
        for item in found
    ]


@router.get(
    "/me/learning-account/balances",
    response_model=list[ProgramBalancesRead],
    summary="My credit by program and tier, with what expires when",
)
def my_balances(session: DbSession, actor: ApiActor) -> list[ProgramBalancesRead]:
    return balances_read(reports.balances(session, actor))


def statement_read(found: reports.Statement) -> StatementRead:
    return StatementRead(
        person_id=found.person.id,
        month=found.month.strftime("%Y-%m"),
        empty=found.empty,
        programs=[
            ProgramStatementRead(
                program_id=item.program.id,
                program_name=item.program.name,
                currency=item.program.currency,
                tiers=[
                    TierStatementRead(
                        tier=tier.code,
                        name=tier.name,
                        opening=money(tier.opening_minor, item.program.currency),
                        lines=[
                            StatementLineRead(
                                transfer_id=line.transfer_id,
                                effective_on=line.effective_on,
                                kind=line.kind,
                                description=line.description,
                                amount=money(line.amount_minor, item.program.currency),
                            )
                            for line in tier.lines
                        ],
                        closing=money(tier.closing_minor, item.program.currency),
                    )
                    for tier in item.tiers
                ],
            )
            for item in found.programs
        ],
    )


@router.get(
    "/me/learning-account/statement",
    response_model=StatementRead,
    summary="My monthly statement: opening balance, each movement and why, closing balance",
)
def my_statement(session: DbSession, actor: ApiActor, month: Month = None) -> StatementRead:
    return statement_read(reports.statement(session, actor, month=reports.parse_month(month)))


# Running programs ---------------------------------------------------------------------------


@router.get(
    "/orgs/{org_id}/programs",
    response_model=list[ProgramRead],
    summary="The organisation's learning-account programs (its program administrators)",
)
def org_programs(org_id: uuid.UUID, session: DbSession, actor: ApiActor) -> list[ProgramRead]:
    return programs_read(session, list(service.list_programs(session, actor, org_id)))


@router.post(
    "/orgs/{org_id}/programs",
    response_model=ProgramRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create a draft program from a rules document; errors point inside `rules`",
)
def create_program(
    org_id: uuid.UUID, data: ProgramCreate, session: DbSession, actor: ApiActor
) -> ProgramRead:
    return programs_read(session, [service.create_program(session, actor, org_id, data)])[0]


@router.get("/programs/{program_id}", response_model=ProgramRead, summary="A program I run")
def read_program(program_id: uuid.UUID, session: DbSession, actor: ApiActor) -> ProgramRead:
    return programs_read(session, [service.get_program(session, actor, program_id)])[0]


@router.patch(
    "/programs/{program_id}", response_model=ProgramRead, summary="Change a draft program"
)
def update_program(
    program_id: uuid.UUID, data: ProgramUpdate, session: DbSession, actor: ApiActor
) -> ProgramRead:
    return programs_read(session, [service.update_program(session, actor, program_id, data)])[0]


@router.post(
    "/programs/{program_id}/open", response_model=ProgramRead, summary="Open a draft to learners"
)
def open_program(program_id: uuid.UUID, session: DbSession, actor: ApiActor) -> ProgramRead:
    return programs_read(session, [service.open_program(session, actor, program_id)])[0]


@router.post(
    "/programs/{program_id}/close", response_model=ProgramRead, summary="Close an open program"
)
def close_program(program_id: uuid.UUID, session: DbSession, actor: ApiActor) -> ProgramRead:
    return programs_read(session, [service.close_program(session, actor, program_id)])[0]


@router.put(
    "/programs/{program_id}/budget",
    response_model=ProgramRead,
    summary="Set what the program may commit and spend in all (null: no cap)",
)
def set_budget(
    program_id: uuid.UUID, data: BudgetWrite, session: DbSession, actor: ApiActor
) -> ProgramRead:
    program = service.set_budget(session, actor, program_id, data.budget_minor)
    return programs_read(session, [program])[0]


@router.get(
    "/programs/{program_id}/dashboard",
    response_model=DashboardRead,
    summary="Budget, commitments, spend, credit outstanding and expired, by tier",
)
def dashboard(program_id: uuid.UUID, session: DbSession, actor: ApiActor) -> DashboardRead:
    board = reports.program_dashboard(session, actor, program_id)
    currency = board.program.currency
    left = board.budget_left_minor
    budget = board.program.budget_minor
    return DashboardRead(
        program=programs_read(session, [board.program])[0],
        budget=None if budget is None else money(budget, currency),
        committed=money(board.committed_minor, currency),
        spent=money(board.spent_minor, currency),
        budget_left=None if left is None else money(left, currency),
        credit_outstanding=money(board.credit_outstanding_minor, currency),
        expired=money(board.expired_minor, currency),
        participants=board.participants,
        tiers=[
            TierFiguresRead(
                tier=tier.code,
                name=tier.name,
                granted=money(tier.granted_minor, currency),
                outstanding=money(tier.outstanding_minor, currency),
            )
            for tier in board.tiers
        ],
    )


@router.get(
    "/programs/{program_id}/participants",
    response_model=list[ParticipantRead],
    summary="Who joined the program, active or left",
)
def participants(
    program_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> list[ParticipantRead]:
    return [participant_read(*row) for row in reports.participants(session, actor, program_id)]


@router.get(
    "/programs/{program_id}/participants/{person_id}/facts",
    response_model=FactsRead,
    summary="A participant's facts, shared with the program when they joined",
)
def participant_facts(
    program_id: uuid.UUID, person_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> FactsRead:
    return facts_read(facts.participant_facts(session, actor, program_id, person_id), person_id)


@router.get(
    "/programs/{program_id}/participants/{person_id}/statement",
    response_model=StatementRead,
    summary="A participant's monthly statement in this program",
)
def participant_statement(
    program_id: uuid.UUID,
    person_id: uuid.UUID,
    session: DbSession,
    actor: ApiActor,
    month: Month = None,
) -> StatementRead:
    found = reports.statement(
        session,
        actor,
        person_id=person_id,
        month=reports.parse_month(month),
        program_id=program_id,
    )
    return statement_read(found)


@router.post(
    "/programs/{program_id}/run",
    response_model=RunReportRead,
    summary="Post the grants and expiries due by a day; running twice posts nothing new",
)
def run(
    program_id: uuid.UUID,
    session: DbSession,
    actor: ApiActor,
    as_of: Annotated[date | None, Query(description="The day; today by default.")] = None,
) -> RunReportRead:
    day = as_of or utcnow().date()
    found = scheduling.run(session, actor, as_of=day, program_id=program_id)
    return RunReportRead(
        as_of=found.as_of,
        programs=found.programs,
        participants=found.participants,
        grants=found.grants,
        expiries=found.expiries,
    )


@router.get(
    "/programs/{program_id}/transfers.csv",
    summary="Every ledger entry effective in a date range, as CSV for finance",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def finance_csv(
    program_id: uuid.UUID,
    session: DbSession,
    actor: ApiActor,
    start: Annotated[
        date | None,
        Query(alias="from", description="First day, included; the 1st of this month if left out."),
    ] = None,
    end: Annotated[
        date | None, Query(alias="to", description="Last day, included; today if left out.")
    ] = None,
) -> Response:
    first, last = reports.export_range(start, end)
    text = reports.finance_csv(session, actor, program_id, start=first, end=last)
    return Response(text, headers=csv_attachment(f"transfers-{first}-{last}.csv"))
