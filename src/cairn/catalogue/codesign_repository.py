"""Queries of skills needs, proposals, comments and the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.orm import Session

from cairn.catalogue.codesign_models import (
    CodesignComment,
    CodesignEvent,
    NeedSkill,
    Proposal,
    SkillsNeed,
)
from cairn.catalogue.enums import NeedStatus, ProposalStatus
from cairn.orgs.models import Person

ACTIVE = (ProposalStatus.SUBMITTED, ProposalStatus.CHANGES_REQUESTED, ProposalStatus.AGREED)
"""A proposal still in play (or agreed): a provider has at most one of these per need."""


def get_need(session: Session, need_id: uuid.UUID) -> SkillsNeed | None:
    return session.get(SkillsNeed, need_id)


def need_for_update(session: Session, need_id: uuid.UUID) -> SkillsNeed | None:
    return session.scalar(select(SkillsNeed).where(SkillsNeed.id == need_id).with_for_update())


def visible_needs(
    session: Session,
    *,
    everything: bool,
    admin_of: Collection[uuid.UUID],
    designs_for: Collection[uuid.UUID],
    networks: Collection[uuid.UUID],
    status: NeedStatus | None = None,
    network_id: uuid.UUID | None = None,
) -> Sequence[SkillsNeed]:
    """Needs the owner's administrators, the providers they reach (or that proposed), and
    the staff of their network's members may read; newest first."""
    query = select(SkillsNeed).order_by(SkillsNeed.created_at.desc(), SkillsNeed.id)
    if not everything:
        seen: list[ColumnElement[bool]] = [SkillsNeed.org_id.in_(list(admin_of))]
        if designs_for:
            seen.append(SkillsNeed.network_id.is_(None))
            seen.append(
                SkillsNeed.id.in_(
                    select(Proposal.need_id).where(Proposal.provider_org_id.in_(list(designs_for)))
                )
            )
        if networks:
            seen.append(SkillsNeed.network_id.in_(list(networks)))
        query = query.where(or_(*seen))
    if status is not None:
        query = query.where(SkillsNeed.status == status)
    if network_id is not None:
        query = query.where(SkillsNeed.network_id == network_id)
    return session.scalars(query).all()


def open_needs_shared_with(session: Session, org_id: uuid.UUID, network_id: uuid.UUID) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(SkillsNeed)
            .where(
                SkillsNeed.org_id == org_id,
                SkillsNeed.network_id == network_id,
                SkillsNeed.status == NeedStatus.OPEN,
            )
        )
        or 0
    )


def skills_of(
    session: Session, need_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[NeedSkill]]:
    rows = session.scalars(select(NeedSkill).where(NeedSkill.need_id.in_(list(need_ids)))).all()
    found: dict[uuid.UUID, list[NeedSkill]] = {need_id: [] for need_id in need_ids}
    for row in rows:
        found[row.need_id].append(row)
    return found


def replace_skills(session: Session, need_id: uuid.UUID, rows: Sequence[NeedSkill]) -> None:
    session.execute(delete(NeedSkill).where(NeedSkill.need_id == need_id))
    session.add_all(rows)


def get_proposal(session: Session, proposal_id: uuid.UUID) -> Proposal | None:
    return session.get(Proposal, proposal_id)


def proposal_for_update(session: Session, proposal_id: uuid.UUID) -> Proposal | None:
    return session.scalar(select(Proposal).where(Proposal.id == proposal_id).with_for_update())


def proposals_of(session: Session, need_id: uuid.UUID) -> Sequence[Proposal]:
    return session.scalars(
        select(Proposal).where(Proposal.need_id == need_id).order_by(Proposal.created_at)
    ).all()


def proposing_org_ids(session: Session, need_id: uuid.UUID) -> frozenset[uuid.UUID]:
    return frozenset(
        session.scalars(select(Proposal.provider_org_id).where(Proposal.need_id == need_id)).all()
    )


def active_proposal(
    session: Session, need_id: uuid.UUID, provider_org_id: uuid.UUID
) -> Proposal | None:
    return session.scalar(
        select(Proposal).where(
            Proposal.need_id == need_id,
            Proposal.provider_org_id == provider_org_id,
            Proposal.status.in_(ACTIVE),
        )
    )


def get_comment(session: Session, comment_id: uuid.UUID) -> CodesignComment | None:
    return session.get(CodesignComment, comment_id)


def comments_of(session: Session, need_id: uuid.UUID) -> Sequence[CodesignComment]:
    return session.scalars(
        select(CodesignComment)
        .where(CodesignComment.need_id == need_id)
        .order_by(CodesignComment.created_at)
    ).all()


def events_of(session: Session, need_id: uuid.UUID) -> Sequence[CodesignEvent]:
    return session.scalars(
        select(CodesignEvent).where(CodesignEvent.need_id == need_id).order_by(CodesignEvent.at)
    ).all()


def person_names(session: Session, person_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Display names of the people who wrote or acted on a thread."""
    rows = session.execute(
        select(Person.id, Person.display_name).where(Person.id.in_(list(person_ids)))
    ).all()
    return {person_id: str(name) for person_id, name in rows}
