"""Co-design: skills needs posted by employers and sector groups, training providers'
proposals, the thread between them with its audit trail, and the networks through which
organisations see each other's needs and offers."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from sqlalchemy.orm import Session

from cairn.api.v1.common import ERROR_RESPONSES
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.catalogue import codesign_service, codesign_views, network_service, proposal_service
from cairn.catalogue.codesign_models import Network
from cairn.catalogue.codesign_schemas import (
    CommentCreate,
    CommentRead,
    DeclineNote,
    EventRead,
    NeedCreate,
    NeedFields,
    NeedRead,
    NeedSkillRead,
    NeedThreadRead,
    NetworkCreate,
    NetworkDetailRead,
    NetworkMemberRead,
    NetworkMembershipWrite,
    NetworkRead,
    OfferedVersionRead,
    OfferRead,
    ProposalCreate,
    ProposalFields,
    ProposalInThreadRead,
    ProposalRead,
    ReviewNote,
)
from cairn.catalogue.codesign_views import NeedSummary
from cairn.catalogue.enums import NeedStatus
from cairn.catalogue.network_service import Members
from cairn.kit.actor import Actor

router = APIRouter(tags=["co-design"], responses=ERROR_RESPONSES)


def need_read(summary: NeedSummary) -> NeedRead:
    need = summary.need
    return NeedRead(
        id=need.id,
        org_id=need.org_id,
        org_name=summary.org.name,
        network_id=need.network_id,
        network_name=summary.network.name if summary.network else None,
        title=need.title,
        role_title=need.role_title,
        position_id=need.position_id,
        description=need.description,
        region=need.region,
        headcount=need.headcount,
        needed_from=need.needed_from,
        needed_by=need.needed_by,
        status=need.status,
        created_at=need.created_at,
        skills=[
            NeedSkillRead(
                skill_id=line.choice.skill.id,
                uri=line.choice.skill.uri,
                label=line.choice.skill.preferred_label,
                level=line.level,
                level_label=line.choice.level_label(line.level),
            )
            for line in summary.skills
        ],
    )


def thread_read(session: Session, actor: Actor, need_id: uuid.UUID) -> NeedThreadRead:
    thread = codesign_views.thread(session, actor, need_id)
    return NeedThreadRead(
        **need_read(thread.summary).model_dump(),
        proposals=[
            ProposalInThreadRead(
                **ProposalRead.model_validate(line.proposal).model_dump(),
                provider_name=line.provider.name,
                offered=(
                    OfferedVersionRead(
                        version_id=line.offered.id,
                        number=line.offered.number,
                        title=line.offered.title,
                        status=line.offered.status,
                    )
                    if line.offered
                    else None
                ),
            )
            for line in thread.proposals
        ],
        comments=[
            CommentRead(
                id=node.comment.id,
                proposal_id=node.comment.proposal_id,
                parent_id=node.comment.parent_id,
                author_name=node.author_name,
                author_org_id=node.comment.author_org_id,
                author_org_name=node.org_name,
                body=node.comment.body,
                created_at=node.comment.created_at,
            )
            for node in thread.comments
        ],
        events=[
            EventRead(
                id=event.id,
                proposal_id=event.proposal_id,
                action=event.action,
                actor_name=actor_name,
                org_id=event.org_id,
                org_name=org_name,
                detail=event.detail,
                at=event.at,
            )
            for event, actor_name, org_name in thread.events
        ],
    )


@router.get(
    "/needs",
    response_model=list[NeedRead],
    summary="The skills needs you may see, newest first",
)
def list_needs(
    session: DbSession,
    actor: ApiActor,
    status_: Annotated[NeedStatus | None, Query(alias="status")] = None,
    network_id: Annotated[
        uuid.UUID | None, Query(description="Only the needs shared with this network.")
    ] = None,
) -> list[NeedRead]:
    return [
        need_read(summary)
        for summary in codesign_views.list_needs(
            session, actor, status=status_, network_id=network_id
        )
    ]


@router.post(
    "/orgs/{org_id}/needs",
    response_model=NeedThreadRead,
    status_code=status.HTTP_201_CREATED,
    summary="Post a skills need for an employer, sector group or program authority",
)
def create_need(
    org_id: uuid.UUID, data: NeedCreate, session: DbSession, actor: ApiActor
) -> NeedThreadRead:
    need = codesign_service.create_need(session, actor, org_id, data)
    return thread_read(session, actor.without_scopes(), need.id)


@router.get(
    "/needs/{need_id}",
    response_model=NeedThreadRead,
    summary="A skills need with its proposals, comments and audit trail",
)
def read_need(need_id: uuid.UUID, session: DbSession, actor: ApiActor) -> NeedThreadRead:
    return thread_read(session, actor, need_id)


@router.patch(
    "/needs/{need_id}",
    response_model=NeedThreadRead,
    summary="Change an open need (the posting organisation)",
)
def update_need(
    need_id: uuid.UUID, data: NeedFields, session: DbSession, actor: ApiActor
) -> NeedThreadRead:
    codesign_service.update_need(session, actor, need_id, data)
    return thread_read(session, actor.without_scopes(), need_id)


@router.post(
    "/needs/{need_id}/close",
    response_model=NeedThreadRead,
    summary="Close an open or agreed need",
)
def close_need(need_id: uuid.UUID, session: DbSession, actor: ApiActor) -> NeedThreadRead:
    codesign_service.close_need(session, actor, need_id)
    return thread_read(session, actor.without_scopes(), need_id)


@router.post(
    "/needs/{need_id}/withdraw",
    response_model=NeedThreadRead,
    summary="Withdraw an open need",
)
def withdraw_need(need_id: uuid.UUID, session: DbSession, actor: ApiActor) -> NeedThreadRead:
    codesign_service.withdraw_need(session, actor, need_id)
    return thread_read(session, actor.without_scopes(), need_id)


@router.post(
    "/needs/{need_id}/proposals",
    response_model=ProposalRead,
    status_code=status.HTTP_201_CREATED,
    summary="Propose an existing or new specification for an open need (providers)",
)
def create_proposal(
    need_id: uuid.UUID, data: ProposalCreate, session: DbSession, actor: ApiActor
) -> ProposalRead:
    return ProposalRead.model_validate(
        proposal_service.submit_proposal(session, actor, need_id, data)
    )


@router.post(
    "/proposals/{proposal_id}/revise",
    response_model=ProposalRead,
    summary="Revise a proposal under review: its revision goes up by one (the provider)",
)
def revise_proposal(
    proposal_id: uuid.UUID, data: ProposalFields, session: DbSession, actor: ApiActor
) -> ProposalRead:
    return ProposalRead.model_validate(
        proposal_service.revise_proposal(session, actor, proposal_id, data)
    )


@router.post(
    "/proposals/{proposal_id}/withdraw",
    response_model=ProposalRead,
    summary="Withdraw a proposal under review (the provider)",
)
def withdraw_proposal(proposal_id: uuid.UUID, session: DbSession, actor: ApiActor) -> ProposalRead:
    return ProposalRead.model_validate(
        proposal_service.withdraw_proposal(session, actor, proposal_id)
    )


@router.post(
    "/proposals/{proposal_id}/request-changes",
    response_model=ProposalRead,
    summary="Ask for changes, with a note posted on the thread (the posting organisation)",
)
def request_changes(
    proposal_id: uuid.UUID, data: ReviewNote, session: DbSession, actor: ApiActor
) -> ProposalRead:
    return ProposalRead.model_validate(
        proposal_service.request_changes(session, actor, proposal_id, data.note)
    )


@router.post(
    "/proposals/{proposal_id}/agree",
    response_model=ProposalRead,
    summary="Agree a submitted proposal; the need becomes agreed (the posting organisation)",
)
def agree(proposal_id: uuid.UUID, session: DbSession, actor: ApiActor) -> ProposalRead:
    return ProposalRead.model_validate(proposal_service.agree(session, actor, proposal_id))


@router.post(
    "/proposals/{proposal_id}/decline",
    response_model=ProposalRead,
    summary="Decline a proposal under review (the posting organisation)",
)
def decline(
    proposal_id: uuid.UUID, data: DeclineNote, session: DbSession, actor: ApiActor
) -> ProposalRead:
    return ProposalRead.model_validate(
        proposal_service.decline(session, actor, proposal_id, data.note)
    )


@router.post(
    "/needs/{need_id}/comments",
    response_model=NeedThreadRead,
    status_code=status.HTTP_201_CREATED,
    summary="Comment on a need's thread, or answer a comment",
)
def create_comment(
    need_id: uuid.UUID, data: CommentCreate, session: DbSession, actor: ApiActor
) -> NeedThreadRead:
    codesign_service.add_comment(session, actor, need_id, data)
    return thread_read(session, actor.without_scopes(), need_id)


def _network_fields(network: Network, members: Members) -> dict[str, Any]:
    return {
        "id": network.id,
        "slug": network.slug,
        "name": network.name,
        "kind": network.kind,
        "sector": network.sector,
        "region": network.region,
        "description": network.description,
        "convenor_org_id": network.convenor_org_id,
        "members": [
            NetworkMemberRead(org_id=org.id, name=org.name, joined_at=member.joined_at)
            for member, org in members
        ],
    }


def network_read(session: Session, actor: Actor, network_id: uuid.UUID) -> NetworkDetailRead:
    view = network_service.get_network(session, actor, network_id)
    return NetworkDetailRead(
        **_network_fields(view.network, view.members),
        needs=[need_read(summary) for summary in view.needs],
        offers=[
            OfferRead(
                version_id=version.id,
                specification_id=specification.id,
                title=version.title,
                org_id=org.id,
                org_name=org.name,
            )
            for version, specification, org in view.offers
        ],
    )


@router.get(
    "/networks",
    response_model=list[NetworkRead],
    summary="Every sector and regional network, with its members",
)
def list_networks(session: DbSession, actor: ApiActor) -> list[NetworkRead]:
    return [
        NetworkRead(**_network_fields(network, members))
        for network, members in network_service.list_networks(session, actor)
    ]


@router.post(
    "/networks",
    response_model=NetworkDetailRead,
    status_code=status.HTTP_201_CREATED,
    summary="Start a network convened by an organisation you administer",
)
def create_network(data: NetworkCreate, session: DbSession, actor: ApiActor) -> NetworkDetailRead:
    network = network_service.create_network(session, actor, data)
    return network_read(session, actor.without_scopes(), network.id)


@router.get(
    "/networks/{network_id}",
    response_model=NetworkDetailRead,
    summary="A network: its members, the needs shared with it you may see, its offers",
)
def read_network(network_id: uuid.UUID, session: DbSession, actor: ApiActor) -> NetworkDetailRead:
    return network_read(session, actor, network_id)


@router.post(
    "/networks/{network_id}/join",
    response_model=NetworkDetailRead,
    summary="Join an organisation you administer to a network",
)
def join_network(
    network_id: uuid.UUID, data: NetworkMembershipWrite, session: DbSession, actor: ApiActor
) -> NetworkDetailRead:
    network_service.join_network(session, actor, network_id, data.org_id)
    return network_read(session, actor.without_scopes(), network_id)


@router.post(
    "/networks/{network_id}/leave",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Take an organisation you administer out of a network",
)
def leave_network(
    network_id: uuid.UUID, data: NetworkMembershipWrite, session: DbSession, actor: ApiActor
) -> Response:
    network_service.leave_network(session, actor, network_id, data.org_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
