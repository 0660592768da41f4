"""``cairn campaigns`` run for real on a SQLite file: the list, and the cron jobs that
remind people before a deadline and close campaigns after it."""

from __future__ import annotations

import subprocess
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.assessment.enums import AttemptStatus, CampaignStatus
from cairn.assessment.models import Attempt, Campaign, CampaignParticipant
from cairn.kit.clock import utcnow
from cairn.kit.mail import OutboxMessage
from cairn.orgs.models import Organisation
from tests.cli import database, error_lines, run_cairn
from tests.factories.assessment import make_attempt, make_campaign
from tests.factories.orgs import make_department, make_member

ORG = "harbour-works"


@dataclass(frozen=True)
class Install:
    data_dir: Path
    due_soon: uuid.UUID
    due_later: uuid.UUID
    past: uuid.UUID
    unfinished: uuid.UUID


def succeed(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_cairn(data_dir, *args)
    assert result.returncode == 0, f"cairn {' '.join(args)} failed:\n{result.stderr}"
    return result


@pytest.fixture
def install(tmp_path: Path) -> Install:
    """One employer with three open campaigns: ending in two days, in three weeks, and
    yesterday (with a test left unfinished)."""
    succeed(tmp_path, "db", "upgrade")
    succeed(
        tmp_path,
        *("orgs", "create", "--name", "Harbour Works", "--kind", "employer"),
        *("--size-band", "small"),
    )
    with database(tmp_path) as engine, Session(engine) as session:
        org = session.scalars(select(Organisation).where(Organisation.slug == ORG)).one()
        docks = make_department(session, org, name="Docks")
        people = [make_member(session, org, department=docks) for _ in range(3)]
        found: dict[str, uuid.UUID] = {}
        for name, days in (("due_soon", 2), ("due_later", 21), ("past", -1)):
            campaign = make_campaign(
                session,
                org,
                title=name.replace("_", " ").title(),
                status=CampaignStatus.OPEN,
                deadline=utcnow() + timedelta(days=days),
                departments=[docks],
            )
            for person in people:
                session.add(
                    CampaignParticipant(
                        campaign_id=campaign.id,
                        person_id=person.id,
                        invited_at=utcnow() - timedelta(days=2),
                    )
                )
            found[name] = campaign.id
        session.flush()
        soon = session.get(Campaign, found["due_soon"])
        assert soon is not None
        make_attempt(session, people[0], campaign=soon)
        past = session.get(Campaign, found["past"])
        assert past is not None
        unfinished = make_attempt(
            session, people[1], campaign=past, status=AttemptStatus.IN_PROGRESS
        )
        session.commit()
        return Install(
            tmp_path, found["due_soon"], found["due_later"], found["past"], unfinished.id
        )


def outbox_count(data_dir: Path) -> int:
    with database(data_dir) as engine, Session(engine) as session:
        return len(session.scalars(select(OutboxMessage)).all())


def test_list_shows_each_campaign_with_its_status(install: Install) -> None:
    result = succeed(install.data_dir, "campaigns", "list", ORG)

    assert "Due Soon" in result.stdout
    assert "Past" in result.stdout
    assert "Open" in result.stdout


def test_remind_all_due_mails_unfinished_people_of_campaigns_ending_soon(
    install: Install,
) -> None:
    first = succeed(install.data_dir, "campaigns", "remind", "--all-due", "--within-days", "3")

    assert "Due Soon" in first.stdout
    assert "Due Later" not in first.stdout
    assert outbox_count(install.data_dir) == 2  # three invited, one finished
    succeed(install.data_dir, "campaigns", "remind", "--all-due", "--org", ORG)
    assert outbox_count(install.data_dir) == 2  # not twice in a day


def test_remind_one_campaign_by_id(install: Install) -> None:
    result = succeed(install.data_dir, "campaigns", "remind", str(install.due_later))

    assert "Due Later" in result.stdout
    assert outbox_count(install.data_dir) == 3


def test_close_due_closes_the_past_campaign_and_expires_its_unfinished_test(
    install: Install,
) -> None:
    result = succeed(install.data_dir, "campaigns", "close-due")

    assert "Past" in result.stdout
    with database(install.data_dir) as engine, Session(engine) as session:
        statuses = {campaign.id: campaign.status for campaign in session.scalars(select(Campaign))}
        attempt = session.get(Attempt, install.unfinished)
        assert attempt is not None
        assert attempt.status is AttemptStatus.EXPIRED
    assert statuses[install.past] is CampaignStatus.CLOSED
    assert statuses[install.due_soon] is CampaignStatus.OPEN


def test_remind_needs_a_campaign_or_all_due_and_changes_nothing(install: Install) -> None:
    result = run_cairn(install.data_dir, "campaigns", "remind")
    assert result.returncode == 1
    assert error_lines(result.stderr) == ["error: Name one campaign, or give --all-due."]

    unknown = run_cairn(install.data_dir, "campaigns", "remind", str(uuid.uuid4()))
    assert unknown.returncode == 1
    assert error_lines(unknown.stderr) == ["error: Campaign not found."]

    other_org = run_cairn(install.data_dir, "campaigns", "list", "nowhere")
    assert other_org.returncode == 1
    assert outbox_count(install.data_dir) == 0
