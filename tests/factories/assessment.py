"""Item banks, campaigns and attempts made with the ORM, for tests that need a test's
outcome without answering its items."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from cairn.assessment.enums import AttemptStatus, CampaignStatus, TestMode
from cairn.assessment.models import Attempt, Campaign, CampaignTarget, ItemBank
from cairn.kit.clock import utcnow
from cairn.orgs.models import Department, Organisation, Person, Position
from cairn.taxonomy.models import Framework
from tests.factories.taxonomy import make_framework

_counter = itertools.count(1)


def make_bank(
    session: Session,
    *,
    framework: Framework | None = None,
    owner_org_id: uuid.UUID | None = None,
    title: str | None = None,
) -> ItemBank:
    number = next(_counter)
    bank = ItemBank(
        slug=f"bank-{number}-{uuid.uuid4().hex[:6]}",
        version="1.0",
        title=title or f"Item bank {number}",
        language="en",
        framework_id=(framework or make_framework(session)).id,
        owner_org_id=owner_org_id,
    )
    session.add(bank)
    session.flush()
    return bank


def make_campaign(
    session: Session,
    org: Organisation,
    *,
    bank: ItemBank | None = None,
    title: str = "Digital skills check",
    deadline: datetime | None = None,
    status: CampaignStatus = CampaignStatus.DRAFT,
    departments: Iterable[Department] = (),
    positions: Iterable[Position] = (),
) -> Campaign:
    """A campaign written directly, without the service's checks: for any state at all."""
    campaign = Campaign(
        org_id=org.id,
        title=title,
        bank_id=(bank or make_bank(session)).id,
        mode=TestMode.ADAPTIVE,
        deadline=deadline or utcnow() + timedelta(days=14),
        status=status,
        launched_at=utcnow() if status is not CampaignStatus.DRAFT else None,
    )
    session.add(campaign)
    session.flush()
    session.add_all(
        CampaignTarget(campaign_id=campaign.id, department_id=d.id) for d in departments
    )
    session.add_all(CampaignTarget(campaign_id=campaign.id, position_id=p.id) for p in positions)
    session.flush()
    return campaign


def make_attempt(
    session: Session,
    person: Person,
    *,
    bank: ItemBank | None = None,
    campaign: Campaign | None = None,
    status: AttemptStatus = AttemptStatus.COMPLETED,
    level: int | None = 3,
) -> Attempt:
    """An attempt in the given state; a completed one has its level, θ and end time."""
    done = status is AttemptStatus.COMPLETED
    attempt = Attempt(
        person_id=person.id,
        bank_id=campaign.bank_id if campaign else (bank or make_bank(session)).id,
        mode=campaign.mode if campaign else TestMode.ADAPTIVE,
        status=status,
        state={},
        campaign_id=campaign.id if campaign else None,
        org_id=campaign.org_id if campaign else None,
        closes_at=campaign.deadline if campaign else None,
        finished_at=utcnow() if done else None,
        theta=0.0 if done else None,
        se=0.3 if done else None,
        level=level if done else None,
    )
    session.add(attempt)
    session.flush()
    return attempt
