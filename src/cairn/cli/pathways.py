"""``cairn pathways``: plan, save, list, show and re-plan a learner's pathway, worked on by
the operator for them (a careers adviser with a learner, say). The commands act as that
person, with their roles."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from cairn.accounts.money import format_money
from cairn.catalogue.enums import Participation
from cairn.cli.common import console, fail, reports_errors, transaction
from cairn.kit.actor import Actor
from cairn.kit.i18n import gettext
from cairn.orgs import people
from cairn.pathways import explain, service
from cairn.pathways.enums import Objective
from cairn.pathways.enums import label as pathway_label
from cairn.pathways.schemas import PathwayRead, PlanRead, PlanRequest, StepRead

app = typer.Typer(help="A learner's pathways to a role or a credential.", no_args_is_help=True)

User = Annotated[str, typer.Option("--user", help="The learner's e-mail address.")]
PathwayId = Annotated[uuid.UUID, typer.Argument(help="The pathway's id.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def _as(session: Session, email: str) -> Actor:
    person = people.get_person_by_email(session, email)
    if person is None:
        raise fail(gettext("nobody is registered as %(email)s.", email=email))
    return people.actor_for(session, person)


@app.command("plan")
@reports_errors
def plan(
    user: User,
    role_profile: Annotated[
        uuid.UUID | None, typer.Option(help="A role profile of the learner's organisation.")
    ] = None,
    specification: Annotated[
        str | None, typer.Option(help="Or a published specification's short name or id.")
    ] = None,
    budget: Annotated[
        int | None,
        typer.Option(min=0, help="The most the learner pays themselves, in cents."),
    ] = None,
    currency: Annotated[str | None, typer.Option(help="The budget's currency, e.g. CAD.")] = None,
    hours_per_week: Annotated[float | None, typer.Option(min=0.5, max=168)] = None,
    deadline: Annotated[
        str | None, typer.Option(help="The last day to finish by, as YYYY-MM-DD.")
    ] = None,
    objective: Annotated[
        Objective, typer.Option(help="cost: lowest cost first; time: soonest finish first.")
    ] = Objective.COST,
    language: Annotated[
        list[str] | None, typer.Option(help="A language accepted (repeat for several).")
    ] = None,
    delivery: Annotated[
        list[Participation] | None, typer.Option(help="A delivery accepted (repeat).")
    ] = None,
    save: Annotated[bool, typer.Option("--save", help="Save the plan as a pathway.")] = False,
    as_json: AsJson = False,
) -> None:
    """The best plan to the target within the learner's limits, every step explained, or
    what blocks it; with --save it is kept as one of their pathways."""
    request = PlanRequest.model_validate(
        {
            "target_profile_id": role_profile,
            "target_specification": specification,
            "budget_minor": budget,
            "currency": currency,
            "hours_per_week": hours_per_week,
            "deadline": date.fromisoformat(deadline) if deadline else None,
            "objective": objective,
            "languages": language or [],
            "deliveries": delivery or [],
        }
    )
    with transaction() as session:
        actor = _as(session, user)
        if save:
            saved = service.read(session, service.save(session, actor, request))
        else:
            found = service.plan(session, actor, request)
    if save:
        _print_pathway(saved, as_json)
        return
    if as_json:
        print(found.model_dump_json())
        return
    _print_plan(found)
    if not found.feasible:
        raise typer.Exit(code=1)


@app.command("list")
@reports_errors
def list_pathways(user: User, as_json: AsJson = False) -> None:
    """The learner's pathways, newest first."""
    with transaction() as session:
        actor = _as(session, user)
        found = [service.read(session, p) for p in service.list_pathways(session, actor)]
    if as_json:
        print("[" + ",".join(p.model_dump_json() for p in found) + "]")
        return
    table = Table(title=gettext("Pathways"))
    table.add_column(gettext("Id"), no_wrap=True)
    for column in (gettext("Pathway"), gettext("Status"), gettext("You pay")):
        table.add_column(column)
    for pathway in found:
        table.add_row(
            str(pathway.id),
            escape(pathway.title),
            pathway_label(pathway.status),
            _money(pathway.out_of_pocket_minor, pathway.currency),
        )
    console.print(table)


@app.command("show")
@reports_errors
def show(pathway_id: PathwayId, user: User, as_json: AsJson = False) -> None:
    """A pathway as it stands, its steps following the learner's enrolments and awards."""
    with transaction() as session:
        found = service.show(session, _as(session, user), pathway_id)
    _print_pathway(found, as_json)


@app.command("replan")
@reports_errors
def replan(pathway_id: PathwayId, user: User, as_json: AsJson = False) -> None:
    """Plan what is left of a pathway, keeping the steps under way or done."""
    with transaction() as session:
        actor = _as(session, user)
        found = service.read(session, service.replan(session, actor, pathway_id))
    _print_pathway(found, as_json)


def _money(amount: int | None, currency: str | None) -> str:
    if amount is None:
        return ""
    return format_money(amount, currency) if currency else str(amount)


def _steps(steps: list[StepRead], title: str) -> None:
    for step in steps:
        status = f" [{pathway_label(step.status)}]" if step.status else ""
        console.print(
            f"[bold]{step.position}. {escape(step.title)}[/] ({escape(step.offering_code)}){status}"
        )
        for sentence in step.explanation:
            console.print(f"   {escape(sentence)}", highlight=False)
    if not steps:
        console.print(title)


def _print_plan(found: PlanRead) -> None:
    console.print(f"[bold]{escape(found.target)}[/]")
    if not found.feasible:
        for blocker in found.blockers:
            console.print(f"- {escape(blocker)}", highlight=False)
        return
    _steps(found.steps, gettext("You have every skill this target asks for."))
    console.print(
        gettext(
            "You pay %(amount)s in all; finished by %(day)s.",
            amount=_money(found.out_of_pocket_minor, found.currency),
            day=found.finish_on.isoformat() if found.finish_on else "—",
        ),
        highlight=False,
    )
    console.print(explain.method_words(found.method, found.proven_optimal), highlight=False)


def _print_pathway(found: PathwayRead, as_json: bool) -> None:
    if as_json:
        print(found.model_dump_json())
        return
    console.print(f"[bold]{escape(found.title)}[/] ({pathway_label(found.status)}) {found.id}")
    _steps(found.steps, gettext("Nothing left to do."))
    console.print(
        gettext(
            "You pay %(amount)s for what is planned.",
            amount=_money(found.out_of_pocket_minor, found.currency),
        ),
        highlight=False,
    )
