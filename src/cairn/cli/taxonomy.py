"""``cairn taxonomy``: import frameworks as their publishers release them, search, export."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from cairn.cli.common import console, errors, fail, reports_errors, transaction
from cairn.cli.progress import RichProgress
from cairn.intelligence import service as intelligence_service
from cairn.kit.actor import Actor
from cairn.kit.i18n import gettext
from cairn.kit.progress import Progress
from cairn.orgs import service as orgs_service
from cairn.taxonomy import browse, export, service
from cairn.taxonomy.enums import SkillType, label
from cairn.taxonomy.importers import builtin, crosswalk, esco, framework_csv, onet
from cairn.taxonomy.importers.source import ImportFailed
from cairn.taxonomy.importers.writer import ImportSummary

app = typer.Typer(help="Skills frameworks: import, search, export.", no_args_is_help=True)
imports = typer.Typer(help="Import a framework or a crosswalk.", no_args_is_help=True)
app.add_typer(imports, name="import")

DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Check and count everything, then write nothing.")
]
Job = Callable[[Session, Progress], ImportSummary]


def run_import(job: Job, *, dry_run: bool, org: str | None = None) -> None:
    """One transaction: every problem reported as file:line: column: reason, or the counts."""
    try:
        with transaction() as session, RichProgress() as progress:
            owner = (
                orgs_service.get_organisation_by_slug(session, Actor.operator(), org).id
                if org
                else None
            )
            summary = service.run_import(
                session, Actor.operator(), lambda: job(session, progress), owner_org_id=owner
            )
            if dry_run:
                session.rollback()
                summary.dry_run = True
            else:
                intelligence_service.refresh_embeddings(session, progress)
    except ImportFailed as failure:
        for problem in failure.problems:
            errors.print(escape(str(problem)), highlight=False, soft_wrap=True)
        raise fail(str(failure.message)) from None
    print_summary(summary)


def print_summary(summary: ImportSummary) -> None:
    table = Table(title=summary.framework)
    for column in (
        gettext("What"),
        gettext("Created"),
        gettext("Updated"),
        gettext("Unchanged"),
        gettext("Removed"),
    ):
        table.add_column(column, justify="left" if column == gettext("What") else "right")
    for what, tally in summary.tallies.items():
        table.add_row(
            what, str(tally.created), str(tally.updated), str(tally.unchanged), str(tally.removed)
        )
    console.print(table)
    for reason, count in sorted(summary.skipped.items()):
        console.print(gettext("Skipped %(count)s: %(reason)s", count=count, reason=reason))
    if summary.dry_run:
        console.print(gettext("Dry run: nothing was written."), style="bold")


@imports.command("esco")
@reports_errors
def import_esco(
    paths: Annotated[
        list[Path], typer.Argument(help="ESCO CSV folders or zips, any mix.", exists=True)
    ],
    version: Annotated[
        str | None, typer.Option(help="e.g. v1.2.0; read from the path if absent.")
    ] = None,
    dry_run: DryRun = False,
) -> None:
    """The official ESCO CSV download (classification, English)."""
    run_import(
        lambda session, progress: esco.import_esco(
            session, paths, version=version, progress=progress
        ),
        dry_run=dry_run,
    )


@imports.command("onet")
@reports_errors
def import_onet(
    path: Annotated[
        Path, typer.Argument(help="The O*NET text database: folder or zip.", exists=True)
    ],
    version: Annotated[
        str | None, typer.Option(help="e.g. 29.2; read from the path if absent.")
    ] = None,
    dry_run: DryRun = False,
) -> None:
    """The O*NET database in its tab-separated text form."""
    run_import(
        lambda session, progress: onet.import_onet(
            session, [path], version=version, progress=progress
        ),
        dry_run=dry_run,
    )


@imports.command("csv")
@reports_errors
def import_csv(
    file: Annotated[
        Path,
        typer.Argument(
            help="A framework CSV (see docs/taxonomy-csv.md).", exists=True, dir_okay=False
        ),
    ],
    slug: Annotated[str, typer.Option(help="Short name of the framework, e.g. acme-care.")],
    title: Annotated[str, typer.Option(help="Its full name.")],
    version: Annotated[str, typer.Option(help="Its version, e.g. 2026.1.")] = "1",
    publisher: Annotated[str | None, typer.Option(help="Who publishes it.")] = None,
    org: Annotated[
        str | None, typer.Option(help="Owning organisation's short name; public if absent.")
    ] = None,
    dry_run: DryRun = False,
) -> None:
    """An organisation's or a sector's own framework, in Cairn's documented CSV."""

    def job(session: Session, progress: Progress) -> ImportSummary:
        owner = (
            orgs_service.get_organisation_by_slug(session, Actor.operator(), org).id
            if org
            else None
        )
        return framework_csv.import_framework_csv(
            session,
            file,
            slug=slug,
            title=title,
            version=version,
            publisher=publisher,
            owner_org_id=owner,
            progress=progress,
        )

    run_import(job, dry_run=dry_run, org=org)


@imports.command("crosswalk")
@reports_errors
def import_crosswalk(
    file: Annotated[Path, typer.Argument(help="A crosswalk CSV.", exists=True, dir_okay=False)],
    slug: Annotated[
        str | None, typer.Option(help="Its short name; from the file name if absent.")
    ] = None,
    source_system: Annotated[
        str | None, typer.Option(help="e.g. 'NOC 2021'; known layouts name it.")
    ] = None,
    target_system: Annotated[str | None, typer.Option(help="e.g. 'O*NET-SOC'.")] = None,
    dry_run: DryRun = False,
) -> None:
    """A table of equivalent codes, such as NOC 2021 to O*NET-SOC."""
    run_import(
        lambda session, progress: crosswalk.import_crosswalk(
            session,
            file,
            slug=slug,
            source_system=source_system,
            target_system=target_system,
            progress=progress,
        ),
        dry_run=dry_run,
    )


@imports.command("builtin")
@reports_errors
def import_builtin(dry_run: DryRun = False) -> None:
    """Cairn's own digital-competence framework (5 areas, 21 competences, 8 levels)."""
    run_import(
        lambda session, progress: builtin.load_digital_framework(session, progress=progress),
        dry_run=dry_run,
    )


@app.command("frameworks")
@reports_errors
def frameworks() -> None:
    """Every framework imported, with its version and size."""
    with transaction() as session:
        table = Table(title=gettext("Frameworks"))
        for column in (gettext("Name"), gettext("Version"), gettext("Title"), gettext("Skills")):
            table.add_column(column)
        # One grouped count for all frameworks, as the frameworks page does, rather than
        # each framework's full view (hierarchy roots, collections, nine counts).
        for summary in browse.framework_summaries(session, Actor.operator()):
            framework = summary.framework
            table.add_row(
                framework.slug, framework.version, framework.title, str(summary.sizes["skills"])
            )
        console.print(table)


@app.command("search")
@reports_errors
def search(
    query: Annotated[str, typer.Argument(help="Words to look for, typos allowed.")],
    framework: Annotated[str | None, typer.Option(help="Only this framework (e.g. esco).")] = None,
    skill_type: Annotated[SkillType | None, typer.Option("--type", help="Only this type.")] = None,
    collection: Annotated[
        str | None, typer.Option(help="Only this collection (e.g. digital).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=service.MAX_LIMIT)] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search skills by label, alternative label and description."""
    with transaction() as session:
        skills = service.search_skills(
            session,
            Actor.operator(),
            service.SkillQuery(
                text=query,
                framework=framework,
                skill_type=skill_type,
                collection=collection,
                limit=limit,
            ),
        )
        frameworks = {f.id: f for f in service.list_frameworks(session, Actor.operator())}
        if as_json:
            print(
                json.dumps(
                    [
                        {
                            "uri": skill.uri,
                            "label": skill.preferred_label,
                            "type": skill.skill_type,
                            "framework": frameworks[skill.framework_id].slug,
                            "version": frameworks[skill.framework_id].version,
                            "id": str(skill.id),
                        }
                        for skill in skills
                    ],
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        table = Table(title=gettext("Skills matching “%(query)s”", query=query))
        for column in (gettext("Skill"), gettext("Type"), gettext("Framework"), gettext("URI")):
            table.add_column(column, overflow="fold")
        for skill in skills:
            table.add_row(
                skill.preferred_label,
                label(skill.skill_type) if skill.skill_type else "",
                frameworks[skill.framework_id].slug,
                skill.uri,
            )
        console.print(table)


@app.command("export")
@reports_errors
def export_framework(
    framework: Annotated[str, typer.Argument(help="Short name, e.g. esco or cairn-digital@1.0.")],
    output_format: Annotated[
        export.Format, typer.Option("--format", help="csv or jsonld.")
    ] = export.Format.CSV,
    output: Annotated[
        Path | None, typer.Option(help="Write here instead of standard output.")
    ] = None,
) -> None:
    """Write a framework in Cairn's CSV (re-importable) or as CASE-style JSON-LD."""
    with transaction() as session:
        found = service.framework_by_slug(session, Actor.operator(), framework)
        text = export.export_framework(session, found, output_format)
    if output is None:
        print(text, end="")
    else:
        output.write_text(text, encoding="utf-8")
        console.print(gettext("Wrote %(path)s.", path=str(output)))
