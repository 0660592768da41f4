"""The campaign pages over HTTP: an HR administrator prepares a draft, launches it, reminds,
reads progress and results, downloads them, and closes; nobody else gets in."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.assessment.enums import AttemptStatus, CampaignStatus
from cairn.assessment.models import Attempt, Campaign, CampaignParticipant
from cairn.kit.actor import Role
from cairn.kit.clock import utcnow
from cairn.kit.mail import OutboxMessage
from tests.factories.assessment import make_attempt, make_bank, make_campaign
from tests.factories.orgs import (
    make_department,
    make_member,
    make_org,
    make_person,
    make_position,
)
from tests.helpers import csrf_from, submit
from tests.web.conftest import SignIn
from tests.web.test_page_structure import outline_of, problems_with


def test_an_hr_admin_prepares_launches_and_follows_a_campaign(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session, name="Northshore Freight")
    operations = make_department(session, org, name="Operations")
    warehouse = make_department(session, org, name="Warehouse", parent=operations)
    driver = make_position(session, org, title="Driver")
    bank = make_bank(session, title="Everyday digital skills")
    picker = make_member(
        session, org, person=make_person(session, name="Pat Picker"), department=warehouse
    )
    trucker = make_member(
        session, org, person=make_person(session, name="Terry Trucker"), position=driver
    )
    make_member(session, org, department=make_department(session, org, name="Sales"))
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    base = f"/orgs/{org.id}/campaigns"

    overview = client.get(f"/orgs/{org.id}")
    assert f'href="{base}"' in overview.text  # the tab shows for HR
    form = client.get(f"{base}/new")
    assert form.status_code == 200
    assert '<label for="deadline">' in form.text
    assert 'id="department_ids"' in form.text

    deadline = (utcnow() + timedelta(days=10)).date().isoformat()
    created = submit(
        client,
        f"{base}/new",
        f"{base}/new",
        {
            "title": "Digital skills 2027",
            "message": "About twenty minutes.",
            "bank_id": str(bank.id),
            "mode": "adaptive",
            "deadline": deadline,
            "department_ids": [str(operations.id)],
            "position_ids": [str(driver.id)],
        },
    )
    assert created.status_code == 303
    page_path = created.headers["location"].split("?")[0]
    draft = client.get(page_path)
    assert "Digital skills 2027" in draft.text
    assert "Operations" in draft.text
    assert "Launch and send the invitations" in draft.text

    launched = client.post(f"{page_path}/launch", data={"csrf_token": csrf_from(draft.text)})
    assert launched.status_code == 303
    notice = client.get(launched.headers["location"])
    assert "2 people were invited" in notice.text
    mails = session.scalars(select(OutboxMessage.recipient)).all()
    assert sorted(mails) == sorted([picker.email, trucker.email])

    campaign = session.scalars(select(Campaign)).one()
    make_attempt(session, picker, campaign=campaign, level=4)
    session.commit()
    progress = client.get(page_path)
    assert "1 of 2 people have finished (50%)" in progress.text
    assert "Pat Picker" in progress.text
    assert "Not shared" in progress.text
    assert "fewer than 5 people" in progress.text

    reminded = client.post(f"{page_path}/remind", data={"csrf_token": csrf_from(progress.text)})
    assert "count=0" in reminded.headers["location"]  # everyone was mailed today already

    csv = client.get(f"{page_path}/progress.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("name,email,department,status")
    assert any(
        line.startswith("Pat Picker,") and ",completed," in line for line in csv.text.splitlines()
    )

    closed = client.post(f"{page_path}/close", data={"csrf_token": csrf_from(progress.text)})
    assert closed.status_code == 303
    session.expire_all()
    assert session.get(Campaign, campaign.id).status is CampaignStatus.CLOSED  # type: ignore[union-attr]
    assert "Digital skills 2027" in client.get(base).text


def test_bad_input_names_the_field_and_saves_nothing(session: Session, sign_in_as: SignIn) -> None:
    org = make_org(session)
    bank = make_bank(session)
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    path = f"/orgs/{org.id}/campaigns/new"

    response = submit(
        client,
        path,
        path,
        {"title": "", "bank_id": str(bank.id), "mode": "adaptive", "deadline": "2001-01-01"},
    )

    assert response.status_code == 422
    assert 'href="#title"' in response.text
    assert 'aria-invalid="true"' in response.text
    again = submit(
        client,
        path,
        path,
        {"title": "Late", "bank_id": str(bank.id), "mode": "adaptive", "deadline": "2001-01-01"},
    )
    assert again.status_code == 422
    assert 'href="#deadline"' in again.text
    assert "Choose a deadline in the future." in again.text
    assert session.scalars(select(Campaign)).all() == []


def test_launching_to_nobody_is_refused_on_the_page(session: Session, sign_in_as: SignIn) -> None:
    org = make_org(session)
    empty = make_department(session, org, name="Research")
    campaign = make_campaign(session, org, departments=[empty])
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    page_path = f"/orgs/{org.id}/campaigns/{campaign.id}"

    response = client.post(
        f"{page_path}/launch", data={"csrf_token": csrf_from(client.get(page_path).text)}
    )

    assert response.status_code == 422
    assert "Nobody is in the chosen departments or job roles" in response.text
    session.expire_all()
    assert session.get(Campaign, campaign.id).status is CampaignStatus.DRAFT  # type: ignore[union-attr]


def test_a_draft_is_edited_and_a_closed_campaign_is_not(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session)
    sales = make_department(session, org, name="Sales")
    campaign = make_campaign(session, org, title="First title")
    closed = make_campaign(session, org, status=CampaignStatus.CLOSED)
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    edit = f"/orgs/{org.id}/campaigns/{campaign.id}/edit"

    page = client.get(edit)
    assert 'value="First title"' in page.text
    response = submit(
        client,
        edit,
        edit,
        {
            "title": "Second title",
            "bank_id": str(campaign.bank_id),
            "mode": "fixed_form",
            "proctored": "yes",
            "deadline": (utcnow() + timedelta(days=3)).date().isoformat(),
            "department_ids": [str(sales.id)],
        },
    )
    assert response.status_code == 303
    session.expire_all()
    changed = session.get(Campaign, campaign.id)
    assert changed is not None
    assert (changed.title, changed.mode.value, changed.proctored) == (
        "Second title",
        "fixed_form",
        True,
    )

    refused = client.post(
        f"/orgs/{org.id}/campaigns/{closed.id}/edit",
        data={
            "csrf_token": csrf_from(page.text),
            "title": "Nope",
            "bank_id": str(closed.bank_id),
            "mode": "adaptive",
            "deadline": "2099-01-01",
        },
    )
    assert refused.status_code == 409
    assert "Only a draft campaign can be changed." in refused.text
    assert client.get(f"/orgs/{org.id}/campaigns/{closed.id}/edit").status_code == 409


def test_learners_managers_and_other_organisations_are_kept_out(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session)
    campaign = make_campaign(session, org, status=CampaignStatus.OPEN)
    base = f"/orgs/{org.id}/campaigns"

    for role in (Role.LEARNER, Role.MANAGER):
        client = sign_in_as(make_member(session, org, role))
        assert client.get(base).status_code == 403
        assert client.get(f"{base}/{campaign.id}").status_code == 403
        assert f'href="{base}"' not in client.get(f"/orgs/{org.id}").text
    client = sign_in_as(make_member(session, make_org(session), Role.HR_ADMIN))
    assert client.get(f"{base}/{campaign.id}").status_code == 404
    assert client.get(f"{base}/{campaign.id}/progress.csv").status_code == 404


def test_an_expired_test_is_shown_after_closing(session: Session, sign_in_as: SignIn) -> None:
    org = make_org(session)
    campaign = make_campaign(session, org, status=CampaignStatus.OPEN)
    person = make_member(session, org, person=make_person(session, name="Una Unfinished"))
    session.add(CampaignParticipant(campaign_id=campaign.id, person_id=person.id))
    attempt = make_attempt(session, person, campaign=campaign, status=AttemptStatus.IN_PROGRESS)
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    page_path = f"/orgs/{org.id}/campaigns/{campaign.id}"
    assert "Started" in client.get(page_path).text

    client.post(f"{page_path}/close", data={"csrf_token": csrf_from(client.get(page_path).text)})

    session.expire_all()
    assert session.get(Attempt, attempt.id).status is AttemptStatus.EXPIRED  # type: ignore[union-attr]
    assert "Expired" in client.get(page_path).text


def test_campaign_pages_have_the_structure_assistive_technology_needs(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session)
    unit = make_department(session, org, name="Dispatch")
    make_department(session, org, name="Night shift", parent=unit)
    make_position(session, org, title="Dispatcher")
    draft = make_campaign(session, org, departments=[unit])
    running = make_campaign(session, org, status=CampaignStatus.OPEN, departments=[unit])
    for level in (1, 2, 3, 4, 5):
        person = make_member(session, org, department=unit)
        session.add(CampaignParticipant(campaign_id=running.id, person_id=person.id))
        make_attempt(session, person, campaign=running, level=level)
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    base = f"/orgs/{org.id}/campaigns"

    found = []
    for path in (
        base,
        f"{base}/new",
        f"{base}/{draft.id}",
        f"{base}/{draft.id}/edit",
        f"{base}/{running.id}",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        found.extend(problems_with(path, response.text))
    failed = submit(client, f"{base}/new", f"{base}/new", {"title": "", "deadline": "soon"})
    found.extend(problems_with("new with errors", failed.text))

    assert found == []
    assert outline_of(failed.text).summary_links == ["title", "bank_id", "deadline"]
    assert "Enter a date such as 2027-03-31." in failed.text
