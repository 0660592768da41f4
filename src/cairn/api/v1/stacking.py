"""Stacking: rules by which micro-credentials add up to a larger credential or a program,
equivalences between issuers, and assessment-only (RPL) routes. Reading is open to any
token with ``catalogue:read``, as the rules are public; writing is the issuer's."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from cairn.api.v1.common import ERROR_RESPONSES
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.catalogue import stacking_service
from cairn.catalogue.stacking_schemas import (
    EquivalenceCreate,
    EquivalenceRead,
    RplRouteCreate,
    RplRouteRead,
    StackRuleCreate,
    StackRuleFields,
    StackRuleRead,
)

router = APIRouter(tags=["stacking"], responses=ERROR_RESPONSES)
NO_CONTENT = status.HTTP_204_NO_CONTENT


@router.get(
    "/stacking-rules",
    response_model=list[StackRuleRead],
    summary="Stacking rules, every issuer's or one organisation's, by title",
)
def list_rules(
    session: DbSession,
    actor: ApiActor,
    org_id: Annotated[
        uuid.UUID | None, Query(description="Only the rules of this organisation.")
    ] = None,
) -> list[StackRuleRead]:
    return [
        StackRuleRead.model_validate(rule)
        for rule in stacking_service.list_rules(session, actor, org_id)
    ]


@router.post(
    "/orgs/{org_id}/stacking-rules",
    response_model=StackRuleRead,
    status_code=status.HTTP_201_CREATED,
    summary="Declare how the organisation's larger credential or program is earned "
    "(409 naming the cycle if rules would depend on themselves)",
)
def create_rule(
    org_id: uuid.UUID, data: StackRuleCreate, session: DbSession, actor: ApiActor
) -> StackRuleRead:
    return StackRuleRead.model_validate(stacking_service.create_rule(session, actor, org_id, data))


@router.get(
    "/stacking-rules/{rule_id}", response_model=StackRuleRead, summary="Read a stacking rule"
)
def read_rule(rule_id: uuid.UUID, session: DbSession, actor: ApiActor) -> StackRuleRead:
    return StackRuleRead.model_validate(stacking_service.get_rule(session, actor, rule_id))


@router.put(
    "/stacking-rules/{rule_id}",
    response_model=StackRuleRead,
    summary="Replace a rule's definition, components included",
)
def update_rule(
    rule_id: uuid.UUID, data: StackRuleFields, session: DbSession, actor: ApiActor
) -> StackRuleRead:
    return StackRuleRead.model_validate(stacking_service.update_rule(session, actor, rule_id, data))


@router.delete(
    "/stacking-rules/{rule_id}",
    status_code=NO_CONTENT,
    summary="Delete a rule (409 while another rule includes it)",
)
def delete_rule(rule_id: uuid.UUID, session: DbSession, actor: ApiActor) -> Response:
    stacking_service.delete_rule(session, actor, rule_id)
    return Response(status_code=NO_CONTENT)


@router.get(
    "/equivalences",
    response_model=list[EquivalenceRead],
    summary="The equivalences an organisation recognises for its specifications",
)
def list_equivalences(
    session: DbSession,
    actor: ApiActor,
    org_id: Annotated[uuid.UUID, Query(description="The recognising organisation.")],
) -> list[EquivalenceRead]:
    return [
        EquivalenceRead.model_validate(equivalence)
        for equivalence in stacking_service.list_equivalences(session, actor, org_id)
    ]


@router.post(
    "/equivalences",
    response_model=EquivalenceRead,
    status_code=status.HTTP_201_CREATED,
    summary="Recognise another specification as standing in for one of yours",
)
def declare_equivalence(
    data: EquivalenceCreate, session: DbSession, actor: ApiActor
) -> EquivalenceRead:
    return EquivalenceRead.model_validate(
        stacking_service.declare_equivalence(session, actor, data)
    )


@router.delete(
    "/equivalences/{equivalence_id}", status_code=NO_CONTENT, summary="Withdraw an equivalence"
)
def withdraw_equivalence(
    equivalence_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> Response:
    stacking_service.withdraw_equivalence(session, actor, equivalence_id)
    return Response(status_code=NO_CONTENT)


@router.get(
    "/rpl-routes",
    response_model=list[RplRouteRead],
    summary="The assessment-only routes to a specification",
)
def list_rpl_routes(
    session: DbSession,
    actor: ApiActor,
    specification_id: Annotated[
        uuid.UUID, Query(description="The specification's lasting id (any version).")
    ],
) -> list[RplRouteRead]:
    return [
        RplRouteRead.model_validate(route)
        for route in stacking_service.rpl_routes(session, actor, specification_id)
    ]


@router.post(
    "/rpl-routes",
    response_model=RplRouteRead,
    status_code=status.HTTP_201_CREATED,
    summary="Describe an assessment-only way to earn one of your specifications",
)
def add_rpl_route(data: RplRouteCreate, session: DbSession, actor: ApiActor) -> RplRouteRead:
    return RplRouteRead.model_validate(stacking_service.add_rpl_route(session, actor, data))
