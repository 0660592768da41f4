"""``cairn surveys send-due``: the daily job for cron that mails feedback surveys when
they fall due."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from cairn.catalogue import feedback_service
from cairn.cli.common import console, reports_errors, transaction
from cairn.kit.actor import Actor
from cairn.kit.clock import utcnow
from cairn.kit.i18n import gettext

app = typer.Typer(help="Feedback surveys on micro-credentials.", no_args_is_help=True)


@app.command("send-due")
@reports_errors
def send_due(
    today: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"], help="Send as if it were this day; today (UTC) by default."
        ),
    ] = None,
) -> None:
    """Mail every survey that is due and not yet sent; safe to run as often as wanted."""
    day = today.date() if today else utcnow().date()
    with transaction() as session:
        sent = feedback_service.send_due_surveys(session, Actor.operator(), today=day)
    console.print(gettext("Surveys sent: %(count)s", count=sent))
