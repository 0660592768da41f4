"""``cairn users``: register people and give them roles, as the platform operator."""

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
from cairn.orgs.schemas import PersonCreate

app = typer.Typer(help="Register people and set their passwords.", no_args_is_help=True)

PasswordOption = Annotated[
    str,
    typer.Option(
        prompt=True, hide_input=True, confirmation_prompt=True, help="At least 12 characters."
    ),
]


@app.command()
@reports_errors
def create(
    email: Annotated[str, typer.Option(help="Their e-mail address, used to sign in.")],
    name: Annotated[str, typer.Option(help="The name shown to others.")],
    password: PasswordOption,
    org: Annotated[str | None, typer.Option(help="Short name of an organisation to join.")] = None,
    role: Annotated[Role | None, typer.Option(help="Their role in --org.")] = None,
) -> None:
    """Register a person, optionally with a role in one organisation."""
    if (org is None) != (role is None):
        raise fail(gettext("--org and --role go together."))
    operator = Actor.operator()
    with transaction() as session:
        person = people.create_person(
            session, PersonCreate(email=email, display_name=name, password=password)
        )
        if org is not None and role is not None:
            organisation = orgs_service.get_organisation_by_slug(session, operator, org)
            orgs_service.validate_assignment(
                session, operator, organisation, role=role, department_id=None, position_id=None
            )
            people.add_membership(session, person, organisation, role)
        console.print(gettext("Registered %(email)s.", email=person.email))


@app.command("set-password")
@reports_errors
def set_password(
    email: Annotated[str, typer.Argument(help="The person's e-mail address.")],
    password: PasswordOption,
) -> None:
    """Set or reset someone's password."""
    with transaction() as session:
        person = people.get_person_by_email(session, email)
        if person is None:
            raise fail(gettext("nobody is registered as %(email)s.", email=email))
        people.set_password(session, person, password)
        console.print(gettext("Password set for %(email)s.", email=person.email))


@app.command("list")
@reports_errors
def list_people(
    page: Annotated[int, typer.Option(min=1)] = 1,
    per_page: Annotated[int, typer.Option(min=1, max=MAX_PER_PAGE)] = 50,
) -> None:
    """Everyone registered, a page at a time."""
    with transaction() as session:
        result = people.list_people(
            session, Actor.operator(), PageParams(page=page, per_page=per_page)
        )
        table = Table(
            title=gettext(
                "People (page %(page)s of %(pages)s, %(total)s in all)",
                page=page,
                pages=result.pages,
                total=result.total,
            )
        )
        for column in (gettext("E-mail"), gettext("Name"), gettext("Can sign in")):
            table.add_column(column)
        for person in result.items:
            can_sign_in = gettext("Yes") if person.password_hash else gettext("No")
            table.add_row(person.email, person.display_name, can_sign_in)
        console.print(table)
