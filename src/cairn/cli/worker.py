"""``cairn worker``: run the background jobs the pages and the API queue."""

from __future__ import annotations

import threading
from typing import Annotated

import typer
from rich.markup import escape

from cairn.cli.common import console, errors, reports_errors
from cairn.config import get_settings
from cairn.kit.db import make_engine, make_session_factory
from cairn.kit.i18n import gettext, ngettext
from cairn.kit.jobs_models import JobStatus
from cairn.worker.runner import POLL_INTERVAL, Outcome, run_queued, work


def _report(outcome: Outcome) -> None:
    if outcome.status is JobStatus.SUCCEEDED:
        console.print(gettext("%(title)s %(id)s: done.", title=outcome.title, id=outcome.job_id))
        return
    errors.print(
        escape(
            gettext(
                "%(title)s %(id)s failed: %(reason)s",
                title=outcome.title,
                id=outcome.job_id,
                reason=outcome.error,
            )
        ),
        highlight=False,
        soft_wrap=True,
    )


@reports_errors
def worker(
    once: Annotated[
        bool, typer.Option("--once", help="Run the jobs queued now, then stop.")
    ] = False,
    poll: Annotated[
        float, typer.Option(min=0.1, help="Seconds to wait between looks for new jobs.")
    ] = POLL_INTERVAL,
) -> None:
    """Run queued jobs (imports of job postings) until stopped. Set
    CAIRN_RUN_JOBS_IN_PROCESS=false on the web servers when workers run them."""
    engine = make_engine(get_settings().database_url)
    factory = make_session_factory(engine)
    try:
        if once:
            outcomes = run_queued(factory)
            for outcome in outcomes:
                _report(outcome)
            console.print(ngettext("%(num)s job run.", "%(num)s jobs run.", len(outcomes)))
            return
        console.print(gettext("Waiting for jobs (Ctrl+C stops)."))
        try:
            work(factory, threading.Event(), poll=poll, report=_report)
        except KeyboardInterrupt:
            console.print(gettext("Stopped."))
    finally:
        engine.dispose()
