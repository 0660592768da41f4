"""``cairn roles``: the skill profile of an employer's job role."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from cairn.cli.common import console, reports_errors, transaction
from cairn.kit.actor import Actor
from cairn.kit.i18n import gettext
from cairn.orgs import service as orgs_service
from cairn.orgs import skill_profiles
from cairn.orgs.schemas import FromOccupation

app = typer.Typer(help="Job roles and the skills they need.", no_args_is_help=True)


@app.command()
@reports_errors
def profile(
    role: Annotated[str, typer.Argument(help="The job role's title.")],
    org: Annotated[str, typer.Option(help="The employer's short name.")],
    from_occupation: Annotated[
        str | None,
        typer.Option(help="URI of an ESCO or O*NET occupation whose essential skills to add."),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Drop the current skills first.")
    ] = False,
) -> None:
    """Show a job role's skill profile, after adding an occupation's skills if asked."""
    operator = Actor.operator()
    with transaction() as session:
        organisation = orgs_service.get_organisation_by_slug(session, operator, org)
        target = skill_profiles.role_by_title(session, operator, organisation.id, role)
        if from_occupation:
            added = skill_profiles.start_from_occupation(
                session,
                operator,
                target,
                FromOccupation(occupation_uri=from_occupation, replace=replace),
            )
            console.print(gettext("Added %(count)s essential skills.", count=added))
        view = skill_profiles.view(session, operator, target)
        title = gettext("Skill profile of %(role)s", role=role)
        if view.occupation:
            title += f" ({view.occupation.preferred_label})"
        table = Table(title=title)
        for column in (gettext("Skill"), gettext("Framework"), gettext("Level"), gettext("Weight")):
            table.add_column(column, overflow="fold")
        for line in view.lines:
            level = str(line.item.target_level)
            if line.target_label:
                level += f" {line.target_label}"
            table.add_row(
                line.skill.preferred_label,
                f"{line.framework.slug} {line.framework.version}",
                level,
                str(line.item.weight),
            )
        console.print(table)
