"""``cairn demand``: import job postings, and show the skills most in demand."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cairn.catalogue import demand_export, demand_service
from cairn.catalogue.demand_import import PostingsFile, PostingsRefused
from cairn.catalogue.demand_schemas import Period
from cairn.cli.common import console, errors, fail, reports_errors, transaction
from cairn.cli.progress import RichProgress
from cairn.kit.actor import Actor
from cairn.kit.i18n import gettext, ngettext
from cairn.orgs import service as orgs_service

app = typer.Typer(
    help="Skills in demand: job postings, needs, role profiles.", no_args_is_help=True
)


@app.command("import")
@reports_errors
def import_postings(
    file: Annotated[
        Path,
        typer.Argument(
            help="Postings as CSV (title,text,region,date[,id][,skills]) or JSON lines.",
            exists=True,
            dir_okay=False,
        ),
    ],
    source: Annotated[str, typer.Option(help="Where they come from, e.g. 'Job Bank, 2026 Q3'.")],
    framework: Annotated[
        str | None, typer.Option(help="The framework to link to (esco, or slug@version).")
    ] = None,
    org: Annotated[
        str | None, typer.Option(help="The program authority importing; the platform if absent.")
    ] = None,
) -> None:
    """Import a batch of job postings; one bad row refuses the file, every problem listed."""
    operator = Actor.operator()
    try:
        with transaction() as session, RichProgress() as progress:
            org_id = (
                orgs_service.get_organisation_by_slug(session, operator, org).id if org else None
            )
            imported = demand_service.import_postings(
                session,
                operator,
                source=source,
                postings=PostingsFile(file.name, file.read_bytes()),
                framework=framework,
                org_id=org_id,
                progress=progress,
            )
    except PostingsRefused as refused:
        for problem in refused.problems:
            errors.print(escape(str(problem)), highlight=False, soft_wrap=True)
        if refused.more:
            errors.print(
                ngettext("and %(num)s more problem", "and %(num)s more problems", refused.more)
            )
        raise fail(str(refused.message)) from None
    batch = imported.batch
    table = Table(title=batch.source, show_header=False)
    table.add_column()
    table.add_column(justify="right")
    for label, value in (
        (gettext("Postings"), batch.postings),
        (gettext("Skills found in them"), batch.mentions),
        (gettext("Distinct skills"), imported.skills),
        (gettext("Postings without a skill found"), imported.unlinked),
    ):
        table.add_row(label, f"{value:,}")
    console.print(table)
    console.print(gettext("Batch %(id)s, linked by %(linker)s.", id=batch.id, linker=batch.linker))


@app.command("show")
@reports_errors
def show(
    region: Annotated[str | None, typer.Option(help="Only this region.")] = None,
    period: Annotated[Period, typer.Option(help="month, quarter or year.")] = Period.QUARTER,
    since: Annotated[
        str | None, typer.Option(help="Only postings from this day (YYYY-MM-DD).")
    ] = None,
    framework: Annotated[str | None, typer.Option(help="Only this framework's skills.")] = None,
    top: Annotated[
        int, typer.Option(min=1, max=demand_service.MAX_LIMIT, help="How many skills.")
    ] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """The skills most named by postings, with employers' needs and role profiles."""
    try:
        start = date.fromisoformat(since) if since else None
    except ValueError:
        raise fail(gettext("--since: write the date as YYYY-MM-DD.")) from None
    with transaction() as session:
        report = demand_service.skills_in_demand(
            session,
            Actor.operator(),
            region=region,
            period=period,
            since=start,
            framework=framework,
            limit=top,
        )
    read = demand_export.to_read(report)
    if as_json:
        print(read.model_dump_json(indent=2))
        return
    table = Table(
        title=gettext("Skills in demand"),
        caption=ngettext(
            "%(num)s posting; needs: open or agreed (people needed)",
            "%(num)s postings; needs: open or agreed (people needed)",
            read.postings_total,
        ),
    )
    table.add_column(gettext("Skill"), overflow="fold")
    for label in read.periods:
        table.add_column(label, justify="right")
    for label in (gettext("Postings"), gettext("Needs"), gettext("Role profiles")):
        table.add_column(label, justify="right")
    for row in read.skills:
        table.add_row(
            row.skill_label,
            *(str(row.by_period.get(label, 0)) for label in read.periods),
            str(row.postings),
            f"{row.needs} ({row.needed_headcount})",
            str(row.role_profiles),
        )
    console.print(table)
