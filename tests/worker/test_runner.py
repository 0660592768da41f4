"""The worker: a claimed job runs once, in one transaction that commits with its result or
rolls back entirely while the job is marked failed with a message its asker can read;
progress reaches the job's row while the work runs, a few times a second at most."""

from __future__ import annotations

import logging
import sqlite3
import threading

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from cairn.app import create_app
from cairn.config import Settings
from cairn.kit import jobs
from cairn.kit.db import make_session_factory, unit_of_work
from cairn.kit.i18n import gettext, use_locale
from cairn.kit.jobs_models import Job, JobStatus
from cairn.orgs.models import Organisation, Person
from cairn.worker.runner import REQUESTER_GONE, JobProgress
from tests.factories.jobs import TEST_JOB, queue_job, run_jobs
from tests.factories.orgs import actor, make_member, make_org, make_person


def orgs_named(session: Session, name: str) -> int:
    return session.scalar(select(func.count()).where(Organisation.name == name)) or 0


def reloaded(session: Session, job: Job) -> Job:
    session.expire_all()
    found = session.get(Job, job.id)
    assert found is not None
    return found


def test_a_job_runs_as_its_asker_and_records_its_progress_and_result(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    person = make_person(session)
    job = jobs.enqueue(
        session,
        actor(session, person),
        TEST_JOB,
        org_id=None,
        payload={"name": "Counted", "count": 3},
        file=b"title,text\n",
        filename="jobs.csv",
    )
    session.commit()

    outcomes = run_jobs(session_factory)

    assert [(o.job_id, o.status) for o in outcomes][-1] == (job.id, JobStatus.SUCCEEDED)
    done = reloaded(session, job)
    assert done.status is JobStatus.SUCCEEDED
    assert (done.progress_description, done.progress_done, done.progress_total) == (
        "Counting",
        3,
        3,
    )
    org = session.scalars(select(Organisation).where(Organisation.name == "Counted")).one()
    assert done.result == {
        "href": f"/orgs/{org.id}",
        "org_id": str(org.id),
        "asker": str(person.id),
    }
    assert done.started_at is not None
    assert done.finished_at is not None
    assert done.started_at <= done.finished_at
    assert (done.error, done.payload_file, done.payload_filename) == (None, None, "jobs.csv")


def test_progress_is_written_apart_from_the_work_and_at_most_every_interval(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    job = queue_job(session, make_person(session), name="Slow")
    session.commit()
    with unit_of_work(session_factory) as worker:
        assert jobs.claim_next(worker) == job.id
    now = [100.0]
    progress = JobProgress(
        session_factory, job.id, in_rows=True, interval=0.25, clock=lambda: now[0]
    )

    def in_row() -> tuple[str | None, int, int | None]:
        row = reloaded(session, job)
        return row.progress_description, row.progress_done, row.progress_total

    try:
        progress.start("Reading", 10)
        assert in_row() == ("Reading", 0, 10)
        now[0] += 0.1
        progress.advance(4)
        assert in_row() == ("Reading", 0, 10)  # too soon after the last write
        assert jobs.progress_of(reloaded(session, job)) == jobs.ProgressReport("Reading", 4, 10)
        now[0] += 0.2
        progress.advance()
        assert in_row() == ("Reading", 5, 10)
        now[0] += 1
        progress.start("Saving", None)
        assert in_row() == ("Saving", 0, None)
    finally:
        jobs.share_progress(job.id, None)
    assert jobs.progress_of(reloaded(session, job)) == jobs.ProgressReport("Saving", 0, None)


def test_where_the_work_is_the_only_writer_progress_is_shared_in_memory(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    job = queue_job(session, make_person(session), name="Quiet")
    session.commit()
    with unit_of_work(session_factory) as worker:
        jobs.claim_next(worker)
    assert jobs.progress_in_rows(session) is (session.get_bind().dialect.name != "sqlite")
    progress = JobProgress(session_factory, job.id, in_rows=False)

    try:
        progress.start("Linking", 3)
        progress.advance(2)
        running = reloaded(session, job)
        assert (running.progress_description, running.progress_done) == (None, 0)
        assert jobs.progress_of(running) == jobs.ProgressReport("Linking", 2, 3)
    finally:
        jobs.share_progress(job.id, None)
    assert jobs.progress_of(reloaded(session, job)) == jobs.ProgressReport()


def test_a_refused_job_keeps_nothing_and_says_why(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    job = queue_job(session, make_person(session), name="Refused", count=2, fail="domain")
    session.commit()

    [outcome] = run_jobs(session_factory)

    failed = reloaded(session, job)
    assert outcome.status is failed.status is JobStatus.FAILED
    assert failed.error == outcome.error == "The file has problems; nothing was imported."
    assert failed.error_details == ["jobs.csv:2: date: not a date"]
    assert failed.result is None
    assert failed.finished_at is not None
    assert orgs_named(session, "Refused") == 0


def test_an_unexpected_error_is_logged_and_reported_in_the_askers_language(
    session: Session, session_factory: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    with use_locale("fr"):
        job = queue_job(session, make_person(session), name="Broken", fail="bug")
    session.commit()

    with caplog.at_level(logging.ERROR, logger="cairn.worker.runner"):
        run_jobs(session_factory)

    failed = reloaded(session, job)
    assert failed.status is JobStatus.FAILED
    assert failed.error is not None
    assert "a bug" not in failed.error
    with use_locale("fr"):
        assert failed.error == gettext("Something went wrong on our side; nothing was saved.")
    assert failed.error != "Something went wrong on our side; nothing was saved."
    assert "a bug in the job" in caplog.text
    assert orgs_named(session, "Broken") == 0


def test_a_job_is_claimed_and_run_once(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    job = queue_job(session, make_person(session), name="Once")
    session.commit()

    with unit_of_work(session_factory) as first, unit_of_work(session_factory) as second:
        assert jobs.claim_next(first) == job.id
        first.commit()
        assert jobs.claim_next(second) is None
    assert reloaded(session, job).status is JobStatus.RUNNING

    other = queue_job(session, make_person(session), name="Twice?")
    session.commit()
    assert [o.job_id for o in run_jobs(session_factory)] == [other.id]
    assert run_jobs(session_factory) == []
    assert orgs_named(session, "Twice?") == 1


def test_two_workers_at_once_never_claim_the_same_job(engine: Engine) -> None:
    """On separate connections, committed for real: PostgreSQL's second claim skips the
    locked row, SQLite's waits for the first to commit and then finds nothing queued."""
    factory = make_session_factory(engine)
    with unit_of_work(factory) as setup:
        person = make_person(setup)
        job = queue_job(setup, person, name="Contested")
    claims: list[object] = []
    try:
        with unit_of_work(factory) as first:
            assert jobs.claim_next(first) == job.id
            second = threading.Thread(
                target=lambda: claims.append(_claim_in_its_own_transaction(factory))
            )
            second.start()
            second.join(1)
            if engine.dialect.name == "postgresql":  # skipped the locked row, did not wait
                assert not second.is_alive()
                assert claims == [None]
        second.join(10)
        assert claims == [None]
    finally:
        with unit_of_work(factory) as cleanup:
            cleanup.execute(delete(Job).where(Job.id == job.id))
            cleanup.execute(delete(Person).where(Person.id == person.id))


def _claim_in_its_own_transaction(factory: sessionmaker[Session]) -> object:
    with unit_of_work(factory) as session:
        return jobs.claim_next(session)


def test_a_job_whose_asker_left_fails(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    person = make_member(session, make_org(session))
    job = queue_job(session, person, name="Orphan")
    person.is_active = False
    session.commit()

    [outcome] = run_jobs(session_factory)

    assert outcome.status is JobStatus.FAILED
    assert reloaded(session, job).error == str(REQUESTER_GONE)
    assert orgs_named(session, "Orphan") == 0


def test_on_sqlite_a_jobs_work_holds_the_write_lock_from_its_start(engine: Engine) -> None:
    """Else a write committed by anyone while the work reads would stop it from writing."""
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL lets transactions write side by side")
    factory = make_session_factory(engine)
    with unit_of_work(factory) as setup:
        person = make_person(setup)
        job = queue_job(setup, person, name="Locked")
        assert jobs.claim_next(setup) == job.id
    other = sqlite3.connect(str(engine.url.database), timeout=0)
    try:
        with unit_of_work(factory) as work:
            assert jobs.start_work(work, job.id).id == job.id
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("UPDATE jobs SET progress_done = 1")
    finally:
        other.close()
        with unit_of_work(factory) as cleanup:
            cleanup.execute(delete(Job).where(Job.id == job.id))
            cleanup.execute(delete(Person).where(Person.id == person.id))


@pytest.mark.parametrize("in_process", [True, False])
def test_the_web_app_runs_its_own_worker_unless_told_not_to(
    engine: Engine, settings: Settings, in_process: bool
) -> None:
    app = create_app(
        settings.model_copy(update={"run_jobs_in_process": in_process}),
        make_session_factory(engine),
    )

    # The test client runs the app's lifespan on its own event loop in a portal thread,
    # so this holds whatever loop another test (a browser test) left in this thread.
    with TestClient(app):
        running = {thread.name for thread in threading.enumerate()}
    assert ("cairn-jobs" in running) is in_process
    assert "cairn-jobs" not in {thread.name for thread in threading.enumerate()}
