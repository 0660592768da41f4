"""Background jobs for tests: a kind of job whose payload says what it does (count, make
an organisation, fail), jobs of it queued, and the worker run on the test's connection."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from cairn.kit import jobs
from cairn.kit.actor import Role, Scope
from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext
from cairn.kit.jobs import JobInput
from cairn.kit.jobs_models import Job
from cairn.kit.progress import Progress
from cairn.orgs.models import Person
from cairn.worker.runner import Outcome, run_queued
from tests.factories.orgs import actor, make_org

TEST_JOB = jobs.declare(
    "tests.make_org",
    title=lazy_gettext("Test job"),
    scope=Scope.ORGS_WRITE,
    result_label=lazy_gettext("See the organisation"),
    viewer_roles=frozenset({Role.HR_ADMIN}),
)


def _make_org(session: Session, job: JobInput, progress: Progress) -> dict[str, Any]:
    """Counts to ``count``, makes an organisation called ``name`` as its asker, then fails
    if ``fail`` says how: ``domain`` (a refusal with a bad line) or ``bug``."""
    count = int(job.payload.get("count", 0))
    progress.start("Counting", count)
    for _ in range(count):
        progress.advance()
    org = make_org(session, name=job.payload["name"])
    if job.payload.get("fail") == "domain":
        message = lazy_gettext("The file has problems; nothing was imported.")
        raise InvalidInput(message, [FieldError("file", "jobs.csv:2: date: not a date")])
    if job.payload.get("fail") == "bug":
        raise RuntimeError("a bug in the job")
    return {"href": f"/orgs/{org.id}", "org_id": str(org.id), "asker": str(job.actor.person_id)}


jobs.register(TEST_JOB, _make_org)


def queue_job(
    session: Session, person: Person, *, org_id: uuid.UUID | None = None, **payload: Any
) -> Job:
    """A test job asked for by ``person`` from a web session."""
    return jobs.enqueue(session, actor(session, person), TEST_JOB, org_id=org_id, payload=payload)


def run_jobs(session_factory: sessionmaker[Session]) -> list[Outcome]:
    """What ``cairn worker --once`` does, with every progress report written."""
    return run_queued(session_factory, interval=0)
