"""Offerings and enrolments: a provider's runs of a published micro-credential, the split of
a run's price among a learner's programs, enrolling at the split seen, and completing or
withdrawing. A changed split is refused with ``quote_changed``, whose ``quote`` member is the
new split in the quote operation's shape: show it, and confirm with it."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import JSONResponse
from pydantic import Field

from cairn.accounts.errors import QuoteChanged
from cairn.api import problems
from cairn.api.v1.catalogue import _optional_api_actor
from cairn.api.v1.common import ERROR_RESPONSES
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.catalogue import enrolment_service, offerings
from cairn.catalogue.enrolment_service import EnrolmentView
from cairn.catalogue.offering_schemas import (
    EnrolmentCreate,
    EnrolmentRead,
    OfferingCreate,
    OfferingFields,
    OfferingRead,
    QuoteRead,
)
from cairn.catalogue.offerings import OfferingView
from cairn.kit.actor import Actor

router = APIRouter(tags=["offerings"], responses=ERROR_RESPONSES)
OptionalActor = Annotated[Actor | None, Depends(_optional_api_actor)]


class EnrolmentProblem(problems.Problem):
    quote: QuoteRead | None = Field(
        default=None,
        description="With quote_changed only: the split now, to show and then to confirm.",
    )


class OfferingPost(OfferingCreate):
    provider_org_id: uuid.UUID
    """The issuer of the version that runs it."""


def offering_read(view: OfferingView) -> OfferingRead:
    offering = view.offering
    return OfferingRead(
        id=offering.id,
        version_id=view.version.id,
        specification_id=view.specification.id,
        title=view.version.title,
        version_number=view.version.number,
        provider_org_id=view.provider.id,
        provider_name=view.provider.name,
        code=offering.code,
        status=offering.status,
        starts_on=offering.starts_on,
        ends_on=offering.ends_on,
        enrol_by=offering.enrol_by,
        delivery=offering.delivery,
        language=offering.language,
        region=offering.region,
        hours=offering.hours,
        price_minor=offering.price_minor,
        currency=offering.currency,
        capacity=offering.capacity,
        places_taken=view.places_taken,
        tags=list(offering.tags),
    )


def enrolment_read(view: EnrolmentView) -> EnrolmentRead:
    enrolment = view.enrolment
    return EnrolmentRead(
        id=enrolment.id,
        offering_id=enrolment.offering_id,
        person_id=enrolment.person_id,
        title=view.offering.version.title,
        offering_code=view.offering.offering.code,
        starts_on=view.offering.offering.starts_on,
        status=enrolment.status,
        price_minor=enrolment.price_minor,
        currency=enrolment.currency,
        subsidy_minor=enrolment.subsidy_minor,
        credit_minor=enrolment.credit_minor,
        employer_minor=enrolment.employer_minor,
        copay_minor=enrolment.copay_minor,
        quote=view.quote,
        enrolled_at=enrolment.enrolled_at,
        completed_at=enrolment.completed_at,
        withdrawn_at=enrolment.withdrawn_at,
    )


@router.get(
    "/specifications/{version_id}/offerings",
    response_model=list[OfferingRead],
    summary="Upcoming open runs of a published specification, soonest first",
)
def list_offerings(
    version_id: uuid.UUID, session: DbSession, actor: OptionalActor
) -> list[OfferingRead]:
    return [
        offering_read(view)
        for view in offerings.upcoming_offerings_of_version(session, actor, version_id)
    ]


@router.post(
    "/specifications/{version_id}/offerings",
    response_model=OfferingRead,
    status_code=status.HTTP_201_CREATED,
    summary="Add a run of a published version (its issuer's educators and registrars)",
)
def create_offering(
    version_id: uuid.UUID, data: OfferingPost, session: DbSession, actor: ApiActor
) -> OfferingRead:
    fields = OfferingCreate.model_validate(
        data.model_dump(exclude={"provider_org_id"}, exclude_unset=True)
    )
    offering = offerings.create_offering(
        session, actor, version_id, org_id=data.provider_org_id, data=fields
    )
    return offering_read(offerings.find(session, offering.id))


@router.get("/offerings/{offering_id}", response_model=OfferingRead, summary="One offering")
def read_offering(offering_id: uuid.UUID, session: DbSession, actor: OptionalActor) -> OfferingRead:
    if actor is None:
        return offering_read(offerings.find(session, offering_id))
    return offering_read(offerings.get_offering(session, actor, offering_id))


@router.patch(
    "/offerings/{offering_id}",
    response_model=OfferingRead,
    summary="Change a run; enrolments made keep their price and split",
)
def update_offering(
    offering_id: uuid.UUID, data: OfferingFields, session: DbSession, actor: ApiActor
) -> OfferingRead:
    offerings.update_offering(session, actor, offering_id, data)
    return offering_read(offerings.find(session, offering_id))


@router.post(
    "/offerings/{offering_id}/close",
    response_model=OfferingRead,
    summary="Take no more enrolments; those made stay",
)
def close_offering(offering_id: uuid.UUID, session: DbSession, actor: ApiActor) -> OfferingRead:
    offerings.close_offering(session, actor, offering_id)
    return offering_read(offerings.find(session, offering_id))


@router.post(
    "/offerings/{offering_id}/cancel",
    response_model=OfferingRead,
    summary="Cancel a run: enrolments are withdrawn and their reservations released",
)
def cancel_offering(offering_id: uuid.UUID, session: DbSession, actor: ApiActor) -> OfferingRead:
    offerings.cancel_offering(session, actor, offering_id)
    return offering_read(offerings.find(session, offering_id))


@router.post(
    "/offerings/{offering_id}/quote",
    response_model=QuoteRead,
    summary="How the price would be split among my programs, before I enrol",
)
def quote(offering_id: uuid.UUID, session: DbSession, actor: ApiActor) -> QuoteRead:
    return QuoteRead.of(enrolment_service.quote(session, actor, offering_id).quote)


@router.post(
    "/offerings/{offering_id}/enrolments",
    response_model=EnrolmentRead,
    status_code=status.HTTP_201_CREATED,
    summary="Enrol at the split I was quoted; a different split now answers quote_changed",
    responses={
        409: {
            "model": EnrolmentProblem,
            "content": {problems.MEDIA_TYPE: {}},
            "description": (
                "Not enrolled: already enrolled, the run closed or full, not enough credit, "
                "or quote_changed, whose quote is the new split to confirm instead."
            ),
        }
    },
)
def enrol(
    offering_id: uuid.UUID,
    data: EnrolmentCreate,
    request: Request,
    session: DbSession,
    actor: ApiActor,
) -> EnrolmentRead | JSONResponse:
    try:
        enrolment = enrolment_service.enrol(
            session, actor, offering_id, expected=data.expected.to_quote()
        )
    except QuoteChanged as changed:
        request.state.refused = True  # answered, not raised: the unit of work keeps nothing
        return problems.domain_problem(
            request,
            changed,
            extensions={"quote": QuoteRead.of(changed.quote).model_dump(mode="json")},
        )
    return enrolment_read(
        enrolment_service.get_enrolment(session, actor.without_scopes(), enrolment.id)
    )


@router.get(
    "/me/enrolments",
    response_model=list[EnrolmentRead],
    summary="My enrolments, the most recent first",
)
def my_enrolments(session: DbSession, actor: ApiActor) -> list[EnrolmentRead]:
    return [enrolment_read(view) for view in enrolment_service.my_enrolments(session, actor)]


@router.post(
    "/enrolments/{enrolment_id}/withdraw",
    response_model=EnrolmentRead,
    summary="Withdraw before completion; every reservation is returned",
)
def withdraw(enrolment_id: uuid.UUID, session: DbSession, actor: ApiActor) -> EnrolmentRead:
    enrolment_service.withdraw(session, actor, enrolment_id)
    return enrolment_read(
        enrolment_service.get_enrolment(session, actor.without_scopes(), enrolment_id)
    )


@router.post(
    "/enrolments/{enrolment_id}/complete",
    response_model=EnrolmentRead,
    summary="Record completion (the provider's educators and registrars); the programs pay",
)
def complete(enrolment_id: uuid.UUID, session: DbSession, actor: ApiActor) -> EnrolmentRead:
    enrolment_service.complete(session, actor, enrolment_id)
    return enrolment_read(
        enrolment_service.get_enrolment(session, actor.without_scopes(), enrolment_id)
    )
