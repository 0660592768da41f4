"""A background job's page: it follows the job while it runs (a progress bar, a live
region, a script polling its JSON, a Refresh link without it), then shows the error or a
link to what was made; only its asker and the kind's roles in its organisation see it."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from cairn.kit.actor import Role
from tests.factories.jobs import queue_job, run_jobs
from tests.factories.orgs import make_member, make_org
from tests.web.conftest import SignIn
from tests.web.test_page_structure import problems_with


def test_the_page_follows_a_job_and_then_links_to_what_it_made(
    session: Session, session_factory: sessionmaker[Session], sign_in_as: SignIn
) -> None:
    org = make_org(session)
    asker = make_member(session, org, Role.MANAGER)
    job = queue_job(session, asker, org_id=org.id, name="Made by a job", count=2)
    client = sign_in_as(asker)
    path = f"/jobs/{job.id}"

    waiting = client.get(path)
    assert waiting.status_code == 200
    assert problems_with(path, waiting.text) == []
    assert "<h1>Test job</h1>" in waiting.text
    assert "Waiting to start" in waiting.text
    assert 'aria-live="polite"' in waiting.text
    assert '<progress id="job-progress"' in waiting.text
    assert f'data-job-status="{path}/status"' in waiting.text
    assert f'<a href="{path}">Refresh</a>' in waiting.text
    assert '<script src="/static/jobs.js" defer></script>' in waiting.text
    polled = client.get(f"{path}/status")
    assert polled.headers["cache-control"] == "no-store"
    assert (polled.json()["status"], polled.json()["title"]) == ("queued", "Test job")

    run_jobs(session_factory)

    done = client.get(path)
    assert problems_with(path, done.text) == []
    assert "Done" in done.text
    result = client.get(f"{path}/status").json()
    assert result["status"] == "succeeded"
    assert result["progress"] == {"description": "Counting", "done": 2, "total": 2}
    assert f'<a href="{result["result"]["href"]}">See the organisation</a>' in done.text
    assert "<progress" not in done.text
    assert "data-job-status" not in done.text
    assert "Refresh" not in done.text

    listing = client.get("/jobs")
    assert listing.status_code == 200
    assert problems_with("/jobs", listing.text) == []
    assert f'<a href="{path}">Test job</a>' in listing.text


def test_a_failed_job_shows_why_and_each_problem(
    session: Session, session_factory: sessionmaker[Session], sign_in_as: SignIn
) -> None:
    asker = make_member(session, make_org(session), Role.MANAGER)
    job = queue_job(session, asker, name="Never made", fail="domain")
    client = sign_in_as(asker)
    run_jobs(session_factory)

    page = client.get(f"/jobs/{job.id}")

    assert problems_with(f"/jobs/{job.id}", page.text) == []
    assert "Failed" in page.text
    assert 'class="error-summary" role="alert"' in page.text
    assert "The file has problems; nothing was imported." in page.text
    assert "<li>jobs.csv:2: date: not a date</li>" in page.text


def test_only_its_asker_and_the_kinds_roles_in_its_organisation_see_a_job(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session)
    job = queue_job(session, make_member(session, org, Role.MANAGER), org_id=org.id, name="Mine")
    path = f"/jobs/{job.id}"

    hr_admin = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    assert hr_admin.get(path).status_code == 200
    assert hr_admin.get(f"{path}/status").status_code == 200
    assert "You have asked for no background job yet." in hr_admin.get("/jobs").text

    for person in (
        make_member(session, org, Role.LEARNER),
        make_member(session, make_org(session), Role.HR_ADMIN),
    ):
        client = sign_in_as(person)
        assert client.get(path).status_code == 404
        assert client.get(f"{path}/status").status_code == 404
        assert path not in client.get("/jobs").text
