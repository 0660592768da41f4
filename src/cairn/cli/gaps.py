"""``cairn gaps``: an organisation's skill gaps by department and skill."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from cairn.cli.common import console, fail, reports_errors, transaction
from cairn.kit.actor import Actor
from cairn.kit.i18n import gettext
from cairn.orgs import repository as orgs_repository
from cairn.orgs import service as orgs_service
from cairn.profiles import export
from cairn.profiles.heatmap import DEFAULT_MIN_CELL, Heatmap, department_heatmap


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


@reports_errors
def gaps(
    org: Annotated[str, typer.Argument(help="The organisation's short name.")],
    department: Annotated[
        str | None, typer.Option(help="Only this department (by name) and those under it.")
    ] = None,
    output_format: Annotated[
        Format, typer.Option("--format", help="table, csv or json.")
    ] = Format.TABLE,
    min_cell: Annotated[
        int, typer.Option(min=1, help="Hide cells with fewer assessed people than this.")
    ] = DEFAULT_MIN_CELL,
) -> None:
    """Share of people below their role's target and the mean gap, per department and skill."""
    operator = Actor.operator()
    with transaction() as session:
        organisation = orgs_service.get_organisation_by_slug(session, operator, org)
        department_id = None
        if department:
            found = [
                d
                for d in orgs_repository.list_departments(session, organisation.id)
                if d.name.casefold() == department.casefold()
            ]
            if not found:
                raise fail(gettext("No department is called %(name)s here.", name=department))
            department_id = found[0].id
        heatmap = department_heatmap(
            session, operator, organisation.id, department_id=department_id, min_cell=min_cell
        )
    if output_format is Format.CSV:
        print(export.to_csv(heatmap), end="")
    elif output_format is Format.JSON:
        print(export.to_json(heatmap))
    else:
        console.print(_table(heatmap, organisation.name))


def _table(heatmap: Heatmap, name: str) -> Table:
    table = Table(
        title=gettext("Skill gaps at %(org)s: share below target · mean gap", org=name),
        caption=gettext("— : fewer than %(min)s people assessed", min=heatmap.min_cell),
    )
    # Skills down the side, departments across: a few columns however many skills.
    table.add_column(gettext("Skill"), overflow="fold")
    for department in heatmap.departments:
        table.add_column(department.name, justify="right", overflow="fold")
    for skill in heatmap.skills:
        row = [skill.preferred_label]
        for department in heatmap.departments:
            cell = heatmap.cells.get((department.id, skill.id))
            if cell is None:
                row.append("")
            elif cell.share_below is None or cell.mean_gap is None:
                row.append("—")
            else:
                row.append(f"{cell.share_below:.0%} · {cell.mean_gap:.1f}")
        table.add_row(*row)
    return table
