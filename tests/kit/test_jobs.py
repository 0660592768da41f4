"""Queueing background jobs: a job exists only if the asker's transaction commits, keeps
who asked (and their token's scopes and language), and is seen by its asker and by those
the kind names in its organisation, by nobody else."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from cairn.kit import jobs
from cairn.kit.actor import Role, Scope
from cairn.kit.db import unit_of_work
from cairn.kit.errors import InsufficientScope, NotFound
from cairn.kit.i18n import use_locale
from cairn.kit.jobs_models import Job, JobStatus
from cairn.orgs.enums import OrgKind
from tests.factories.jobs import TEST_JOB, queue_job
from tests.factories.orgs import actor, make_member, make_org


def jobs_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Job)) or 0


def test_a_job_is_queued_only_if_the_askers_transaction_commits(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    person = make_member(session, make_org(session), Role.HR_ADMIN)
    session.commit()

    def failing_request() -> None:
        with unit_of_work(session_factory) as request:
            queue_job(request, person, name="Never made")
            assert jobs_count(request) == 1
            raise RuntimeError("the request failed after queueing its job")

    with pytest.raises(RuntimeError):
        failing_request()
    assert jobs_count(session) == 0

    with unit_of_work(session_factory) as request, use_locale("fr"):
        queued = queue_job(request, person, name="Made")
    job = session.get(Job, queued.id)
    assert job is not None
    assert (job.kind, job.status, job.requested_by_id) == (
        TEST_JOB.name,
        JobStatus.QUEUED,
        person.id,
    )
    assert (job.locale, job.scopes, job.payload) == ("fr", None, {"name": "Made"})
    assert job.started_at is None


def test_a_tokens_scopes_are_kept_and_the_kinds_scope_is_needed(session: Session) -> None:
    person = make_member(session, make_org(session), Role.HR_ADMIN)
    web = actor(session, person)
    token = replace(web, scopes=frozenset({Scope.ORGS_WRITE, Scope.ORGS_READ}))

    job = jobs.enqueue(session, token, TEST_JOB, org_id=None, payload={"name": "x"})
    assert job.scopes == ["orgs:read", "orgs:write"]
    with pytest.raises(InsufficientScope):
        jobs.enqueue(
            session,
            replace(web, scopes=frozenset({Scope.ORGS_READ})),
            TEST_JOB,
            org_id=None,
            payload={"name": "x"},
        )


def test_its_asker_and_the_kinds_roles_in_its_organisation_see_a_job(session: Session) -> None:
    org = make_org(session)
    asker = make_member(session, org, Role.MANAGER)
    job = queue_job(session, asker, org_id=org.id, name="Theirs")
    hr_admin = make_member(session, org, Role.HR_ADMIN)
    platform_admin = make_member(session, make_org(session), Role.PLATFORM_ADMIN)
    learner = make_member(session, org, Role.LEARNER)
    outsider = make_member(session, make_org(session), Role.HR_ADMIN)
    program_admin = make_member(
        session, make_org(session, kind=OrgKind.PROGRAM_AUTHORITY), Role.PROGRAM_ADMIN
    )

    for person in (asker, hr_admin, platform_admin):
        assert jobs.get_job(session, actor(session, person), job.id) == job
    for person in (learner, outsider, program_admin):
        with pytest.raises(NotFound):
            jobs.get_job(session, actor(session, person), job.id)
    reader = replace(actor(session, asker), scopes=frozenset({Scope.ORGS_READ}))
    with pytest.raises(InsufficientScope):
        jobs.get_job(session, reader, job.id)

    assert list(jobs.recent_jobs(session, actor(session, asker))) == [job]
    assert list(jobs.recent_jobs(session, actor(session, hr_admin))) == []
