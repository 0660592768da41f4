"""``cairn orgs``: register and list organisations, and give people roles in them."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from cairn.cli.common import console, fail, reports_errors, transaction
from cairn.kit.actor import Actor, Role
from cairn.kit.i18n import gettext
from cairn.kit.pagination import MAX_PER_PAGE, PageParams
from cairn.orgs import people
from cairn.orgs import service as orgs_service
from cairn.orgs.enums import OrgKind, SizeBand, label
from cairn.orgs.schemas import OrganisationCreate

app = typer.Typer(help="Organisations and their members.", no_args_is_help=True)


@app.command("list")
@reports_errors
def list_organisations(
    page: Annotated[int, typer.Option(min=1)] = 1,
    per_page: Annotated[int, typer.Option(min=1, max=MAX_PER_PAGE)] = 50,
) -> None:
    """Every organisation, a page at a time."""
    with transaction() as session:
        result = orgs_service.list_organisations(
            session, Actor.operator(), PageParams(page=page, per_page=per_page)
        )
        table = Table(
            title=gettext(
                "Organisations (page %(page)s of %(pages)s, %(total)s in all)",
                page=page,
                pages=result.pages,
                total=result.total,
            )
        )
        for column in (
            gettext("Short name"),
            gettext("Name"),
            gettext("Kind"),
            gettext("Size"),
            gettext("Region"),
        ):
            table.add_column(column)
        for org in result.items:
            table.add_row(
                org.slug,
                org.name,
                label(org.kind),
                label(org.size_band) if org.size_band else "",
                org.region or "",
            )
        console.print(table)


@app.command()
@reports_errors
def create(
    name: Annotated[str, typer.Option(help="The organisation's name.")],
    kind: Annotated[OrgKind, typer.Option(help="What kind of organisation it is.")],
    size_band: Annotated[SizeBand | None, typer.Option(help="Employers only: their size.")] = None,
    sector: Annotated[str | None, typer.Option()] = None,
    region: Annotated[str | None, typer.Option()] = None,
    slug: Annotated[
        str | None, typer.Option(help="Short name; derived from the name if omitted.")
    ] = None,
) -> None:
    """Register an organisation."""
    data = OrganisationCreate(
        name=name, kind=kind, size_band=size_band, sector=sector, region=region, slug=slug
    )
    with transaction() as session:
        org = orgs_service.create_organisation(session, Actor.operator(), data)
        console.print(gettext("Registered %(name)s as %(slug)s.", name=org.name, slug=org.slug))


@app.command("add-member")
@reports_errors
def add_member(
    org: Annotated[str, typer.Argument(help="Short name of the organisation.")],
    email: Annotated[str, typer.Argument(help="E-mail of a registered person.")],
    role: Annotated[Role, typer.Option(help="The role they get.")],
) -> None:
    """Give a registered person a role in an organisation."""
    operator = Actor.operator()
    with transaction() as session:
        organisation = orgs_service.get_organisation_by_slug(session, operator, org)
        person = people.get_person_by_email(session, email)
        if person is None:
            raise fail(gettext("nobody is registered as %(email)s.", email=email))
        orgs_service.validate_assignment(
            session, operator, organisation, role=role, department_id=None, position_id=None
        )
        people.add_membership(session, person, organisation, role)
        console.print(
            gettext(
                "%(email)s is now %(role)s in %(org)s.",
                email=person.email,
                role=label(role),
                org=organisation.name,
            )
        )
