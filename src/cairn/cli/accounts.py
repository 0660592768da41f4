"""``cairn accounts``: learning accounts from the command line, starting with the audit
that proves the ledger's books hold."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from cairn.accounts import reports, scheduling
from cairn.accounts import service as accounts_service
from cairn.accounts.audit import audit_ledger
from cairn.accounts.enums import label as account_label
from cairn.accounts.models import Program
from cairn.accounts.money import format_money
from cairn.accounts.schemas import ProgramCreate
from cairn.cli.common import console, errors, fail, reports_errors, transaction
from cairn.cli.progress import RichProgress
from cairn.kit.actor import Actor
from cairn.kit.clock import utcnow
from cairn.kit.i18n import gettext, ngettext
from cairn.orgs import people
from cairn.orgs import service as orgs_service
from cairn.orgs.models import Person

app = typer.Typer(help="Learning accounts: programs, credit and the ledger.", no_args_is_help=True)


@app.command("audit")
@reports_errors
def audit() -> None:
    """Check every rule of the ledger over all programs; exit 1 naming each violation."""
    with transaction() as session:
        report = audit_ledger(session)
    table = Table(title=gettext("Ledger audit"), show_header=False)
    table.add_column()
    table.add_column(justify="right")
    for label, value in (
        (gettext("Transfers checked"), report.transfers_checked),
        (gettext("Accounts checked"), report.accounts_checked),
        (gettext("Entries checked"), report.entries_checked),
        (gettext("Violations"), len(report.violations)),
    ):
        table.add_row(label, f"{value:,}")
    console.print(table)
    if report.clean:
        console.print(gettext("The ledger holds: no violations."))
        return
    for violation in report.violations:
        errors.print(
            f"{violation.code}: {escape(violation.message)}", highlight=False, soft_wrap=True
        )
    raise fail(
        ngettext(
            "%(num)s violation in the ledger.",
            "%(num)s violations in the ledger.",
            len(report.violations),
        )
    )


# Programs, the daily run, statements and the finance export ---------------------------------

programs_app = typer.Typer(help="Learning-account programs and their rules.", no_args_is_help=True)
app.add_typer(programs_app, name="programs")
OPERATOR = Actor.operator()
ProgramRef = Annotated[
    str, typer.Argument(help="The program as ORG/SLUG: its organisation's slug, then its own.")
]


def _program(session: Session, reference: str) -> Program:
    org_slug, _, slug = reference.partition("/")
    if not org_slug or not slug:
        raise fail(gettext("Name the program as ORG/SLUG, e.g. skills-agency/skillsfuture."))
    org = orgs_service.get_organisation_by_slug(session, OPERATOR, org_slug)
    return accounts_service.find_program(session, OPERATOR, org, slug)


def _person(session: Session, email: str) -> Person:
    person = people.get_person_by_email(session, email.strip().lower())
    if person is None:
        raise fail(gettext("Nobody is registered with the e-mail address %(email)s.", email=email))
    return person


@programs_app.command("create")
@reports_errors
def create_program(
    org: Annotated[str, typer.Option(help="The slug of the organisation running it.")],
    file: Annotated[Path, typer.Option(help="The rules document, JSON.", exists=True)],
    name: Annotated[str, typer.Option(help="The program's name.")],
    slug: Annotated[str, typer.Option(help="Its slug, unique in the organisation.")],
    budget: Annotated[
        int | None, typer.Option(help="What it may commit and spend, in minor units (cents).")
    ] = None,
) -> None:
    """Create a draft program from a rules document."""
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise fail(
            gettext("%(file)s is not JSON: %(reason)s", file=str(file), reason=str(error))
        ) from None
    if not isinstance(document, dict):
        raise fail(gettext("%(file)s must hold one JSON object.", file=str(file)))
    with transaction() as session:
        owner = orgs_service.get_organisation_by_slug(session, OPERATOR, org)
        data = ProgramCreate(slug=slug, name=name, rules=document, budget_minor=budget)
        program = accounts_service.create_program(session, OPERATOR, owner.id, data)
        currency = program.currency
    console.print(
        gettext(
            "Created the draft program %(ref)s in %(currency)s.",
            ref=f"{org}/{slug}",
            currency=currency,
        )
    )


@programs_app.command("open")
@reports_errors
def open_program(program: ProgramRef) -> None:
    """Open a draft program to learners; its rules freeze."""
    with transaction() as session:
        accounts_service.open_program(session, OPERATOR, _program(session, program).id)
    console.print(gettext("%(ref)s is open.", ref=program))


@programs_app.command("close")
@reports_errors
def close_program(program: ProgramRef) -> None:
    """Close an open program to new learners, grants and enrolments."""
    with transaction() as session:
        accounts_service.close_program(session, OPERATOR, _program(session, program).id)
    console.print(gettext("%(ref)s is closed.", ref=program))


@programs_app.command("list")
@reports_errors
def list_programs() -> None:
    """Every program, with its status and budget."""
    with transaction() as session:
        programs = accounts_service.list_programs(session, OPERATOR)
        orgs = accounts_service.organisation_slugs(session, programs)
        rows = [
            (
                f"{orgs[program.org_id]}/{program.slug}",
                program.name,
                account_label(program.status),
                gettext("no cap")
                if program.budget_minor is None
                else format_money(program.budget_minor, program.currency),
            )
            for program in programs
        ]
    if not rows:
        console.print(gettext("No programs yet."))
        return
    table = Table(title=gettext("Programs"))
    for heading in (gettext("Program"), gettext("Name"), gettext("Status"), gettext("Budget")):
        table.add_column(heading)
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    console.print(table)


@app.command("run")
@reports_errors
def run(
    as_of: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Run as of this day; today (UTC) by default."),
    ] = None,
) -> None:
    """Post the grants and expiries due in every open program; running twice posts nothing."""
    day = as_of.date() if as_of else utcnow().date()
    with transaction() as session, RichProgress() as progress:
        report = scheduling.run(session, OPERATOR, as_of=day, progress=progress)
    console.print(
        gettext(
            "%(day)s: %(programs)s programs, %(participants)s participants, %(grants)s grants "
            "and %(expiries)s expiries posted.",
            day=day.isoformat(),
            programs=report.programs,
            participants=report.participants,
            grants=report.grants,
            expiries=report.expiries,
        )
    )


@app.command("balance")
@reports_errors
def balance(user: Annotated[str, typer.Option(help="The learner's e-mail address.")]) -> None:
    """A learner's credit by program and tier, with what expires when."""
    with transaction() as session:
        found = reports.balances(session, OPERATOR, person_id=_person(session, user).id)
        table = Table(title=gettext("Credit of %(email)s", email=user))
        for heading in (
            gettext("Program"),
            gettext("Tier"),
            gettext("Balance"),
            gettext("Expires"),
        ):
            table.add_column(heading)
        for item in found:
            currency = item.program.currency
            for tier in item.tiers:
                expiring = ", ".join(
                    gettext(
                        "%(amount)s on %(day)s",
                        amount=format_money(amount, currency),
                        day=day.isoformat(),
                    )
                    for amount, day in tier.expiring
                )
                table.add_row(
                    escape(item.program.name),
                    escape(tier.name),
                    format_money(tier.balance_minor, currency),
                    expiring or "—",
                )
    if not found:
        console.print(gettext("%(email)s takes part in no program.", email=user))
        return
    console.print(table)


@app.command("statement")
@reports_errors
def statement(
    user: Annotated[str, typer.Option(help="The learner's e-mail address.")],
    month: Annotated[str, typer.Option(help="The month, as YYYY-MM.")],
    program: Annotated[str | None, typer.Option(help="Only this program, as ORG/SLUG.")] = None,
) -> None:
    """A learner's monthly statement: opening balance, each movement and why, closing."""
    with transaction() as session:
        person = _person(session, user)
        found = reports.statement(
            session,
            OPERATOR,
            person_id=person.id,
            month=reports.parse_month(month),
            program_id=_program(session, program).id if program else None,
        )
        console.print(
            gettext("Statement of %(email)s for %(month)s", email=user, month=month), style="bold"
        )
        if found.empty:
            console.print(gettext("No credit moved in %(month)s.", month=month))
        for item in found.programs:
            currency = item.program.currency
            for tier in item.tiers:
                table = Table(title=f"{escape(item.program.name)} · {escape(tier.name)}")
                for heading in (gettext("Date"), gettext("Movement"), gettext("Amount")):
                    table.add_column(heading)
                table.add_row(
                    "", gettext("Opening balance"), format_money(tier.opening_minor, currency)
                )
                for line in tier.lines:
                    table.add_row(
                        line.effective_on.isoformat(),
                        escape(line.description),
                        format_money(line.amount_minor, currency),
                    )
                table.add_row(
                    "", gettext("Closing balance"), format_money(tier.closing_minor, currency)
                )
                console.print(table)


@app.command("export")
@reports_errors
def export(
    program: Annotated[str, typer.Option(help="The program, as ORG/SLUG.")],
    start: Annotated[
        datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="First day, included.")
    ],
    end: Annotated[
        datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="Last day, included.")
    ],
    output: Annotated[Path, typer.Option(help="The CSV file to write.")],
) -> None:
    """Every ledger entry of a program effective in a date range, as CSV for finance."""
    with transaction() as session:
        text = reports.finance_csv(
            session, OPERATOR, _program(session, program).id, start=start.date(), end=end.date()
        )
    output.write_text(text, encoding="utf-8")
    rows = text.count("\n") - 1
    console.print(gettext("Wrote %(rows)s entries to %(file)s.", rows=rows, file=str(output)))
