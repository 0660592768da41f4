"""``cairn campaigns``: list an organisation's assessment campaigns, and the two daily jobs
for cron: reminders before deadlines, and closing campaigns whose deadline has passed."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

import typer
from rich.table import Table

from cairn.assessment import campaigns
from cairn.assessment.enums import label
from cairn.assessment.models import Campaign
from cairn.cli.common import console, fail, reports_errors, transaction
from cairn.kit.actor import Actor
from cairn.kit.i18n import gettext
from cairn.orgs import service as orgs_service

app = typer.Typer(help="Assessment campaigns and their daily jobs.", no_args_is_help=True)

Org = Annotated[str | None, typer.Option(help="Only this organisation (its short name).")]


def _summary(title: str, count_title: str, rows: list[tuple[Campaign, int]]) -> Table:
    table = Table(title=title)
    for column in (gettext("Campaign"), gettext("Deadline"), count_title):
        table.add_column(column)
    for campaign, count in rows:
        table.add_row(campaign.title, campaign.deadline.strftime("%Y-%m-%d %H:%M UTC"), str(count))
    return table


@app.command("list")
@reports_errors
def list_campaigns(
    org: Annotated[str, typer.Argument(help="The organisation's short name.")],
) -> None:
    """An organisation's campaigns, newest first."""
    operator = Actor.operator()
    with transaction() as session:
        organisation = orgs_service.get_organisation_by_slug(session, operator, org)
        table = Table(title=gettext("Campaigns of %(org)s", org=organisation.name))
        for column in (
            gettext("Id"),
            gettext("Title"),
            gettext("Status"),
            gettext("Deadline"),
            gettext("People invited"),
        ):
            table.add_column(column)
        for campaign in campaigns.list_campaigns(session, operator, organisation.id):
            detail = campaigns.detail(session, operator, organisation.id, campaign.id)
            table.add_row(
                str(campaign.id),
                campaign.title,
                label(campaign.status),
                campaign.deadline.strftime("%Y-%m-%d %H:%M UTC"),
                str(detail.participants),
            )
        console.print(table)


def _org_id(org: str | None) -> uuid.UUID | None:
    if org is None:
        return None
    with transaction() as session:
        return orgs_service.get_organisation_by_slug(session, Actor.operator(), org).id


@app.command()
@reports_errors
def remind(
    campaign: Annotated[
        str | None, typer.Argument(help="One campaign's id; or use --all-due.")
    ] = None,
    org: Org = None,
    all_due: Annotated[
        bool, typer.Option("--all-due", help="Every open campaign whose deadline is near.")
    ] = False,
    within_days: Annotated[
        int, typer.Option(min=1, help="With --all-due: deadlines within this many days.")
    ] = 3,
) -> None:
    """Remind people who have not finished; at most one mail a day each, so cron may run it often."""
    if (campaign is None) == (not all_due):
        raise fail(gettext("Name one campaign, or give --all-due."))
    operator = Actor.operator()
    org_id = _org_id(org)
    with transaction() as session:
        if all_due:
            sent = campaigns.remind_due(
                session, operator, within=timedelta(days=within_days), org_id=org_id
            )
        else:
            try:
                campaign_id = uuid.UUID(str(campaign))
            except ValueError:
                raise fail(gettext("This is not a valid campaign id.")) from None
            found = campaigns.locate(session, operator, campaign_id)
            if org_id is not None and found.org_id != org_id:
                raise fail(gettext("This campaign is not one of that organisation's."))
            sent = [(found, campaigns.remind(session, operator, found.org_id, found.id))]
        console.print(_summary(gettext("Reminders sent"), gettext("Reminded"), sent))


@app.command("close-due")
@reports_errors
def close_due(org: Org = None) -> None:
    """Close every open campaign whose deadline has passed; tests in progress expire."""
    operator = Actor.operator()
    org_id = _org_id(org)
    with transaction() as session:
        closed = campaigns.close_due(session, operator, org_id=org_id)
        console.print(_summary(gettext("Campaigns closed"), gettext("Tests expired"), closed))
