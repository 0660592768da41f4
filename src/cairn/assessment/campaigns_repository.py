"""Queries of assessment campaigns: campaigns, their targets and participants, and the
attempts taken for them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from cairn.assessment.enums import AttemptStatus, CampaignStatus
from cairn.assessment.models import (
    Attempt,
    Campaign,
    CampaignParticipant,
    CampaignTarget,
    Item,
)
from cairn.orgs.models import Membership, Organisation, Person
from cairn.taxonomy.models import Skill, SkillBroader


def list_campaigns(session: Session, org_id: uuid.UUID) -> Sequence[Campaign]:
    return session.scalars(
        select(Campaign)
        .where(Campaign.org_id == org_id)
        .order_by(Campaign.created_at.desc(), Campaign.id)
    ).all()


def get_campaign(session: Session, org_id: uuid.UUID, campaign_id: uuid.UUID) -> Campaign | None:
    return session.scalar(
        select(Campaign).where(Campaign.org_id == org_id, Campaign.id == campaign_id)
    )


def find_campaign(session: Session, campaign_id: uuid.UUID) -> Campaign | None:
    return session.get(Campaign, campaign_id)


def open_campaigns(
    session: Session, *, org_id: uuid.UUID | None = None, deadline_before: datetime | None = None
) -> Sequence[Campaign]:
    """Open campaigns, soonest deadline first; of one organisation, or ending before a time."""
    query = (
        select(Campaign)
        .where(Campaign.status == CampaignStatus.OPEN)
        .order_by(Campaign.deadline, Campaign.id)
    )
    if org_id is not None:
        query = query.where(Campaign.org_id == org_id)
    if deadline_before is not None:
        query = query.where(Campaign.deadline <= deadline_before)
    return session.scalars(query).all()


def targets_of(session: Session, campaign_id: uuid.UUID) -> Sequence[CampaignTarget]:
    return session.scalars(
        select(CampaignTarget).where(CampaignTarget.campaign_id == campaign_id)
    ).all()


def replace_targets(
    session: Session,
    campaign_id: uuid.UUID,
    *,
    department_ids: Iterable[uuid.UUID] | None,
    position_ids: Iterable[uuid.UUID] | None,
) -> None:
    """Replace the departments, the job roles or both (None keeps that kind as it is)."""
    if department_ids is not None:
        session.execute(
            delete(CampaignTarget).where(
                CampaignTarget.campaign_id == campaign_id, CampaignTarget.department_id.is_not(None)
            )
        )
        session.add_all(
            CampaignTarget(campaign_id=campaign_id, department_id=department_id)
            for department_id in dict.fromkeys(department_ids)
        )
    if position_ids is not None:
        session.execute(
            delete(CampaignTarget).where(
                CampaignTarget.campaign_id == campaign_id, CampaignTarget.position_id.is_not(None)
            )
        )
        session.add_all(
            CampaignTarget(campaign_id=campaign_id, position_id=position_id)
            for position_id in dict.fromkeys(position_ids)
        )
    session.flush()


def active_members_in(
    session: Session,
    org_id: uuid.UUID,
    *,
    department_ids: Sequence[uuid.UUID],
    position_ids: Sequence[uuid.UUID],
) -> Sequence[Person]:
    """Active people with a membership of ``org_id`` in one of the departments or roles."""
    if not department_ids and not position_ids:
        return []
    held = select(Membership.person_id).where(
        Membership.org_id == org_id,
        or_(
            Membership.department_id.in_(list(department_ids)),
            Membership.position_id.in_(list(position_ids)),
        ),
    )
    return session.scalars(
        select(Person)
        .where(Person.id.in_(held), Person.is_active.is_(True))
        .order_by(Person.display_name, Person.id)
    ).all()


def participants_of(
    session: Session, campaign_id: uuid.UUID
) -> Sequence[tuple[CampaignParticipant, Person]]:
    rows = session.execute(
        select(CampaignParticipant, Person)
        .join(Person, Person.id == CampaignParticipant.person_id)
        .where(CampaignParticipant.campaign_id == campaign_id)
        .order_by(Person.display_name, Person.id)
    )
    return [(participant, person) for participant, person in rows]


def count_participants(session: Session, campaign_id: uuid.UUID) -> int:
    return (
        session.scalar(select(func.count()).where(CampaignParticipant.campaign_id == campaign_id))
        or 0
    )


def find_participant(
    session: Session, campaign_id: uuid.UUID, person_id: uuid.UUID
) -> CampaignParticipant | None:
    return session.scalar(
        select(CampaignParticipant).where(
            CampaignParticipant.campaign_id == campaign_id,
            CampaignParticipant.person_id == person_id,
        )
    )


def attempts_for(session: Session, campaign_id: uuid.UUID) -> Sequence[Attempt]:
    """The campaign's attempts, oldest first, so a later one overrides an earlier one."""
    return session.scalars(
        select(Attempt)
        .where(Attempt.campaign_id == campaign_id)
        .order_by(Attempt.created_at, Attempt.id)
    ).all()


def person_attempts_for(
    session: Session, person_id: uuid.UUID, campaign_ids: Sequence[uuid.UUID]
) -> Sequence[Attempt]:
    if not campaign_ids:
        return []
    return session.scalars(
        select(Attempt)
        .where(Attempt.person_id == person_id, Attempt.campaign_id.in_(list(campaign_ids)))
        .order_by(Attempt.created_at, Attempt.id)
    ).all()


def expire_attempts(session: Session, campaign_id: uuid.UUID) -> int:
    """Mark the campaign's unfinished attempts expired; returns how many."""
    result = session.execute(
        update(Attempt)
        .where(Attempt.campaign_id == campaign_id, Attempt.status == AttemptStatus.IN_PROGRESS)
        .values(status=AttemptStatus.EXPIRED, current_item_id=None)
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def invitations_of(
    session: Session, person_id: uuid.UUID
) -> Sequence[tuple[Campaign, Organisation]]:
    """Open campaigns the person takes part in, soonest deadline first."""
    rows = session.execute(
        select(Campaign, Organisation)
        .join(CampaignParticipant, CampaignParticipant.campaign_id == Campaign.id)
        .join(Organisation, Organisation.id == Campaign.org_id)
        .where(CampaignParticipant.person_id == person_id, Campaign.status == CampaignStatus.OPEN)
        .order_by(Campaign.deadline, Campaign.id)
    )
    return [(campaign, org) for campaign, org in rows]


def participant_campaign(
    session: Session, person_id: uuid.UUID, campaign_id: uuid.UUID
) -> Campaign | None:
    return session.scalar(
        select(Campaign)
        .join(CampaignParticipant, CampaignParticipant.campaign_id == Campaign.id)
        .where(Campaign.id == campaign_id, CampaignParticipant.person_id == person_id)
    )


def scope_skills(session: Session, bank_id: uuid.UUID) -> Sequence[Skill]:
    """The skills the bank's current items measure and the groups right above them: the
    areas and competences a campaign may narrow its test to."""
    measured = select(Item.skill_id).where(Item.bank_id == bank_id, Item.is_current.is_(True))
    above = select(SkillBroader.broader_id).where(SkillBroader.skill_id.in_(measured))
    return session.scalars(
        select(Skill)
        .where(or_(Skill.id.in_(measured), Skill.id.in_(above)))
        .order_by(Skill.code, Skill.preferred_label)
    ).all()
