"""A campaign's progress and results as its HR team sees them: everyone's status, a level
only for people who share their profile, and no group small enough to single anyone out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from cairn.assessment.campaigns import ParticipantStatus
from cairn.assessment.enums import AttemptStatus, CampaignStatus
from cairn.assessment.models import Campaign, CampaignParticipant
from cairn.kit.actor import Actor, Role, Scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import NotFound, PermissionDenied
from cairn.orgs.models import Organisation, Person
from cairn.profiles import service as profiles_service
from cairn.profiles.campaign_results import report, to_csv
from tests.factories.assessment import make_attempt, make_campaign
from tests.factories.orgs import actor, make_department, make_member, make_org


def staff(
    session: Session, org: Organisation, campaign: Campaign, department: str, levels: list[int]
) -> list[Person]:
    """A department whose people were invited and finished with ``levels``."""
    unit = make_department(session, org, name=department)
    people = []
    for level in levels:
        person = make_member(session, org, department=unit)
        session.add(CampaignParticipant(campaign_id=campaign.id, person_id=person.id))
        make_attempt(session, person, campaign=campaign, level=level)
        people.append(person)
    session.flush()
    return people


def invite(session: Session, campaign: Campaign, person: Person) -> None:
    session.add(CampaignParticipant(campaign_id=campaign.id, person_id=person.id))
    session.flush()


@pytest.fixture
def org(session: Session) -> Organisation:
    return make_org(session, name="Northshore Freight")


@pytest.fixture
def hr(session: Session, org: Organisation) -> Actor:
    return actor(session, make_member(session, org, Role.HR_ADMIN))


def test_status_completion_and_suppressed_small_departments(
    session: Session, org: Organisation, hr: Actor
) -> None:
    campaign = make_campaign(session, org, status=CampaignStatus.OPEN)
    staff(session, org, campaign, "Dispatch", [2, 3, 3, 4, 5, 1])
    staff(session, org, campaign, "Billing", [1, 2])
    waiting = make_member(session, org)
    invite(session, campaign, waiting)
    busy = make_member(session, org)
    invite(session, campaign, busy)
    make_attempt(session, busy, campaign=campaign, status=AttemptStatus.IN_PROGRESS)

    found = report(session, hr, org.id, campaign.id)

    statuses = {row.person_id: row.status for row in found.rows}
    assert statuses[waiting.id] is ParticipantStatus.INVITED
    assert statuses[busy.id] is ParticipantStatus.STARTED
    assert (found.overall.participants, found.overall.completed) == (10, 8)
    assert found.overall.rate == pytest.approx(0.8)
    by_group = {c.group: (c.participants, c.completed) for c in found.by_department}
    assert by_group == {"Billing": (2, 2), "Dispatch": (6, 6), "No department": (2, 0)}
    results = {r.group: r for r in found.results}
    assert results["Dispatch"].distribution == {1: 1, 2: 1, 3: 2, 4: 1, 5: 1}
    assert results["Dispatch"].mean == pytest.approx(3.0)
    assert results["Billing"].suppressed
    assert results["Billing"].mean is None
    # Billing alone would be Everyone minus Dispatch: the totals are hidden too.
    assert found.pooled is not None
    assert found.pooled.suppressed
    assert found.overall_results.suppressed
    assert all(row.level is None for row in found.rows)  # nobody shared their profile


def test_small_groups_pooled_together_when_large_enough(
    session: Session, org: Organisation, hr: Actor
) -> None:
    campaign = make_campaign(session, org, status=CampaignStatus.OPEN)
    staff(session, org, campaign, "Dispatch", [2, 3, 3, 4, 5])
    staff(session, org, campaign, "Billing", [1, 2, 2])
    staff(session, org, campaign, "Fleet", [4, 4])

    found = report(session, hr, org.id, campaign.id)

    assert found.pooled is not None
    assert found.pooled.distribution == {1: 1, 2: 2, 4: 2}
    assert found.overall_results.mean == pytest.approx(3.0)
    assert found.overall_results.people == 10


def test_a_level_shows_only_for_people_who_share_their_profile(
    session: Session, org: Organisation, hr: Actor
) -> None:
    campaign = make_campaign(session, org, status=CampaignStatus.OPEN)
    sharer, private = staff(session, org, campaign, "Dispatch", [4, 2])
    profiles_service.set_sharing(session, actor(session, sharer), with_employers=True)

    found = report(session, hr, org.id, campaign.id)

    levels = {row.person_id: row.level for row in found.rows}
    assert levels == {sharer.id: 4, private.id: None}
    lines = to_csv(found).splitlines()
    assert lines[0] == "name,email,department,status,finished_at,reminders_sent,level"
    assert any(line.startswith(sharer.display_name) and line.endswith(",0,4") for line in lines)
    assert any(line.startswith(private.display_name) and line.endswith(",0,") for line in lines)

    token_without_profiles = Actor(
        person_id=hr.person_id,
        email=hr.email,
        memberships=hr.memberships,
        scopes=frozenset({Scope.ASSESSMENT_READ}),
    )
    narrow = report(session, token_without_profiles, org.id, campaign.id)
    assert all(row.level is None for row in narrow.rows)


def test_people_who_did_not_finish_by_the_deadline_have_expired(
    session: Session, org: Organisation, hr: Actor
) -> None:
    campaign = make_campaign(
        session, org, status=CampaignStatus.CLOSED, deadline=utcnow() - timedelta(days=1)
    )
    late = make_member(session, org)
    invite(session, campaign, late)

    found = report(session, hr, org.id, campaign.id)

    assert [row.status for row in found.rows] == [ParticipantStatus.EXPIRED]
    assert found.overall.expired == 1


def test_a_name_cannot_become_a_spreadsheet_formula(
    session: Session, org: Organisation, hr: Actor
) -> None:
    campaign = make_campaign(session, org, status=CampaignStatus.OPEN)
    (person,) = staff(session, org, campaign, "Dispatch", [3])
    person.display_name = '=HYPERLINK("http://evil.example")'
    session.flush()

    assert "'=HYPERLINK" in to_csv(report(session, hr, org.id, campaign.id))


def test_only_the_organisations_hr_team_reads_the_results(
    session: Session, org: Organisation
) -> None:
    campaign = make_campaign(session, org, status=CampaignStatus.OPEN)
    manager = actor(session, make_member(session, org, Role.MANAGER))
    stranger = actor(session, make_member(session, make_org(session), Role.HR_ADMIN))

    with pytest.raises(PermissionDenied):
        report(session, manager, org.id, campaign.id)
    with pytest.raises(NotFound):
        report(session, stranger, org.id, campaign.id)
