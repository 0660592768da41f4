"""``cairn assess``: item banks, adaptive tests and simulation studies of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from cairn.assessment import bank_import
from cairn.assessment.enums import IrtModel
from cairn.cli.common import console, reports_errors
from cairn.cli.taxonomy import run_import
from cairn.kit.actor import Actor
from cairn.kit.i18n import gettext
from cairn.kit.progress import Progress
from cairn.orgs import service as orgs_service
from cairn.taxonomy.importers.writer import ImportSummary

app = typer.Typer(
    help="Assessments: item banks, adaptive tests, simulations.", no_args_is_help=True
)


@app.command("simulate")
@reports_errors
def simulate(
    items: Annotated[int, typer.Option(min=1, help="Items in the generated bank.")] = 500,
    examinees: Annotated[int, typer.Option(min=2, help="Simulees, θ ~ N(0, 1).")] = 1000,
    model: Annotated[IrtModel, typer.Option(help="2pl, 3pl or grm.")] = IrtModel.TWO_PL,
    seed: Annotated[int, typer.Option(help="Fixes the bank, the simulees and every draw.")] = 0,
    fixed_form: Annotated[
        bool,
        typer.Option(
            "--fixed-form",
            help="Give everyone the bank's most informative form instead of an adaptive test.",
        ),
    ] = False,
    length: Annotated[int, typer.Option(min=1, help="Items in the fixed form.")] = 30,
    se_target: Annotated[
        float, typer.Option(min=0.05, max=0.95, help="Stop once the standard error is this.")
    ] = 0.3,
    max_length: Annotated[int, typer.Option(min=1, help="Longest adaptive test.")] = 30,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """A simulation study: mean test length, and RMSE and bias of the ability estimates."""
    # mirt and scipy take a third of a second to import: only this command pays for them.
    from cairn.assessment.cat import CatSettings
    from cairn.assessment.simulation import simulate as run_study

    settings = CatSettings(
        se_target=se_target,
        max_length=max_length,
        min_length=min(CatSettings.min_length, max_length),
    )
    result = run_study(
        items=items,
        examinees=examinees,
        model=model,
        seed=seed,
        fixed_form=fixed_form,
        form_length=min(length, items),
        settings=settings,
    )
    if as_json:
        figures = {
            "mean_length": result.mean_length,
            "rmse": result.rmse,
            "bias": result.bias,
            "examinees": result.examinees,
        }
        print(json.dumps(figures))
        return
    table = Table(
        title=gettext("Fixed form") if fixed_form else gettext("Adaptive test"),
        show_header=False,
    )
    table.add_column()
    table.add_column(justify="right")
    for label, value in (
        (gettext("Simulees"), str(result.examinees)),
        (gettext("Mean test length"), f"{result.mean_length:.2f}"),
        (gettext("Ability RMSE"), f"{result.rmse:.3f}"),
        (gettext("Bias"), f"{result.bias:+.3f}"),
        (gettext("Correlation with true ability"), f"{result.correlation:.3f}"),
        (gettext("Highest item exposure"), f"{result.max_exposure:.0%}"),
        (gettext("Seconds"), f"{result.seconds:.2f}"),
    ):
        table.add_row(label, value)
    console.print(table)


@app.command("import-bank")
@reports_errors
def import_bank(
    file: Annotated[
        Path,
        typer.Argument(
            help="An item bank (docs/item-bank-format.md).", exists=True, dir_okay=False
        ),
    ],
    org: Annotated[str | None, typer.Option(help="Owning organisation; public if absent.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and count everything, then write nothing.")
    ] = False,
) -> None:
    """Import an item bank; a changed item becomes a new version, every problem is listed."""

    def job(session: Session, progress: Progress) -> ImportSummary:
        owner = (
            orgs_service.get_organisation_by_slug(session, Actor.operator(), org).id
            if org
            else None
        )
        return bank_import.import_bank(session, file, owner_org_id=owner, progress=progress)

    run_import(job, dry_run=dry_run, org=org)
