"""Assessment campaigns: who is invited, the mail they get, reminders, closing at the
deadline, and that only an organisation's HR team runs its campaigns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.assessment import campaigns
from cairn.assessment.campaign_schemas import CampaignCreate, CampaignUpdate
from cairn.assessment.enums import AttemptStatus, CampaignStatus
from cairn.assessment.models import Campaign, CampaignParticipant, ItemBank
from cairn.kit.actor import Actor, Role
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from cairn.kit.mail import OutboxMessage
from cairn.orgs.models import Department, Organisation, Person, Position
from tests.factories.assessment import make_attempt, make_bank, make_campaign
from tests.factories.orgs import actor, make_department, make_member, make_org, make_position


@dataclass
class Employer:
    org: Organisation
    hr: Actor
    operations: Department
    warehouse: Department
    sales: Department
    driver: Position
    bank: ItemBank
    ops_clerk: Person
    picker: Person
    seller: Person
    trucker: Person


@pytest.fixture
def employer(session: Session) -> Employer:
    """Operations (with Warehouse under it), Sales, and a Driver role outside departments."""
    org = make_org(session, name="Northshore Freight")
    operations = make_department(session, org, name="Operations")
    warehouse = make_department(session, org, name="Warehouse", parent=operations)
    sales = make_department(session, org, name="Sales")
    driver = make_position(session, org, title="Driver")
    return Employer(
        org=org,
        hr=actor(session, make_member(session, org, Role.HR_ADMIN)),
        operations=operations,
        warehouse=warehouse,
        sales=sales,
        driver=driver,
        bank=make_bank(session),
        ops_clerk=make_member(session, org, department=operations),
        picker=make_member(session, org, department=warehouse, position=driver),
        seller=make_member(session, org, department=sales),
        trucker=make_member(session, org, position=driver),
    )


def draft(session: Session, employer: Employer, **changes: object) -> Campaign:
    data = {
        "title": "Digital skills 2027",
        "message": "Twenty minutes, at your desk.",
        "bank_id": employer.bank.id,
        "deadline": utcnow() + timedelta(days=10),
        "department_ids": [employer.operations.id],
        "position_ids": [employer.driver.id],
        **changes,
    }
    return campaigns.create_campaign(
        session, employer.hr, employer.org.id, CampaignCreate.model_validate(data)
    )


def outbox(session: Session) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage)))


def participants(session: Session, campaign: Campaign) -> dict[object, CampaignParticipant]:
    rows = session.scalars(
        select(CampaignParticipant).where(CampaignParticipant.campaign_id == campaign.id)
    )
    return {row.person_id: row for row in rows}


def test_launch_invites_sub_departments_and_roles_with_one_mail_each(
    session: Session, employer: Employer
) -> None:
    campaign = draft(session, employer)

    invited = campaigns.launch(session, employer.hr, employer.org.id, campaign.id)

    targeted = {employer.ops_clerk, employer.picker, employer.trucker}
    assert invited == 3
    assert set(participants(session, campaign)) == {person.id for person in targeted}
    mails = outbox(session)
    assert sorted(mail.recipient for mail in mails) == sorted(p.email for p in targeted)
    assert all("Digital skills 2027" in mail.subject for mail in mails)
    assert all("http://testserver.example/assessments" in mail.body for mail in mails)
    assert all("Twenty minutes, at your desk." in mail.body for mail in mails)
    assert campaign.status is CampaignStatus.OPEN
    assert campaign.launched_at is not None


def test_a_launch_reaching_nobody_is_refused_and_changes_nothing(
    session: Session, employer: Employer
) -> None:
    empty = make_department(session, employer.org, name="Research")
    campaign = draft(session, employer, department_ids=[empty.id], position_ids=[])

    with pytest.raises(InvalidInput) as refused:
        campaigns.launch(session, employer.hr, employer.org.id, campaign.id)

    assert refused.value.field_errors[0].field == "department_ids"
    assert campaign.status is CampaignStatus.DRAFT
    assert participants(session, campaign) == {}
    assert outbox(session) == []


def test_inactive_people_are_not_invited(session: Session, employer: Employer) -> None:
    employer.trucker.is_active = False
    campaign = draft(session, employer, department_ids=[], position_ids=[employer.driver.id])

    assert campaigns.launch(session, employer.hr, employer.org.id, campaign.id) == 1
    assert set(participants(session, campaign)) == {employer.picker.id}


def test_the_deadline_must_be_in_the_future(session: Session, employer: Employer) -> None:
    with pytest.raises(InvalidInput) as refused:
        draft(session, employer, deadline=utcnow() - timedelta(minutes=1))
    assert refused.value.field_errors[0].field == "deadline"

    campaign = draft(session, employer)
    with pytest.raises(InvalidInput):
        campaigns.update_campaign(
            session,
            employer.hr,
            employer.org.id,
            campaign.id,
            CampaignUpdate(deadline=utcnow() - timedelta(days=1)),
        )
    assert campaign.deadline > utcnow()


def test_a_bare_date_means_the_end_of_that_day(session: Session, employer: Employer) -> None:
    day = (utcnow() + timedelta(days=5)).date()
    campaign = draft(session, employer, deadline=day.isoformat())
    assert (campaign.deadline.date(), campaign.deadline.hour, campaign.deadline.minute) == (
        day,
        23,
        59,
    )


def test_targets_and_banks_of_another_organisation_are_refused(
    session: Session, employer: Employer
) -> None:
    other = make_org(session)
    with pytest.raises(InvalidInput) as refused:
        draft(session, employer, department_ids=[make_department(session, other).id])
    assert refused.value.field_errors[0].field == "department_ids"
    with pytest.raises(InvalidInput) as refused:
        draft(session, employer, position_ids=[make_position(session, other).id])
    assert refused.value.field_errors[0].field == "position_ids"
    with pytest.raises(InvalidInput) as refused:
        draft(session, employer, bank_id=make_bank(session, owner_org_id=other.id).id)
    assert refused.value.field_errors[0].field == "bank_id"
    assert list(session.scalars(select(Campaign))) == []


def test_own_and_public_banks_are_offered_but_not_anothers(
    session: Session, employer: Employer
) -> None:
    own = make_bank(session, owner_org_id=employer.org.id)
    other = make_bank(session, owner_org_id=make_org(session).id)

    offered = {bank.id for bank in campaigns.available_banks(session, employer.hr, employer.org.id)}

    assert {own.id, employer.bank.id} <= offered
    assert other.id not in offered


def test_a_draft_can_be_edited_and_a_launched_campaign_cannot(
    session: Session, employer: Employer
) -> None:
    campaign = draft(session, employer)
    campaigns.update_campaign(
        session,
        employer.hr,
        employer.org.id,
        campaign.id,
        CampaignUpdate(title="Renamed", department_ids=[employer.sales.id]),
    )
    detail = campaigns.detail(session, employer.hr, employer.org.id, campaign.id)
    assert campaign.title == "Renamed"
    assert [d.name for d in detail.departments] == ["Sales"]
    assert [p.title for p in detail.positions] == ["Driver"]  # not given: kept

    campaigns.launch(session, employer.hr, employer.org.id, campaign.id)
    with pytest.raises(Conflict):
        campaigns.update_campaign(
            session, employer.hr, employer.org.id, campaign.id, CampaignUpdate(title="Later")
        )
    assert campaign.title == "Renamed"


def age(session: Session, campaign: Campaign, hours: int) -> None:
    """Pretend every participant's last mail went out ``hours`` ago."""
    for participant in participants(session, campaign).values():
        participant.invited_at = utcnow() - timedelta(hours=hours)
        if participant.last_reminded_at is not None:
            participant.last_reminded_at = utcnow() - timedelta(hours=hours)
    session.flush()


def test_reminders_skip_finished_tests_and_wait_a_day_between_mails(
    session: Session, employer: Employer
) -> None:
    campaign = draft(session, employer)
    campaigns.launch(session, employer.hr, employer.org.id, campaign.id)
    assert campaigns.remind(session, employer.hr, employer.org.id, campaign.id) == 0  # just invited

    age(session, campaign, 25)
    make_attempt(session, employer.picker, campaign=campaign)
    make_attempt(session, employer.trucker, campaign=campaign, status=AttemptStatus.IN_PROGRESS)
    before = len(outbox(session))

    assert campaigns.remind(session, employer.hr, employer.org.id, campaign.id) == 2
    reminded = [mail.recipient for mail in outbox(session)[before:]]
    assert sorted(reminded) == sorted([employer.ops_clerk.email, employer.trucker.email])
    assert campaigns.remind(session, employer.hr, employer.org.id, campaign.id) == 0

    age(session, campaign, 25)
    assert campaigns.remind(session, employer.hr, employer.org.id, campaign.id) == 2
    rows = participants(session, campaign)
    assert rows[employer.ops_clerk.id].reminders_sent == 2
    assert rows[employer.picker.id].reminders_sent == 0
    assert rows[employer.ops_clerk.id].last_reminded_at is not None


def test_remind_due_covers_campaigns_ending_soon_only(session: Session, employer: Employer) -> None:
    soon = draft(session, employer, deadline=utcnow() + timedelta(days=2))
    later = draft(session, employer, deadline=utcnow() + timedelta(days=20))
    for campaign in (soon, later):
        campaigns.launch(session, employer.hr, employer.org.id, campaign.id)
        age(session, campaign, 30)

    sent = campaigns.remind_due(session, Actor.operator(), within=timedelta(days=3))

    assert [(campaign.id, count) for campaign, count in sent] == [(soon.id, 3)]


def test_new_members_are_invited_once_on_request(session: Session, employer: Employer) -> None:
    campaign = draft(session, employer)
    campaigns.launch(session, employer.hr, employer.org.id, campaign.id)
    newcomer = make_member(session, employer.org, department=employer.warehouse)

    assert campaigns.invite_new_members(session, employer.hr, employer.org.id, campaign.id) == 1
    assert campaigns.invite_new_members(session, employer.hr, employer.org.id, campaign.id) == 0
    assert newcomer.id in participants(session, campaign)
    assert [m.recipient for m in outbox(session)].count(newcomer.email) == 1


def test_close_due_closes_past_deadlines_and_expires_unfinished_tests(
    session: Session, employer: Employer
) -> None:
    past = make_campaign(
        session,
        employer.org,
        status=CampaignStatus.OPEN,
        deadline=utcnow() - timedelta(minutes=5),
    )
    running = make_campaign(session, employer.org, status=CampaignStatus.OPEN)
    unfinished = make_attempt(
        session, employer.picker, campaign=past, status=AttemptStatus.IN_PROGRESS
    )
    finished = make_attempt(session, employer.trucker, campaign=past)
    elsewhere = make_attempt(
        session, employer.picker, campaign=running, status=AttemptStatus.IN_PROGRESS
    )

    closed = campaigns.close_due(session, Actor.operator())

    assert [(campaign.id, expired) for campaign, expired in closed] == [(past.id, 1)]
    session.refresh(unfinished)
    session.refresh(finished)
    session.refresh(elsewhere)
    assert past.status is CampaignStatus.CLOSED
    assert past.closed_at is not None
    assert unfinished.status is AttemptStatus.EXPIRED
    assert finished.status is AttemptStatus.COMPLETED
    assert elsewhere.status is AttemptStatus.IN_PROGRESS
    assert running.status is CampaignStatus.OPEN


def test_closing_by_hand_and_then_nothing_more_is_sent(
    session: Session, employer: Employer
) -> None:
    campaign = draft(session, employer)
    campaigns.launch(session, employer.hr, employer.org.id, campaign.id)
    attempt = make_attempt(
        session, employer.picker, campaign=campaign, status=AttemptStatus.IN_PROGRESS
    )

    campaigns.close(session, employer.hr, employer.org.id, campaign.id)

    session.refresh(attempt)
    assert attempt.status is AttemptStatus.EXPIRED
    with pytest.raises(Conflict):
        campaigns.remind(session, employer.hr, employer.org.id, campaign.id)
    with pytest.raises(Conflict):
        campaigns.close(session, employer.hr, employer.org.id, campaign.id)


def test_another_organisations_hr_admin_finds_nothing(session: Session, employer: Employer) -> None:
    campaign = draft(session, employer)
    stranger = actor(session, make_member(session, make_org(session), Role.HR_ADMIN))

    for attempt_to in (
        lambda: campaigns.get_campaign(session, stranger, employer.org.id, campaign.id),
        lambda: campaigns.launch(session, stranger, employer.org.id, campaign.id),
        lambda: campaigns.list_campaigns(session, stranger, employer.org.id),
        lambda: campaigns.remind_due(
            session, stranger, within=timedelta(days=30), org_id=employer.org.id
        ),
    ):
        with pytest.raises(NotFound):
            attempt_to()
    assert campaign.status is CampaignStatus.DRAFT


def test_the_campaign_id_of_another_organisation_is_not_found(
    session: Session, employer: Employer
) -> None:
    other = make_org(session)
    theirs = make_campaign(session, other)
    with pytest.raises(NotFound):
        campaigns.launch(session, employer.hr, employer.org.id, theirs.id)


@pytest.mark.parametrize("role", [Role.LEARNER, Role.MANAGER])
def test_learners_and_managers_cannot_create_or_launch(
    session: Session, employer: Employer, role: Role
) -> None:
    campaign = draft(session, employer)
    member = actor(session, make_member(session, employer.org, role))
    data = CampaignCreate(
        title="Mine", bank_id=employer.bank.id, deadline=utcnow() + timedelta(days=3)
    )

    with pytest.raises(PermissionDenied):
        campaigns.create_campaign(session, member, employer.org.id, data)
    with pytest.raises(PermissionDenied):
        campaigns.launch(session, member, employer.org.id, campaign.id)
    with pytest.raises(PermissionDenied):
        campaigns.close_due(session, member)
    assert campaign.status is CampaignStatus.DRAFT


def test_a_participant_sees_their_own_invitations_only(
    session: Session, employer: Employer
) -> None:
    ours = draft(session, employer)
    campaigns.launch(session, employer.hr, employer.org.id, ours.id)
    other = make_org(session, name="Elsewhere Ltd")
    theirs = make_campaign(
        session, other, status=CampaignStatus.OPEN, departments=[make_department(session, other)]
    )
    picker = actor(session, employer.picker)

    invitations = campaigns.invitations_for(session, picker)

    assert [(i.campaign_id, i.org_name, i.finished) for i in invitations] == [
        (ours.id, "Northshore Freight", False)
    ]
    assert campaigns.participant_campaign(session, employer.picker.id, ours.id) is ours
    assert campaigns.participant_campaign(session, employer.picker.id, theirs.id) is None
    assert campaigns.participant_campaign(session, employer.seller.id, ours.id) is None

    make_attempt(session, employer.picker, campaign=ours)
    assert campaigns.invitations_for(session, picker)[0].finished

    campaigns.close(session, employer.hr, employer.org.id, ours.id)
    assert campaigns.invitations_for(session, picker) == []
    assert campaigns.participant_campaign(session, employer.picker.id, ours.id) is None


def test_a_campaign_past_its_deadline_cannot_be_started_before_it_is_closed(
    session: Session, employer: Employer
) -> None:
    campaign = draft(session, employer)
    campaigns.launch(session, employer.hr, employer.org.id, campaign.id)
    campaign.deadline = utcnow() - timedelta(seconds=1)

    assert campaigns.participant_campaign(session, employer.picker.id, campaign.id) is None
    assert campaigns.invitations_for(session, actor(session, employer.picker)) == []
