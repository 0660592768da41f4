"""``cairn bulk-issue``: issue a micro-credential to many learners from a CSV file (or only
check the file), and read the issuer's issue log."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cairn.cli.common import console, errors, fail, reports_errors, transaction
from cairn.cli.progress import RichProgress
from cairn.credentials import bulk_service
from cairn.credentials.bulk_csv import CsvFile
from cairn.credentials.bulk_service import STATUS_LABELS, BulkIssue
from cairn.credentials.issued_models import BatchStatus, ProofFormat
from cairn.kit.actor import Actor
from cairn.kit.i18n import format_datetime, gettext
from cairn.orgs import service as orgs_service

app = typer.Typer(
    help="Issue credentials to many learners from a CSV file, and the issue log.",
    no_args_is_help=True,
)


@app.command("run")
@reports_errors
def run(
    file: Annotated[
        Path,
        typer.Argument(
            help="One row a learner: email,awarded_on[,grade][,evidence_url][,evidence_name]"
            "[,valid_until] (docs/bulk-issue-csv.md).",
            exists=True,
            dir_okay=False,
        ),
    ],
    org: Annotated[str, typer.Option(help="The issuer's short name.")],
    specification: Annotated[
        str, typer.Option(help="The specification's short name; its published version.")
    ],
    proof: Annotated[
        ProofFormat, typer.Option(help="How the credentials are signed.")
    ] = ProofFormat.EDDSA_RDFC_2022,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and issue nothing.")
    ] = False,
) -> None:
    """Check every row, then issue a credential per learner.

    One bad row refuses the file, with every problem listed; either way the run is kept in
    the issue log."""
    operator = Actor.operator()
    with transaction() as session, RichProgress() as progress:
        issuer = orgs_service.get_organisation_by_slug(session, operator, org)
        batch = bulk_service.issue_from_csv(
            session,
            operator,
            issuer.id,
            CsvFile(file.name, file.read_bytes()),
            BulkIssue(specification, proof, dry_run=dry_run),
            progress=progress,
        )
    # The transaction has committed: a refused or checked file is in the log too.
    if batch.status is BatchStatus.REFUSED:
        for line in (batch.problems or "").splitlines():
            errors.print(escape(line), highlight=False, soft_wrap=True)
        raise fail(
            gettext("The file has problems; nothing was issued (batch %(id)s).", id=str(batch.id))
        )
    if batch.status is BatchStatus.CHECKED:
        console.print(
            gettext(
                "All %(rows)s rows are good; nothing was issued (dry run, batch %(id)s).",
                rows=f"{batch.rows:,}",
                id=str(batch.id),
            )
        )
        return
    console.print(
        gettext(
            "Issued %(count)s credentials (batch %(id)s).",
            count=f"{batch.issued:,}",
            id=str(batch.id),
        )
    )


@app.command("log")
@reports_errors
def log(org: Annotated[str, typer.Option(help="The issuer's short name.")]) -> None:
    """The issuer's bulk runs, newest first, one line each.

    Each line: batch, start, outcome, credentials issued of rows, file, micro-credential."""
    operator = Actor.operator()
    with transaction() as session:
        issuer = orgs_service.get_organisation_by_slug(session, operator, org)
        lines = bulk_service.issue_log(session, operator, issuer.id)
    if not lines:
        console.print(gettext("No bulk issue yet."))
        return
    for line in lines:
        batch = line.batch
        # One line a run however narrow the terminal, so scripts can read the log too.
        console.print(
            escape(
                "  ".join(
                    (
                        str(batch.id),
                        format_datetime(batch.started_at),
                        str(STATUS_LABELS[batch.status]),
                        f"{batch.issued:,}/{batch.rows:,}",
                        batch.filename,
                        f"{line.version.title} (v{line.version.number})",
                    )
                )
            ),
            highlight=False,
            soft_wrap=True,
        )


@app.command("show")
@reports_errors
def show(
    batch_id: Annotated[uuid.UUID, typer.Argument(help="The batch, as the log lists it.")],
) -> None:
    """One run: what it did, and every problem of a refused file."""
    with transaction() as session:
        line = bulk_service.get_batch(session, Actor.operator(), batch_id)
    batch = line.batch
    table = Table(show_header=False)
    table.add_column()
    table.add_column(overflow="fold")
    for label, value in (
        (gettext("File"), escape(batch.filename)),
        (gettext("Micro-credential"), f"{line.version.title} (v{line.version.number})"),
        (gettext("Outcome"), str(STATUS_LABELS[batch.status])),
        (gettext("Rows"), f"{batch.rows:,}"),
        (gettext("Issued"), f"{batch.issued:,}"),
        (gettext("Started"), format_datetime(batch.started_at)),
        (gettext("Started by"), line.started_by or "—"),
    ):
        table.add_row(label, value)
    console.print(table)
    for problem in (batch.problems or "").splitlines():
        console.print(escape(problem), highlight=False, soft_wrap=True)
