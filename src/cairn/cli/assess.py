"""``cairn assess``: item banks, adaptive tests and simulation studies of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from cairn.assessment import bank_export, bank_import
from cairn.assessment.bank_document import ItemDefaults
from cairn.assessment.bank_export import Format
from cairn.assessment.enums import IrtModel
from cairn.cli.common import console, errors, reports_errors, transaction
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
            help="An item bank: .json, a .csv of simple items, or a QTI 3.0 package "
            "(.zip or folder); see docs/item-bank-format.md.",
            exists=True,
        ),
    ],
    org: Annotated[str | None, typer.Option(help="Owning organisation; public if absent.")] = None,
    slug: Annotated[
        str | None, typer.Option(help="The bank's short name; a CSV file needs it.")
    ] = None,
    version: Annotated[str | None, typer.Option(help="The bank's version, e.g. 1.0.")] = None,
    title: Annotated[str | None, typer.Option(help="The bank's name people see.")] = None,
    framework: Annotated[
        str | None, typer.Option(help="The framework whose skills the items measure.")
    ] = None,
    framework_version: Annotated[
        str | None, typer.Option(help="Its version; the current one if absent.")
    ] = None,
    language: Annotated[str | None, typer.Option(help="The items' language, e.g. en.")] = None,
    licence: Annotated[str | None, typer.Option(help="e.g. CC-BY-4.0.")] = None,
    competence: Annotated[
        str | None,
        typer.Option(help="QTI items that do not say which competence they measure: this one."),
    ] = None,
    level: Annotated[
        int | None,
        typer.Option(min=1, help="QTI items that do not say their level: this one."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and count everything, then write nothing.")
    ] = False,
) -> None:
    """Import an item bank; a changed item becomes a new version, every problem is listed.
    The bank options give or replace the bank's fields in the file."""
    given = {
        "slug": slug,
        "version": version,
        "title": title,
        "framework": framework,
        "framework_version": framework_version,
        "language": language,
        "licence": licence,
    }
    bank = {name: value for name, value in given.items() if value is not None}
    defaults = ItemDefaults(competence=competence, level=level)

    def job(session: Session, progress: Progress) -> ImportSummary:
        owner = (
            orgs_service.get_organisation_by_slug(session, Actor.operator(), org).id
            if org
            else None
        )
        return bank_import.import_bank(
            session, file, owner_org_id=owner, progress=progress, bank=bank, defaults=defaults
        )

    run_import(job, dry_run=dry_run, org=org)


@app.command("export-bank")
@reports_errors
def export_bank(
    slug: Annotated[str, typer.Argument(help="The bank's short name, e.g. cairn-digital-items.")],
    output: Annotated[Path, typer.Option(help="The file to write.", dir_okay=False)],
    output_format: Annotated[
        Format, typer.Option("--format", help="json, qti (a zip) or csv.")
    ] = Format.JSON,
    version: Annotated[
        str | None, typer.Option(help="Which version; the newest imported if absent.")
    ] = None,
) -> None:
    """Write a bank's current items with their metadata: Cairn's JSON (re-importable), a
    QTI 3.0 package, or the CSV layout of simple items."""
    with transaction() as session:
        exported = bank_export.export_bank(session, Actor.operator(), slug, version, output_format)
    output.write_bytes(exported.data)
    if exported.left_out:
        errors.print(
            gettext(
                "Left out %(count)s items the CSV layout cannot hold (write them as JSON or "
                "QTI): %(ids)s",
                count=len(exported.left_out),
                ids=", ".join(exported.left_out),
            ),
            highlight=False,
            soft_wrap=True,
        )
    console.print(gettext("Wrote %(path)s.", path=str(output)))


@app.command("calibrate")
@reports_errors
def calibrate(
    slug: Annotated[str, typer.Argument(help="The item bank's slug.")],
    version: Annotated[str | None, typer.Option(help="Its version; the newest if absent.")] = None,
    model: Annotated[IrtModel, typer.Option(help="2pl or 3pl.")] = IrtModel.TWO_PL,
    apply: Annotated[
        bool, typer.Option("--apply", help="Write the estimates to the items (else only show).")
    ] = False,
    skip_short: Annotated[
        bool,
        typer.Option("--skip-short", help="Leave out items still short of answers; do the rest."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the estimates as JSON.")] = False,
) -> None:
    """Estimate the bank's items from the answers of finished tests (mirt's EM)."""
    from cairn.assessment.calibration import calibrate_bank  # mirt loads only when needed

    with transaction() as session:
        bank = bank_export.bank_by_slug(session, Actor.operator(), slug, version)
        result = calibrate_bank(
            session, Actor.operator(), bank.id, model, apply=apply, skip_short=skip_short
        )
        fit = result.calibration
        title = f"{bank.title} {bank.version}"
        rows = [
            {
                "key": item.key,
                "discrimination": round(float(fit.parameters.discrimination[i]), 4),
                "difficulty": round(float(fit.parameters.difficulty[i]), 4),
                "guessing": round(float(fit.parameters.guessing[i]), 4),
                "se_discrimination": round(float(fit.standard_errors.discrimination[i]), 4),
                "se_difficulty": round(float(fit.standard_errors.thresholds[i, 0]), 4),
            }
            for i, item in enumerate(result.items)
        ]
    if as_json:
        figures = {
            "bank": title,
            "model": model.value,
            "respondents": fit.respondents,
            "converged": fit.converged,
            "applied": apply,
            "items": rows,
            "skipped": result.skipped,
        }
        print(json.dumps(figures))
        return
    table = Table(title=f"{title} · {model.value.upper()}")
    table.add_column(gettext("Item"))
    for heading in ("a", "b", "c", gettext("SE of a"), gettext("SE of b")):
        table.add_column(heading, justify="right")
    for row in rows:
        table.add_row(
            str(row["key"]),
            *(
                f"{row[key]:.2f}"
                for key in (
                    "discrimination",
                    "difficulty",
                    "guessing",
                    "se_discrimination",
                    "se_difficulty",
                )
            ),
        )
    console.print(table)
    console.print(
        gettext(
            "%(items)s items from %(respondents)s finished tests; %(skipped)s left out for "
            "want of answers.",
            items=len(rows),
            respondents=fit.respondents,
            skipped=len(result.skipped),
        )
    )
    console.print(
        gettext("The estimates are saved on the items.")
        if apply
        else gettext("Nothing was changed: add --apply to save the estimates.")
    )
