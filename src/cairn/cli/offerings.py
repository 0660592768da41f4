"""``cairn offerings`` (a provider's runs of a micro-credential) and ``cairn enrol`` (a
learner's enrolment, quoted, confirmed, completed or withdrawn for them by the operator,
e.g. at a service counter). Enrolment commands act as the learner, with their roles."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from cairn.accounts.money import format_money
from cairn.accounts.pricing import Quote
from cairn.catalogue import enrolment_service, offerings
from cairn.catalogue.enrolment_service import line_label
from cairn.catalogue.enums import Participation, label
from cairn.catalogue.offering_schemas import OfferingCreate
from cairn.cli.common import console, reports_errors, transaction
from cairn.kit.actor import Actor
from cairn.kit.errors import NotFound
from cairn.kit.i18n import gettext, lazy_gettext
from cairn.orgs import people
from cairn.orgs import service as orgs_service
from cairn.orgs.models import Person

app = typer.Typer(help="Offerings: dated, priced runs of micro-credentials.", no_args_is_help=True)
enrol_app = typer.Typer(
    help="Enrolments in offerings, paid from learning accounts.", no_args_is_help=True
)

UserOption = Annotated[str, typer.Option("--user", help="The learner's e-mail address on Cairn.")]
OfferingOption = Annotated[uuid.UUID, typer.Option("--offering", help="The offering's identifier.")]


@app.command("add")
@reports_errors
def add(
    spec: Annotated[str, typer.Option("--specification", help="The specification's short name.")],
    org: Annotated[str, typer.Option(help="The provider's short name: an issuer of it.")],
    code: Annotated[str, typer.Option(help="The provider's reference for the run.")],
    starts_on: Annotated[datetime, typer.Option(formats=["%Y-%m-%d"], help="The first day.")],
    ends_on: Annotated[datetime, typer.Option(formats=["%Y-%m-%d"], help="The last day.")],
    price_minor: Annotated[int, typer.Option(help="In minor units (cents) of the currency.")],
    currency: Annotated[str, typer.Option(help="ISO 4217, e.g. SGD.")],
    hours: Annotated[float, typer.Option(help="Hours of guided learning.")],
    language: Annotated[str, typer.Option(help="A language tag, e.g. en.")] = "en",
    delivery: Annotated[Participation, typer.Option(help="How it is taught.")] = (
        Participation.ONLINE
    ),
    enrol_by: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="The last day to enrol.")
    ] = None,
    capacity: Annotated[int | None, typer.Option(help="Places; no limit by default.")] = None,
    tag: Annotated[list[str] | None, typer.Option(help="A tag programs select by; repeat.")] = None,
    owner: Annotated[
        str | None, typer.Option(help="The specification's owner, when not the provider.")
    ] = None,
) -> None:
    """Add a run of the published version of a specification."""
    operator = Actor.operator()
    with transaction() as session:
        provider = orgs_service.get_organisation_by_slug(session, operator, org)
        owner_org = (
            orgs_service.get_organisation_by_slug(session, operator, owner) if owner else provider
        )
        version = offerings.published_version(session, operator, owner_org.id, spec)
        data = OfferingCreate.model_validate(
            {
                "code": code,
                "starts_on": starts_on.date(),
                "ends_on": ends_on.date(),
                "enrol_by": enrol_by.date() if enrol_by else None,
                "delivery": delivery,
                "language": language,
                "hours": hours,
                "price_minor": price_minor,
                "currency": currency,
                "capacity": capacity,
                "tags": tag or [],
            }
        )
        offering = offerings.create_offering(
            session, operator, version.id, org_id=provider.id, data=data
        )
        console.print(
            gettext("Offering %(code)s added: %(id)s", code=offering.code, id=offering.id)
        )


@app.command("list")
@reports_errors
def list_offerings(
    spec: Annotated[str, typer.Option("--specification", help="The specification's short name.")],
    org: Annotated[str, typer.Option(help="The organisation that owns the specification.")],
) -> None:
    """The upcoming open runs of a specification, soonest first."""
    operator = Actor.operator()
    with transaction() as session:
        owner = orgs_service.get_organisation_by_slug(session, operator, org)
        version = offerings.published_version(session, operator, owner.id, spec)
        views = offerings.upcoming_offerings(session, operator, version.specification_id)
        table = Table(title=escape(version.title))
        for heading in (gettext("Offering"), gettext("Code"), gettext("Dates")):
            table.add_column(heading)
        table.add_column(gettext("Delivery"))
        table.add_column(gettext("Price"), justify="right")
        table.add_column(gettext("Places left"), justify="right")
        for view in views:
            offering = view.offering
            left = view.places_left
            table.add_row(
                str(offering.id),
                escape(offering.code),
                gettext(
                    "%(start)s to %(end)s",
                    start=offering.starts_on.isoformat(),
                    end=offering.ends_on.isoformat(),
                ),
                label(offering.delivery),
                format_money(offering.price_minor, offering.currency),
                gettext("no limit") if left is None else str(left),
            )
        console.print(table)


def _learner(session: Session, email: str) -> Person:
    person = people.get_person_by_email(session, email)
    if person is None:
        raise NotFound(
            lazy_gettext("No one on Cairn has the e-mail address %(email)s.", email=email)
        )
    return person


def _print_split(quote: Quote) -> None:
    table = Table(
        title=gettext("Split of %(price)s", price=format_money(quote.price_minor, quote.currency))
    )
    table.add_column(gettext("Paid by"))
    table.add_column(gettext("Why"))
    table.add_column(gettext("Amount"), justify="right")
    for line in quote.lines:
        table.add_row(
            line_label(line.kind),
            escape(line.explanation),
            format_money(line.amount_minor, quote.currency),
        )
    table.add_row(gettext("You pay"), "", format_money(quote.copay_minor, quote.currency))
    console.print(table)


@enrol_app.command("quote")
@reports_errors
def quote(user: UserOption, offering: OfferingOption) -> None:
    """How the price would be split among the learner's programs; nothing is reserved."""
    with transaction() as session:
        person = _learner(session, user)
        preview = enrolment_service.quote(session, people.actor_for(session, person), offering)
        _print_split(preview.quote)


@enrol_app.command("confirm")
@reports_errors
def confirm(user: UserOption, offering: OfferingOption) -> None:
    """Enrol the learner at the split worked out now, shown first, and reserve each
    program's share."""
    with transaction() as session:
        person = _learner(session, user)
        learner = people.actor_for(session, person)
        preview = enrolment_service.quote(session, learner, offering)
        _print_split(preview.quote)
        enrolment = enrolment_service.enrol(session, learner, offering, expected=preview.quote)
        console.print(gettext("Enrolled: %(id)s", id=enrolment.id))


@enrol_app.command("complete")
@reports_errors
def complete(user: UserOption, offering: OfferingOption) -> None:
    """Record that the learner completed the offering; the programs pay what they reserved."""
    operator = Actor.operator()
    with transaction() as session:
        person = _learner(session, user)
        enrolment = enrolment_service.find_enrolment(session, operator, offering, person.id)
        enrolment_service.complete(session, operator, enrolment.id)
        console.print(gettext("Completed: %(id)s", id=enrolment.id))


@enrol_app.command("withdraw")
@reports_errors
def withdraw(user: UserOption, offering: OfferingOption) -> None:
    """Withdraw the learner before completion; every reservation goes back."""
    with transaction() as session:
        person = _learner(session, user)
        learner = people.actor_for(session, person)
        enrolment = enrolment_service.find_enrolment(session, learner, offering, person.id)
        enrolment_service.withdraw(session, learner, enrolment.id)
        console.print(gettext("Withdrawn: %(id)s", id=enrolment.id))
