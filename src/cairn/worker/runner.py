"""Claiming and running queued jobs, one at a time, each in one transaction.

A job's work commits with the job marked succeeded, or rolls back entirely and the job is
marked failed in a transaction of its own, with the reason as its asker reads it. Progress
goes to the job's row in short transactions of its own, so a status page sees it while the
work's transaction is still open; on SQLite, whose one writer at a time is then the work,
status pages served by the same process read it from memory (decision 0039).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from cairn.kit import jobs
from cairn.kit.actor import Actor, Scope
from cairn.kit.db import unit_of_work
from cairn.kit.errors import DomainError, PermissionDenied
from cairn.kit.i18n import gettext, lazy_gettext, use_locale
from cairn.kit.jobs import JobInput, ProgressReport
from cairn.kit.jobs_models import Job, JobStatus
from cairn.orgs import people
from cairn.worker import handlers  # noqa: F401 - registers the function of every kind of job

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.25
"""Seconds between two writes of a job's progress: enough for a bar, few writes."""
POLL_INTERVAL = 2.0
"""Seconds a waiting worker sleeps when no job is queued."""
STOP_TIMEOUT = 10.0
"""Seconds the web app waits, when it stops, for its worker thread's job to end."""


class JobProgress:
    """The ``Progress`` of a running job: shared at once with this process's status pages,
    and written to the job's row at most every ``interval`` seconds where the database
    lets another transaction write while the work's is open (not SQLite)."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        job_id: uuid.UUID,
        *,
        in_rows: bool,
        interval: float = PROGRESS_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._factory = factory
        self._job_id = job_id
        self._in_rows = in_rows
        self._interval = interval
        self._clock = clock
        self._written_at: float | None = None
        self.report = ProgressReport()

    def start(self, description: str, total: int | None) -> None:
        self.report = ProgressReport(description, 0, total)
        self._share()

    def advance(self, units: int = 1) -> None:
        report = self.report
        self.report = ProgressReport(report.description, report.done + units, report.total)
        self._share()

    def _share(self) -> None:
        jobs.share_progress(self._job_id, self.report)
        now = self._clock()
        if not self._in_rows or (
            self._written_at is not None and now - self._written_at < self._interval
        ):
            return
        with unit_of_work(self._factory) as session:
            jobs.record_progress(session, self._job_id, self.report)
        self._written_at = now


@dataclass(frozen=True)
class Outcome:
    """How a job ended, for whoever runs the worker."""

    job_id: uuid.UUID
    title: str
    status: JobStatus
    error: str | None = None


NOT_AVAILABLE = lazy_gettext("This kind of job cannot be run here: this Cairn does not know it.")
REQUESTER_GONE = lazy_gettext("The person who asked for this job can no longer act.")


def _requester(session: Session, job: Job) -> Actor:
    """The asker with the roles they hold now, limited to their token's scopes."""
    person = people.get_person(session, job.requested_by_id)
    if person is None or not person.is_active:
        raise PermissionDenied(REQUESTER_GONE)
    scopes = None if job.scopes is None else frozenset(Scope(scope) for scope in job.scopes)
    return people.actor_for(session, person, scopes=scopes)


def _work(session: Session, job: Job, progress: JobProgress) -> dict[str, Any]:
    handler = jobs.handler_of(job)
    if handler is None:
        raise DomainError(NOT_AVAILABLE)
    return handler(
        session,
        JobInput(_requester(session, job), job.payload, job.payload_file, job.payload_filename),
        progress,
    )


def run_job(
    factory: sessionmaker[Session], job_id: uuid.UUID, *, interval: float = PROGRESS_INTERVAL
) -> Outcome:
    """Run a job this worker has claimed, and record how it ended."""
    with unit_of_work(factory) as session:
        job = jobs.running_job(session, job_id)
        title, locale = jobs.title_of(job), job.locale
        in_rows = jobs.progress_in_rows(session)
    progress = JobProgress(factory, job_id, in_rows=in_rows, interval=interval)
    try:
        with use_locale(locale):  # messages written into the row are in the asker's language
            return _run(factory, job_id, title, progress)
    finally:
        jobs.share_progress(job_id, None)


def _run(
    factory: sessionmaker[Session], job_id: uuid.UUID, title: str, progress: JobProgress
) -> Outcome:
    try:
        with unit_of_work(factory) as session:
            job = jobs.start_work(session, job_id)
            result = _work(session, job, progress)
            jobs.succeed(session, job, result, progress.report)
        return Outcome(job_id, title, JobStatus.SUCCEEDED)
    except DomainError as error:
        message = str(error.message)
        details = [str(item.message) for item in error.field_errors]
        _record_failure(factory, job_id, message, details, progress.report)
    except Exception:
        logger.exception("Job %s (%s) failed", job_id, title)
        message = gettext("Something went wrong on our side; nothing was saved.")
        _record_failure(factory, job_id, message, [], progress.report)
    except BaseException:  # stopped by Ctrl+C: say so rather than leave it running
        stopped = gettext("The job was stopped; nothing was saved.")
        _record_failure(factory, job_id, stopped, [], progress.report)
        raise
    return Outcome(job_id, title, JobStatus.FAILED, message)


def _record_failure(
    factory: sessionmaker[Session],
    job_id: uuid.UUID,
    message: str,
    details: list[str],
    report: ProgressReport,
) -> None:
    with unit_of_work(factory) as session:
        jobs.fail(session, job_id, message, [line for line in details if line != message], report)


def run_next(
    factory: sessionmaker[Session], *, interval: float = PROGRESS_INTERVAL
) -> Outcome | None:
    """Claim the oldest queued job and run it; None when none is queued."""
    with unit_of_work(factory) as session:
        job_id = jobs.claim_next(session)
    return None if job_id is None else run_job(factory, job_id, interval=interval)


def run_queued(
    factory: sessionmaker[Session], *, interval: float = PROGRESS_INTERVAL
) -> list[Outcome]:
    """Run jobs until none is queued (``cairn worker --once``, tests)."""
    outcomes: list[Outcome] = []
    while (outcome := run_next(factory, interval=interval)) is not None:
        outcomes.append(outcome)
    return outcomes


def work(
    factory: sessionmaker[Session],
    stop: threading.Event,
    *,
    poll: float = POLL_INTERVAL,
    report: Callable[[Outcome], None] = lambda outcome: None,
) -> None:
    """Run jobs as they are queued until ``stop`` is set. A database that cannot be reached
    is logged and tried again after ``poll`` seconds, so a restart of it stops no worker."""
    while not stop.is_set():
        try:
            outcome = run_next(factory)
        except Exception:
            logger.exception("The job worker could not claim or record a job")
            outcome = None
        if outcome is None:
            stop.wait(poll)
        else:
            report(outcome)


class WorkerThread(threading.Thread):
    """The web app's own worker, so one ``cairn serve`` (or ``cairn demo``) runs jobs too."""

    def __init__(self, factory: sessionmaker[Session], *, poll: float = POLL_INTERVAL) -> None:
        super().__init__(name="cairn-jobs", daemon=True)
        self._factory = factory
        self._poll = poll
        self._stopping = threading.Event()

    def run(self) -> None:
        work(self._factory, self._stopping, poll=self._poll)

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        self._stopping.set()
        self.join(timeout)
