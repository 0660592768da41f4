"""What a reader sees of skills needs: the list, and a need's thread with its proposals,
comments and audit trail, each with the names of the people and organisations involved."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from cairn.catalogue import codesign_repository as repo
from cairn.catalogue import codesign_skills, network_repository
from cairn.catalogue import repository as catalogue_repository
from cairn.catalogue import service as catalogue_service
from cairn.catalogue.codesign_access import seen_need, viewer
from cairn.catalogue.codesign_models import (
    CodesignComment,
    CodesignEvent,
    Network,
    Proposal,
    SkillsNeed,
)
from cairn.catalogue.codesign_skills import SkillLine
from cairn.catalogue.enums import NeedStatus
from cairn.catalogue.models import SpecificationVersion
from cairn.kit.actor import Actor, Scope, require_scope
from cairn.kit.errors import NotFound
from cairn.orgs import repository as orgs_repository
from cairn.orgs.models import Organisation, Position


@dataclass(frozen=True)
class NeedSummary:
    need: SkillsNeed
    org: Organisation
    network: Network | None
    skills: list[SkillLine]


@dataclass(frozen=True)
class ProposalLine:
    proposal: Proposal
    provider: Organisation
    offered: SpecificationVersion | None
    """The newest version of the proposed specification that the reader may open."""
    mine: bool
    """The reader designs for the provider: it revises and withdraws."""


@dataclass
class CommentNode:
    comment: CodesignComment
    author_name: str | None
    org_name: str
    replies: list[CommentNode] = field(default_factory=list)


@dataclass(frozen=True)
class Thread:
    summary: NeedSummary
    position: Position | None
    proposals: list[ProposalLine]
    comments: list[CommentNode]
    """Every comment, oldest first; each also sits in its parent's ``replies``."""
    events: list[tuple[CodesignEvent, str | None, str]]
    """The audit trail, oldest first: each event with the actor's and organisation's names."""
    owns: bool
    sides: list[Organisation]
    """The organisations the reader may speak for on the thread."""
    proposes_for: list[Organisation]
    """Providers the reader may submit a new proposal for while the need is open."""

    @property
    def tree(self) -> list[CommentNode]:
        return [node for node in self.comments if node.comment.parent_id is None]


def list_needs(
    session: Session,
    actor: Actor,
    *,
    status: NeedStatus | None = None,
    network_id: uuid.UUID | None = None,
) -> list[NeedSummary]:
    """The needs the actor may read, newest first."""
    require_scope(actor, Scope.CATALOGUE_READ)
    who = viewer(session, actor)
    needs = repo.visible_needs(
        session,
        everything=who.everything,
        admin_of=who.admin_of,
        designs_for=who.designs_for,
        networks=who.networks,
        status=status,
        network_id=network_id,
    )
    return summaries(session, needs)


def summaries(session: Session, needs: Sequence[SkillsNeed]) -> list[NeedSummary]:
    """Needs with their organisation, network and skills, loaded in a few queries."""
    orgs = orgs_repository.organisations_by_ids(session, [n.org_id for n in needs])
    networks = network_repository.networks_by_ids(
        session, [n.network_id for n in needs if n.network_id is not None]
    )
    skills = repo.skills_of(session, [n.id for n in needs])
    return [
        NeedSummary(
            need,
            orgs[need.org_id],
            networks.get(need.network_id) if need.network_id else None,
            codesign_skills.skill_lines(session, skills[need.id]),
        )
        for need in needs
    ]


def thread(session: Session, actor: Actor, need_id: uuid.UUID) -> Thread:
    """A need with its proposals, comments and audit trail, as the reader may see them."""
    seen = seen_need(session, actor, need_id)
    need = seen.need
    proposals = repo.proposals_of(session, need.id)
    comments = repo.comments_of(session, need.id)
    events = repo.events_of(session, need.id)
    org_ids = {need.org_id, *seen.viewer.designs_for, *(p.provider_org_id for p in proposals)}
    org_ids |= {c.author_org_id for c in comments} | {e.org_id for e in events}
    orgs = orgs_repository.organisations_by_ids(session, list(org_ids))
    people = repo.person_names(
        session,
        {c.author_id for c in comments if c.author_id} | {e.actor_id for e in events if e.actor_id},
    )
    nodes = {
        c.id: CommentNode(
            c, people.get(c.author_id) if c.author_id else None, orgs[c.author_org_id].name
        )
        for c in comments
    }
    for node in nodes.values():
        if node.comment.parent_id in nodes:
            nodes[node.comment.parent_id].replies.append(node)
    active = {p.provider_org_id for p in proposals if p.status in repo.ACTIVE}
    open_need = need.status is NeedStatus.OPEN
    return Thread(
        summary=summaries(session, [need])[0],
        position=(
            orgs_repository.get_position(session, need.org_id, need.position_id)
            if need.position_id
            else None
        ),
        proposals=[
            ProposalLine(
                p,
                orgs[p.provider_org_id],
                _offered(session, actor, p),
                p.provider_org_id in seen.viewer.designs_for,
            )
            for p in proposals
        ],
        comments=list(nodes.values()),
        events=[
            (e, people.get(e.actor_id) if e.actor_id else None, orgs[e.org_id].name) for e in events
        ],
        owns=seen.owns,
        sides=[orgs[org_id] for org_id in seen.sides if org_id in orgs]
        if need.status in (NeedStatus.OPEN, NeedStatus.AGREED)
        else [],
        proposes_for=[
            orgs[org_id]
            for org_id in seen.viewer.can_propose_for(need)
            if open_need and org_id not in active
        ],
    )


def _offered(session: Session, actor: Actor, proposal: Proposal) -> SpecificationVersion | None:
    if proposal.specification_id is None:
        return None
    for version in reversed(catalogue_repository.versions_of(session, proposal.specification_id)):
        try:
            return catalogue_service.view(session, actor, version.id).version
        except NotFound:
            continue
    return None
